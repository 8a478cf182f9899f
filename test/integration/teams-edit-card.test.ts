import { generateKeyPairSync } from 'node:crypto';
import { activityText, BOT_APP_ID } from '../support/fake-bot-connector';
import { actionOf, actions, cardOf, errorUnder, formError, inputs, invoke, press, shown, texts, type Card } from '../support/teams-cards';
import { MEMBER, OWNER, TeamsHarness } from '../support/teams-harness';

let h: TeamsHarness;
beforeAll(async () => {
  h = await TeamsHarness.start();
});
afterAll(async () => {
  await h?.stop();
});

const save = (card: Card) => actionOf(card, 'Save').data;

describe('edit as an Adaptive Card form', () => {
  it('refuses members without a grant before showing the form', async () => {
    const reply = await h.ask('edit senior-backend-payments', MEMBER);
    expect(reply.body.text).toContain('but not change it');
  });

  it('shows errors next to the fields, then saves; a stale form is refused naming who changed it', async () => {
    const form = cardOf(await h.ask('edit senior-backend-payments'));
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
    expect(errorUnder(errorCard, 'c_r1_id')).toContain('"Bad Id" is not a valid id');
    expect(errorUnder(errorCard, 'c_r0_weight')).toContain('0.333');
    expect(errorUnder(errorCard, 'c_r0_name')).toBeUndefined();
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
    const staleCard = (stale.body as { value: Card }).value;
    expect(formError(staleCard)).toContain(OWNER.name);
    expect(inputs(staleCard).c_r0_name).toBe('Renamed');
  });
});

describe('one part at a time', () => {
  const SLUG = 'senior-backend-payments';
  const current = async () => (await h.db.spec.findFirstOrThrow({ where: { slug: SLUG } })).currentVersion;

  it('switches parts from inside the card, each opened on the current version; what was typed is dropped', async () => {
    const form = cardOf(await h.ask(`edit ${SLUG}`));
    const title = inputs(form).title;
    expect(actions(form).map((a) => a.title)).toEqual(expect.arrayContaining(['Must-haves', 'Interview settings']));
    expect(actions(form).filter((a) => a.title === 'Competencies')).toEqual([]);
    expect(await h.ask(`musthave add ${SLUG} Kafka in production`).then(activityText)).toContain('✅ Saved');
    const now = await current();

    const mustHaves = shown(await press(h, form, 'Must-haves', { title: 'Typed, never saved' }));
    expect(texts(mustHaves)[0]).toBe(`Edit **${SLUG}** · Must-haves (based on v${now})`);
    expect(Object.values(inputs(mustHaves))).toContain('Kafka in production');
    const settings = shown(await press(h, mustHaves, 'Interview settings', { m_m0_text: 'dropped too' }));
    expect(texts(settings)[0]).toBe(`Edit **${SLUG}** · Interview settings (based on v${now})`);
    const competencies = shown(await press(h, settings, 'Competencies'));
    expect(texts(competencies)[0]).toBe(`Edit **${SLUG}** · Competencies (based on v${now})`);
    expect(inputs(competencies).title).toBe(title);
    expect(await current()).toBe(now);
  });

  it('opens the part the command names', async () => {
    for (const [word, label] of [
      ['musthaves', 'Must-haves'],
      ['must-haves', 'Must-haves'],
      ['questions', 'Interview settings'],
      ['weights', 'Competencies'],
    ]) {
      expect(texts(cardOf(await h.ask(`edit ${SLUG} ${word}`)))[0]).toContain(`· ${label} (based on`);
    }
  });

  it('still reads a competency form from before parts (no part in its state)', async () => {
    const form = cardOf(await h.ask(`edit ${SLUG}`));
    const save = actionOf(form, 'Save');
    const { part, ...older } = save.data.panelist as Record<string, unknown>;
    expect(part).toBe('competencies');
    const before = await current();
    const saved = shown(await invoke(h, save.verb, { ...save.data, ...inputs(form), panelist: older, title: 'Payments backend, senior' }));
    expect(texts(saved)[0]).toContain(`✅ Saved **v${before + 1}** of **${SLUG}**: title "`);
    expect(await current()).toBe(before + 1);
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
