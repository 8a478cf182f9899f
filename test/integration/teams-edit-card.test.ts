import { generateKeyPairSync } from 'node:crypto';
import { BOT_APP_ID } from '../support/fake-bot-connector';
import { MEMBER, OWNER, TeamsHarness } from '../support/teams-harness';

let h: TeamsHarness;
beforeAll(async () => {
  h = await TeamsHarness.start();
});
afterAll(async () => {
  await h?.stop();
});

type Card = { body: unknown[]; actions: { verb: string; data: Record<string, unknown> }[] };
const formOf = (activity: { body: Record<string, unknown> }) => (activity.body.attachments as { content: Card }[])[0]!.content;
/** Every input's current value, as Teams would send it back with an Action.Execute. */
function inputs(card: Card): Record<string, string> {
  const values: Record<string, string> = {};
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const n = node as Record<string, unknown>;
      if (n.type === 'Input.Text' && typeof n.id === 'string') values[n.id] = String(n.value ?? '');
      Object.values(n).forEach(walk);
    }
  };
  walk(card.body);
  return values;
}
const save = (card: Card) => card.actions.find((a) => a.verb === 'panelist.edit.save')!.data;

describe('edit as an Adaptive Card form', () => {
  it('refuses members without a grant before showing the form', async () => {
    const reply = await h.ask('edit senior-backend-payments', MEMBER);
    expect(reply.body.text).toContain('but not change it');
  });

  it('shows errors next to the fields, then saves; a stale form is refused naming who changed it', async () => {
    const form = formOf(await h.ask('edit senior-backend-payments'));
    const values = inputs(form);
    expect(Object.keys(values)).toEqual(
      expect.arrayContaining(['title', 'c_r0_name', 'c_r0_id', 'c_r0_weight', 'c_r0_definition', 'note']),
    );

    const wrong = await h.cardAction('panelist.edit.save', { ...save(form), ...values, c_r0_weight: '0.333', c_r1_id: 'Bad Id' });
    expect(wrong.status).toBe(200);
    const errorCard = (wrong.body as { value: Card; type: string }).value;
    const text = JSON.stringify(errorCard);
    expect(text).toContain('"color":"Attention"');
    expect(text).toContain('not a valid id');
    expect(inputs(errorCard).c_r1_id).toBe('Bad Id'); // the input is kept
    expect(await h.db.spec.findFirst({ select: { currentVersion: true } })).toEqual({ currentVersion: 1 });

    // Add a row, then remove it again: no database, the form re-rendered
    const added = (await h.cardAction('panelist.edit.add', { ...save(form), ...values })).body as { value: Card };
    expect(Object.keys(inputs(added.value))).toContain('c_r5_name');
    const removeAction = JSON.stringify(added.value).includes('"remove":"r5"');
    expect(removeAction).toBe(true);

    const ok = await h.cardAction('panelist.edit.save', {
      ...save(form),
      ...values,
      c_r0_weight: '0.25',
      c_r3_weight: '20%',
      note: 'more ownership',
    });
    expect(JSON.stringify(ok.body)).toContain('Saved **v2** of **senior-backend-payments**');
    const version = await h.db.specVersion.findFirst({ where: { number: 2 } });
    expect(version).toMatchObject({ authorPlatform: 'teams', authorId: OWNER.aadObjectId, note: 'more ownership' });

    // the same (now stale) form again
    const stale = await h.cardAction('panelist.edit.save', { ...save(form), ...values, c_r0_name: 'Renamed' });
    const staleText = JSON.stringify(stale.body);
    expect(staleText).toMatch(/v2/);
    expect(staleText).toContain(OWNER.name);
  });
});

describe('authentication with credentials on (fake OpenID metadata and keys)', () => {
  const post = (token: string | null, body: Record<string, unknown> = {}) =>
    h.activity(
      {
        type: 'conversationUpdate',
        from: { id: OWNER.id },
        recipient: { id: `28:${BOT_APP_ID}` },
        conversation: { id: 'c-auth', tenantId: 'tenant-1' },
        ...body,
      },
      token,
    );

  it('accepts a correctly signed token', async () => {
    expect((await post(h.connector.sign())).status).toBe(200);
  });
  it('refuses a missing token, wrong audience, wrong issuer, mismatched serviceUrl, expired token, foreign key', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const cases: [string, string | null][] = [
      ['missing', null],
      ['audience', h.connector.sign({ aud: 'someone-else' })],
      ['issuer', h.connector.sign({ iss: 'https://evil.example.com' })],
      ['serviceUrl', h.connector.sign({ serviceurl: 'https://smba.trafficmanager.net/elsewhere/' })],
      ['expired', h.connector.sign({ iat: now - 7200, nbf: now - 7200, exp: now - 3600 })],
      ['foreign key', h.connector.sign({}, { key: privateKey })],
    ];
    for (const [name, token] of cases) {
      const answer = await post(token);
      expect([name, answer.status]).toEqual([name, 401]);
    }
  });
});
