import { parseJson } from '../support/fake-slack';
import { ADMIN, Harness, MEMBER, replyText } from '../support/harness';
import { overflowAction, blockAction, viewSubmission, type SentView } from '../support/slack-views';

/** The rest of the spec in Slack: must-haves and interview settings, by modal and by one-line command. */
const SPEC = 'senior-backend-payments';
const PYTHON = '5+ years shipping production backend systems in Python';
let harness: Harness;

beforeAll(async () => {
  harness = await Harness.start();
});
afterAll(async () => {
  await harness.stop();
});

async function openPart(part: string, user = ADMIN): Promise<SentView> {
  const before = harness.slack.callsTo('views.open').length;
  await harness.spec(`edit ${SPEC} ${part}`, user);
  const call = await harness.slack.waitFor(() => harness.slack.callsTo('views.open')[before]);
  return parseJson(call.args.view) as SentView;
}

async function submit(view: SentView, edits: Record<string, string>) {
  const response = await harness.interact(viewSubmission(view, ADMIN, edits));
  expect(response.status).toBe(200);
  return response.text ? (response.json() as { response_action: string; errors?: Record<string, string> }) : { response_action: 'none' };
}

async function updated(send: () => Promise<unknown>): Promise<SentView> {
  const before = harness.slack.callsTo('views.update').length;
  await send();
  const call = await harness.slack.waitFor(() => harness.slack.callsTo('views.update')[before]);
  return parseJson(call.args.view) as SentView;
}

const textBlocks = (view: SentView) =>
  view.blocks.filter((b) => b.type === 'input' && b.block_id?.endsWith(':text')).map((b) => b.block_id!);
const versionCount = async () => Number(/(\d+) versions?/.exec((await (await harness.spec(`history ${SPEC}`)).reply()).text)?.[1] ?? 0);

describe('the must-haves modal', () => {
  it('lists the must-haves in order with required or nice to have, and moves, adds and removes rows', async () => {
    const view = await openPart('musthaves');
    expect(view.callback_id).toBe('spec_edit_must_haves');
    const rows = textBlocks(view);
    expect(rows).toHaveLength(4);
    expect(JSON.stringify(view)).toContain(PYTHON);

    const moved = await updated(() => harness.interact(overflowAction(view, ADMIN, 'must_have_row', `down:${rows[0]!.split(':')[1]}`)));
    expect(textBlocks(moved)).toEqual([rows[1], rows[0], rows[2], rows[3]]);
    const added = await updated(() => harness.interact(blockAction(moved, ADMIN, 'must_have_add')));
    expect(textBlocks(added)).toHaveLength(5);
    const removed = await updated(() =>
      harness.interact(overflowAction(added, ADMIN, 'must_have_row', `remove:${rows[2]!.split(':')[1]}`)),
    );
    expect(textBlocks(removed)).toEqual([rows[1], rows[0], rows[3], textBlocks(added)[4]]);
  });

  it('refuses an empty, a duplicate or an over-long must-have under its field, and saves nothing', async () => {
    const before = await versionCount();
    const view = await openPart('musthaves');
    const [first, second, third, fourth] = textBlocks(view);
    const result = await submit(view, { [second!]: ` ${PYTHON.toUpperCase()} `, [third!]: '   ', [fourth!]: 'x'.repeat(501) });
    expect(result.response_action).toBe('errors');
    expect(result.errors![first!]).toBeUndefined();
    expect(result.errors![second!]).toBe('This must-have is listed twice; remove one.');
    expect(result.errors![third!]).toBe('This must-have is empty; write it or remove it.');
    expect(result.errors![fourth!]).toBe('This must-have is longer than 500 characters; shorten it.');
    expect(await versionCount()).toBe(before);
  });

  it('saves a reordered, reworded list with a nice-to-have as one version, and history says what changed', async () => {
    const view = await openPart('musthaves');
    const rows = textBlocks(view);
    const moved = await updated(() => harness.interact(overflowAction(view, ADMIN, 'must_have_row', `up:${rows[3]!.split(':')[1]}`)));
    const key = rows[1]!.split(':')[1];
    const result = await submit(moved, {
      [`m:${key}:text`]: 'Strong SQL, on Postgres',
      [`m:${rows[0]!.split(':')[1]}:required`]: 'nice',
      note: 'Python is a plus, not a gate',
    });
    expect(result.response_action).toBe('clear');
    const history = replyText(await (await harness.spec(`history ${SPEC}`)).reply());
    expect(history).toContain('reworded must-have 2');
    expect(history).toContain('Strong SQL, on Postgres');
    expect(history).toContain(`now nice to have`);
    expect(history).toContain('reordered must-haves');
    expect(history).toContain('Python is a plus, not a gate');
  });

  it('refuses a save made on an older version and keeps what was typed', async () => {
    const view = await openPart('musthaves');
    await (await harness.spec(`musthave add ${SPEC} Kafka in production`)).reply();
    const result = await submit(view, { [textBlocks(view)[0]!]: 'Go in production' });
    expect(result.response_action).toBe('errors');
    expect(result.errors!.note).toContain('changed while you were editing');
  });
});

