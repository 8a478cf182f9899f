import { Client } from 'pg';
import { ADMIN, Harness, MEMBER, OTHER, replyText, SIGNING_SECRET } from '../support/harness';
import { postSigned, slashCommandBody, slackSignature } from '../support/slack-requests';

const SPEC = 'senior-backend-payments';
let harness: Harness;

beforeAll(async () => {
  harness = await Harness.start();
});
afterAll(async () => {
  await harness.stop();
});

async function answer(text: string, user = ADMIN, extra = {}) {
  const sent = await harness.spec(text, user, extra);
  expect(sent.ack.status).toBe(200);
  const inAck = sent.ack.text ? (sent.ack.json() as { text: string; blocks: unknown[] }) : undefined;
  return inAck ?? (await sent.reply());
}

describe('/spec help and mistakes are answered in the acknowledgement', () => {
  it('lists every command', async () => {
    const sent = await harness.spec('help');
    const body = sent.ack.json() as { response_type: string; text: string };
    expect(body.response_type).toBe('ephemeral');
    // Placeholders are escaped, code spans included: a raw <spec> is a link to Slack.
    for (const usage of [
      '`/spec list`',
      '`/spec show &lt;spec&gt;`',
      '`/spec edit &lt;spec&gt; [competencies|musthaves|settings]`',
      '/spec weights',
      '`/spec musthave add|edit|remove|move|required|nice &lt;spec&gt; …`',
      '`/spec questions &lt;spec&gt; [&lt;1-10&gt;] [autopublish on|off]`',
      '/spec behavioral',
      '/spec history',
      '/spec revert',
      '`/spec grant @user &lt;spec|all&gt;`',
      '/spec revoke @user',
    ]) {
      expect(body.text).toContain(usage);
    }
    expect(body.text).not.toMatch(/<(spec|version|competency)/);
  });

  it('refuses command text over 4,000 characters in the acknowledgement, in words', async () => {
    const sent = await harness.spec(`show ${'senior-backend-payments'.repeat(500)}`);
    const body = sent.ack.json() as { response_type: string; text: string };
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('That command is 11,505 characters long; a command can be at most 4,000.');
  });

  it('answers a spec reference just under the limit with a shortened quote', async () => {
    const reference = `${SPEC}-${'x'.repeat(3_900)}`;
    const reply = await answer(`show ${reference}`);
    expect(reply.text).toContain(`No spec "${reference.slice(0, 60)}…".`);
    expect(reply.text.length).toBeLessThan(300);
  });

  it('suggests the command a typo meant', async () => {
    const sent = await harness.spec('shwo senior-backend-payments');
    // Escaped as Slack requires, so the placeholder shows as written instead of becoming a link.
    expect((sent.ack.json() as { text: string }).text).toContain('Did you mean `/spec show &lt;spec&gt;`?');
  });
});

