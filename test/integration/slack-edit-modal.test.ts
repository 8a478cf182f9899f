import { parseJson } from '../support/fake-slack';
import { ADMIN, Harness, MEMBER, replyText } from '../support/harness';
import { blockAction, inputIds, viewSubmission, type SentView } from '../support/slack-views';

const SPEC = 'senior-backend-payments';
let harness: Harness;

beforeAll(async () => {
  harness = await Harness.start();
});
afterAll(async () => {
  await harness.stop();
});

async function openModal(user = ADMIN): Promise<SentView> {
  const before = harness.slack.callsTo('views.open').length;
  const sent = await harness.spec(`edit ${SPEC}`, user);
  const call = await harness.slack.waitFor(() => harness.slack.callsTo('views.open')[before]);
  expect(call.args.trigger_id).toBe(sent.triggerId);
  return parseJson(call.args.view) as SentView;
}

async function submit(view: SentView, edits: Record<string, string>, user = ADMIN) {
  const response = await harness.interact(viewSubmission(view, user, edits));
  expect(response.status).toBe(200);
  return response.text ? (response.json() as { response_action: string; errors?: Record<string, string> }) : { response_action: 'none' };
}

describe('/spec edit', () => {
  it('opens a modal with every competency’s name, id, weight and definition', async () => {
    const view = await openModal();
    expect(view.callback_id).toBe('spec_edit');
    const json = JSON.stringify(view);
    for (const text of ['financial_systems_design', 'Financial Systems Design', '0.30', 'Design and implement bulletproof']) {
      expect(json).toContain(text);
    }
    expect(inputIds(view, 'weight')).toHaveLength(5);
  });

  it('shows errors inline and saves nothing: a sum off 1.00, a bad weight, a duplicate id, an empty name', async () => {
    const view = await openModal();
    const weights = inputIds(view, 'weight');
    const ids = inputIds(view, 'id');
    const names = inputIds(view, 'name');
    const sum = await submit(view, { [weights[0]!]: '0.25' });
    expect(sum.response_action).toBe('errors');
    expect(sum.errors![weights[4]!]).toBe('Weights add up to 0.95; they must total 1.00 (add 0.05).');

    const many = await submit(view, { [weights[1]!]: '0.333', [ids[2]!]: 'financial_systems_design', [names[3]!]: '' });
    expect(many.errors![weights[1]!]).toContain('more than two decimals');
    expect(many.errors![ids[2]!]).toContain('used twice');
    expect(many.errors![names[3]!]).toContain('empty');
    expect((await (await harness.spec(`history ${SPEC}`)).reply()).text).not.toContain('v2');
  });

  it('saves a valid edit as a new version with its note, and confirms by response_url', async () => {
    const view = await openModal();
    const weights = inputIds(view, 'weight');
    const result = await submit(view, { [weights[0]!]: '35%', [weights[4]!]: '0.05', note: 'More weight on payments design' });
    expect(result.response_action).toBe('clear');
    const confirmation = await harness.slack.waitFor(() => harness.slack.responses.find((r) => String(r.body.text).includes('Saved *v2*')));
    expect(String(confirmation.body.text)).toContain('financial_systems_design 0.30 → 0.35');
    const history = replyText(await (await harness.spec(`history ${SPEC}`)).reply());
    expect(history).toContain('More weight on payments design');
  });

  it('refuses a modal opened on an older version, naming who changed it', async () => {
    const view = await openModal(); // opened on v2
    await (await harness.spec(`weights ${SPEC} financial_systems_design=0.30 fastapi_kafka_systems=0.10`)).reply(); // alice makes v3
    const stale = await submit(view, { note: 'my edit' });
    expect(stale.response_action).toBe('errors');
    expect(stale.errors!.note).toContain('changed while you were editing: alice made v3');
    expect(stale.errors!.note).toContain('were not saved');
  });

  it('adds and removes competency rows without losing what was typed', async () => {
    const view = await openModal();
    const before = harness.slack.callsTo('views.update').length;
    await harness.interact(blockAction(view, ADMIN, 'competency_add'));
    const update = await harness.slack.waitFor(() => harness.slack.callsTo('views.update')[before]);
    expect(update.args.view_id).toBe('V1');
    expect(inputIds(parseJson(update.args.view) as SentView, 'weight')).toHaveLength(6);
  });

  it('does not open the modal for someone who may not edit', async () => {
    const opened = harness.slack.callsTo('views.open').length;
    const reply = await (await harness.spec(`edit ${SPEC}`, MEMBER)).reply();
    expect(reply.text).toContain('not change it');
    expect(harness.slack.callsTo('views.open')).toHaveLength(opened);
  });
});