describe('the interview settings modal', () => {
  it('saves questions, auto-publish, prompts and mode, and refuses a tampered choice', async () => {
    const view = await openPart('settings');
    expect(view.callback_id).toBe('spec_edit_settings');
    const before = await versionCount();
    const bad = await submit(view, { 'q:candidate_sees': '11', 'b:mode': 'video' });
    expect(bad.errors).toEqual({
      'q:candidate_sees': 'Choose how many questions a candidate sees: 1 to 10.',
      'b:mode': 'Choose voice or text.',
    });
    expect(await versionCount()).toBe(before);

    const result = await submit(view, { 'q:candidate_sees': '5', 'q:auto_publish': '', 'b:prompts': '6', 'b:mode': 'text' });
    expect(result.response_action).toBe('clear');
    const history = replyText(await (await harness.spec(`history ${SPEC}`)).reply());
    expect(history).toContain('candidate sees 3 → 5 interview questions');
    expect(history).toContain('auto-publish of interview questions turned off');
    expect(history).toContain('behavioral prompts 4 → 6');
    expect(history).toContain('behavioral round by voice → text');
  });

  it('switches part from the menu, opened on the current version', async () => {
    const view = await openPart('settings');
    const next = await updated(() => harness.interact(overflowAction(view, ADMIN, 'spec_edit_part', 'mustHaves')));
    expect(next.callback_id).toBe('spec_edit_must_haves');
  });
});

describe('one-line commands for the rest of the spec', () => {
  it('adds, marks, moves and removes must-haves, each a version, with answers in words', async () => {
    const add = await (await harness.spec(`musthave add ${SPEC} Payments, ledgers or billing experience`)).reply();
    expect(add.text).toMatch(
      /Saved \*v\d+\* of `senior-backend-payments`: added must-have "Payments, ledgers or billing experience" \(required\)/,
    );
    expect(replyText(await (await harness.spec(`show ${SPEC}`)).reply())).toContain('Payments, ledgers or billing experience');

    const required = await (await harness.spec(`musthave required ${SPEC} 1`)).reply();
    expect(required.text).toContain('now required');
    const moved = await (await harness.spec(`musthave move ${SPEC} 1 3`)).reply();
    expect(moved.text).toContain('reordered must-haves');
    const missing = await (await harness.spec(`musthave remove ${SPEC} 19`)).reply();
    expect(missing.text).toMatch(/has \d+ must-haves; there is no must-have 19/);
    const removed = await (await harness.spec(`musthave remove ${SPEC} 3`)).reply();
    expect(removed.text).toContain(`removed must-have "${PYTHON}"`);
    const again = await (await harness.spec(`musthave remove ${SPEC} 30`)).reply();
    expect(again.text).toContain('Which must-have?');
    const same = await (await harness.spec(`questions ${SPEC} autopublish off`)).reply();
    expect(same.text).toContain('nothing changed');
  });

  it('sets questions and the behavioral round; refuses members and bad values with words', async () => {
    const questions = await (await harness.spec(`questions ${SPEC} 7 autopublish on`)).reply();
    expect(questions.text).toContain('candidate sees');
    expect(questions.text).toContain('→ 7 interview questions');
    const round = await (await harness.spec(`behavioral ${SPEC} voice 3`)).reply();
    expect(round.text).toContain('behavioral prompts 6 → 3');
    const member = await (await harness.spec(`behavioral ${SPEC} 2`, MEMBER)).reply();
    expect(member.text).toContain('not change it');
    const bad = await (await harness.spec(`questions ${SPEC} 0`)).reply();
    expect(bad.text).toContain('is not a number of questions from 1 to 10');
  });
});