describe('reading specs', () => {
  it('lists the seeded demo spec', async () => {
    const reply = await answer('list');
    expect(reply.text).toContain(SPEC);
  });

  it('shows competencies, the weight sum, must-haves, settings, version and live performance', async () => {
    const text = replyText(await answer(`show ${SPEC}`));
    for (const expected of [
      'Senior Backend Engineer — Payments Platform',
      'Financial Systems Design',
      '`financial_systems_design`',
      'weight *0.30*',
      'Design and implement bulletproof payment state machines',
      'weights total *1.00*',
      'balanced',
      '*Must-haves* · 4 required · 0 nice to have',
      '1. 5+ years shipping production backend systems in Python _(required)_',
      '4. Track record of owning production incidents',
      'ai-generated · candidate sees 3 of the questions · auto-publish on',
      'round 2 · voice · 4 prompts · interviewer Cal',
      '*v1*',
      'platform version v1-Mft0Fe',
      'Interviews *0* · completion *0 of 0 (—)* · 0 abandoned',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('answers a read in the acknowledgement itself, and a change by response_url after an empty ack', async () => {
    const show = await harness.spec(`show ${SPEC}`);
    expect(show.ack.status).toBe(200);
    expect(show.ack.json()).toMatchObject({ response_type: 'ephemeral', text: expect.stringContaining(SPEC) });
    const change = await harness.spec(`weights ${SPEC} financial_systems_design=0.30`);
    expect(change.ack.text).toBe('');
    expect((await change.reply()).text).toMatch(/nothing changed|unchanged|already/i);
    expect(harness.slack.responses.some((r) => r.id === show.responseId)).toBe(false);
  });

  it('acknowledges a read that is not ready within half a second, then answers it by response_url', async () => {
    const blocker = new Client({ connectionString: harness.database.url });
    await blocker.connect();
    try {
      // Hold the spec table, as a long migration or a stuck transaction would.
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE spec IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      const show = await harness.spec(`show ${SPEC}`);
      const ackedAfter = Date.now() - started;
      expect(show.ack.status).toBe(200);
      expect(show.ack.text).toBe('');
      expect(ackedAfter).toBeLessThan(2_500);
      await blocker.query('COMMIT');
      expect((await harness.replyTo(show.responseId)).text).toContain('Senior Backend Engineer');
    } finally {
      await blocker.end();
    }
  });

  it('finds a spec by an unambiguous id prefix', async () => {
    expect((await answer('show 58fd32b5')).text).toContain('Senior Backend Engineer');
  });

  it('answers a mistyped spec with near matches', async () => {
    expect((await answer('show senior-backend-paymnets')).text).toContain(`No spec "senior-backend-paymnets". Did you mean \`${SPEC}\`?`);
  });

  it('shows a workspace only its own organization', async () => {
    await answer('list'); // the first workspace (T1) has claimed the default organization
    const reply = await answer('list', ADMIN, { teamId: 'T2' });
    expect(reply.text).toContain('No specs yet');
    expect((await answer(`show ${SPEC}`, ADMIN, { teamId: 'T2' })).text).toContain(`No spec "${SPEC}"`);
  });
});

describe('changing weights, history and revert', () => {
  it('refuses a change whose weights do not total 1.00, saying the sum, and saves nothing', async () => {
    const reply = await answer(`weights ${SPEC} financial_systems_design=0.35`);
    expect(reply.text).toContain('Weights add up to 1.05; they must total 1.00 (remove 0.05).');
    expect(reply.text).toContain('Nothing was saved');
    expect((await answer(`history ${SPEC}`)).text).toContain('History of senior-backend-payments\nv1: created');
  });

  it('names an unknown competency with the one it probably meant', async () => {
    const reply = await answer(`weights ${SPEC} financial_system_design=0.35 fastapi_kafka_systems=0.05`);
    expect(reply.text).toContain('has no competency "financial_system_design" (did you mean financial_systems_design?)');
  });

  it('saves a balanced change as a new version, whatever the notation', async () => {
    const reply = await answer(`weights ${SPEC} financial_systems_design=35% fastapi_kafka_systems=.05`);
    expect(reply.text).toContain(
      'Saved *v2* of `senior-backend-payments`: financial_systems_design 0.30 → 0.35; fastapi_kafka_systems 0.10 → 0.05',
    );
    expect(replyText(await answer(`show ${SPEC}`))).toContain('*v2* by <@UADMIN>');
  });

  it('lists versions with author, what changed and the note', async () => {
    const history = await answer(`history ${SPEC}`);
    expect(history.text).toContain('v2: financial_systems_design 0.30 → 0.35; fastapi_kafka_systems 0.10 → 0.05');
    expect(replyText(history)).toContain('*v2* _(current)_ · <@UADMIN>');
  });

  it('reverts by making a new version equal to the old one', async () => {
    const reply = await answer(`revert ${SPEC} 1`);
    expect(reply.text).toContain('Reverted to v1 as *v3*');
    expect(replyText(await answer(`show ${SPEC}`))).toContain('weight *0.30*');
    expect((await answer(`revert ${SPEC} 9`)).text).toContain('has versions 1 to 3; there is no v9');
  });
});

describe('permissions', () => {
  it('lets everyone read but only admins and granted users edit', async () => {
    expect((await answer(`show ${SPEC}`, MEMBER)).text).toContain('Senior Backend Engineer');
    const refused = await answer(`weights ${SPEC} financial_systems_design=0.25 production_ownership=0.20`, MEMBER);
    expect(refused.text).toContain('You can read `senior-backend-payments` but not change it');

    expect((await answer('grant <@UMEMBER|bob> senior-backend-payments', MEMBER)).text).toContain(
      'Only workspace admins and owners can grant',
    );
    expect((await answer('grant <@UMEMBER|bob> senior-backend-payments')).text).toContain(
      '<@UMEMBER> can now edit `senior-backend-payments`',
    );

    const saved = await answer(`weights ${SPEC} financial_systems_design=0.25 production_ownership=0.20`, MEMBER);
    expect(saved.text).toContain('Saved *v4*');
    expect((await answer(`weights ${SPEC} financial_systems_design=0.30 production_ownership=0.15`, OTHER)).text).toContain(
      'not change it',
    );

    expect((await answer('revoke <@UMEMBER|bob> senior-backend-payments')).text).toContain('can no longer edit');
    expect((await answer(`weights ${SPEC} financial_systems_design=0.30 production_ownership=0.15`, MEMBER)).text).toContain(
      'not change it',
    );
  });

  it('refuses a grant to a user Slack does not know', async () => {
    expect((await answer('grant <@UNOBODY|x> all')).text).toContain('can’t find that user');
  });
});

describe('requests not signed by Slack', () => {
  const body = () => slashCommandBody({ text: 'list', userId: ADMIN.id, responseUrl: harness.slack.responseUrl() });

  it('refuses a bad signature', async () => {
    const response = await postSigned(`${harness.baseUrl}/slack/events`, SIGNING_SECRET, body(), { signature: 'v0=deadbeef' });
    expect(response.status).toBe(401);
  });

  it('refuses a stale timestamp even when the signature matches it', async () => {
    const old = Math.floor(Date.now() / 1000) - 600;
    const text = body();
    const response = await postSigned(`${harness.baseUrl}/slack/events`, SIGNING_SECRET, text, {
      timestamp: old,
      signature: slackSignature(SIGNING_SECRET, old, text),
    });
    expect(response.status).toBe(401);
  });
});

describe('health', () => {
  it('answers /healthz and /readyz', async () => {
    expect((await fetch(`${harness.baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${harness.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });
});
