import { activityText, TENANT_ID } from '../support/fake-bot-connector';
import {
  actionOf,
  actions,
  cardOf,
  DEMO_SPEC,
  errorUnder,
  errors,
  formError,
  importDemoSpec,
  inputs,
  invoke,
  press,
  shown,
  texts,
  type Card,
} from '../support/teams-cards';
import { BOT_ID, CHANNEL_ID, MEMBER, OWNER, TEAM_ID, TeamsHarness } from '../support/teams-harness';

/** The must-haves part of the edit card, through signed Teams activities and card invokes. */
let h: TeamsHarness;
beforeAll(async () => {
  h = await TeamsHarness.start();
});
afterAll(async () => {
  await h?.stop();
});

const [A, B, C, D] = DEMO_SPEC.mustHaves.map((m) => m.text) as [string, string, string, string];

const freshSpec = (slug: string) => importDemoSpec(h, slug);
/** as history quotes a must-have: its first 60 characters */
const quoted = (text: string) => (text.length <= 60 ? text : `${text.slice(0, 60)}…`);
const versionsOf = async (slug: string) => h.db.specVersion.count({ where: { spec: { slug } } });
const mustHavesOf = async (slug: string) => {
  const spec = await h.db.spec.findFirstOrThrow({ where: { slug } });
  const version = await h.db.specVersion.findUniqueOrThrow({
    where: { specId_number: { specId: spec.id, number: spec.currentVersion } },
  });
  return version.mustHaves;
};
const openMustHaves = async (slug: string) => cardOf(await h.ask(`edit ${slug} musthaves`));
/** the must-have rows' texts, in card order */
const rowTexts = (card: Card) =>
  Object.entries(inputs(card))
    .filter(([id]) => /^m_.+_text$/.test(id))
    .map(([, text]) => text);
const moveAction = (key: string, direction: 'up' | 'down') => (a: { data: Record<string, unknown> }) =>
  a.data.move === key && a.data.direction === direction;

describe('the must-haves card', () => {
  it('opens with a row per must-have: text, required or nice to have, move and remove; the other parts at the top', async () => {
    const slug = await freshSpec('mh-open');
    const form = await openMustHaves(slug);
    expect(texts(form)[0]).toBe(`Edit **${slug}** · Must-haves (based on v1)`);
    expect(rowTexts(form)).toEqual([A, B, C, D]);
    expect(inputs(form)).toMatchObject({ m_m0_required: 'required', m_m3_required: 'required', note: '' });
    const text = form.body.flatMap((n) => JSON.stringify(n)).join('');
    expect(text).toContain('"type":"Input.ChoiceSet"');
    expect(text).toContain('"maxLength":500');
    // The ends cannot move past themselves.
    expect(actions(form).filter(moveAction('m0', 'up'))).toEqual([]);
    expect(actions(form).filter(moveAction('m3', 'down'))).toEqual([]);
    expect(actions(form).filter(moveAction('m1', 'up'))).toHaveLength(1);
    expect(actions(form).map((a) => a.title)).toEqual(
      expect.arrayContaining(['Competencies', 'Interview settings', 'Add a must-have', 'Remove must-have 4', 'Save', 'Cancel']),
    );
    expect(texts(form)).toContain('Another part opens as it is now; what you changed here and did not save is dropped.');
  });

  it('adds, marks, removes and moves rows without saving, then saves one version with its note and a history in words', async () => {
    const slug = await freshSpec('mh-flow');
    const E = 'Payments compliance experience (PCI DSS)';
    let form = shown(await press(h, await openMustHaves(slug), 'Add a must-have'));
    expect(rowTexts(form)).toEqual([A, B, C, D, '']);
    form = shown(await press(h, form, 'Remove must-have 3', { m_m4_text: E, m_m1_required: 'nice' }));
    expect(rowTexts(form)).toEqual([A, B, D, E]);
    expect(inputs(form).m_m1_required).toBe('nice');
    form = shown(await press(h, form, actionOf(form, moveAction('m4', 'up'))));
    form = shown(await press(h, form, actionOf(form, moveAction('m4', 'up'))));
    expect(rowTexts(form)).toEqual([A, E, B, D]);
    form = shown(await press(h, form, actionOf(form, moveAction('m3', 'up'))));
    form = shown(await press(h, form, actionOf(form, moveAction('m0', 'down'))));
    expect(rowTexts(form)).toEqual([E, A, D, B]);
    expect(await versionsOf(slug)).toBe(1);

    const saved = shown(await press(h, form, 'Save', { note: 'compliance matters more than SQL depth' }));
    const words = texts(saved).join('\n');
    expect(words).toContain(`✅ Saved **v2** of **${slug}**: `);
    expect(words).toContain(`added must-have "${E}" (required)`);
    expect(words).toContain(`removed must-have "${quoted(C)}"`);
    expect(words).toContain(`must-have "${quoted(B)}" now nice to have`);
    expect(words).toContain('reordered must-haves');
    expect(words).toContain(`by ${OWNER.name} · “compliance matters more than SQL depth”`);
    expect(await versionsOf(slug)).toBe(2);
    expect(await mustHavesOf(slug)).toEqual([
      { text: E, required: true },
      { text: A, required: true },
      { text: D, required: true },
      { text: B, required: false },
    ]);
    const version = await h.db.specVersion.findFirstOrThrow({ where: { spec: { slug }, number: 2 } });
    expect(version).toMatchObject({ authorPlatform: 'teams', authorId: OWNER.aadObjectId, note: 'compliance matters more than SQL depth' });

    const history = texts(cardOf(await h.ask(`history ${slug}`))).join('\n');
    expect(history).toContain(`added must-have "${E}" (required); removed must-have "${quoted(C)}"`);
    expect(history).toContain('compliance matters more than SQL depth');
  });

  it('may leave a spec with no must-haves; then says so and offers to add one', async () => {
    const slug = await freshSpec('mh-none');
    let form = await openMustHaves(slug);
    for (const n of [4, 3, 2, 1]) form = shown(await press(h, form, `Remove must-have ${n}`));
    expect(rowTexts(form)).toEqual([]);
    const saved = shown(await press(h, form, 'Save'));
    expect(texts(saved).join('\n')).toContain(`removed must-have "${quoted(A)}"`);
    expect(await mustHavesOf(slug)).toEqual([]);

    const empty = await openMustHaves(slug);
    expect(texts(empty)).toContain('No must-haves. A spec may have none; add one below if it needs one.');
    expect(actionOf(empty, 'Add a must-have').verb).toBe('panelist.edit.add');
  });

  it('offers no more than 20 rows, and says why', async () => {
    const slug = await freshSpec('mh-twenty');
    let form = await openMustHaves(slug);
    for (let rows = 4; rows < 20; rows += 1) form = shown(await press(h, form, 'Add a must-have'));
    expect(rowTexts(form)).toHaveLength(20);
    expect(actions(form).filter((a) => a.title === 'Add a must-have')).toEqual([]);
    expect(texts(form)).toContain('20 must-haves is the most a spec holds; remove one to add another.');
    expect(await versionsOf(slug)).toBe(1);
  });

  it('shows each bad row under its own input, keeps what was typed and saves nothing', async () => {
    const slug = await freshSpec('mh-bad');
    const form = await openMustHaves(slug);
    const long = 'x'.repeat(501);
    const answer = shown(
      await press(h, form, 'Save', { m_m0_text: '   ', m_m2_text: long, m_m3_text: ` ${B.toUpperCase()} `, m_m3_required: 'maybe' }),
    );
    expect(errorUnder(answer, 'm_m0_text')).toBe('⚠️ This must-have is empty; write it or remove it.');
    expect(errorUnder(answer, 'm_m1_text')).toBeUndefined();
    expect(errorUnder(answer, 'm_m2_text')).toBe('⚠️ This must-have is longer than 500 characters; shorten it.');
    expect(errorUnder(answer, 'm_m3_text')).toBe('⚠️ This must-have is listed twice; remove one.');
    expect(errorUnder(answer, 'm_m3_required')).toBe('⚠️ Choose required or nice to have.');
    expect(formError(answer)).toBeUndefined();
    expect(inputs(answer).m_m2_text).toBe(long);
    const onlyChoice = shown(await press(h, form, 'Save', { m_m0_text: 'Python, 5+ years', m_m3_required: 'yes' }));
    expect(errors(onlyChoice)).toEqual(['⚠️ Choose required or nice to have.']);
    expect(errorUnder(onlyChoice, 'm_m3_required')).toBe('⚠️ Choose required or nice to have.');
    expect(await versionsOf(slug)).toBe(1);
  });

  it('refuses a damaged or changed form state with a sentence, and changes nothing', async () => {
    const slug = await freshSpec('mh-damaged');
    const form = await openMustHaves(slug);
    const save = actionOf(form, 'Save');
    const state = save.data.panelist as Record<string, unknown>;
    const damaged: Record<string, unknown>[] = [
      { ...state, specId: 'not-a-spec' },
      { ...state, baseVersion: '1' },
      { ...state, part: 'salary' },
      { ...state, keys: 'm0' },
      { ...state, keys: ['m0', 'm0'] },
      { ...state, keys: Array.from({ length: 21 }, (_, i) => `m${i}`) },
      { ...state, slug: '<!channel>' },
    ];
    for (const panelist of [...damaged, undefined]) {
      const answer = await invoke(h, save.verb, { ...save.data, ...inputs(form), panelist, m_m0_text: 'Changed' });
      expect([panelist, answer.status, answer.message]).toEqual([
        panelist,
        200,
        '⚠️ This form is damaged or from an older Panelist; open a new one with **edit &lt;spec&gt;**.',
      ]);
    }
    const wrongPart = await invoke(h, 'panelist.edit.part', { ...save.data, to: 'salary' });
    expect(wrongPart.message).toContain('This form is damaged');
    expect(await versionsOf(slug)).toBe(1);
  });

  it('refuses a stale form naming who saved meanwhile, with the input kept', async () => {
    const slug = await freshSpec('mh-stale');
    const form = await openMustHaves(slug);
    expect(activityText(await h.ask(`musthave add ${slug} Kafka in production`))).toContain('Saved **v2**');

    const answer = shown(await press(h, form, 'Save', { m_m0_text: 'Python, 5+ years', note: 'shorter' }));
    expect(formError(answer)).toMatch(/v2/);
    expect(formError(answer)).toContain(OWNER.name);
    expect(inputs(answer)).toMatchObject({ m_m0_text: 'Python, 5+ years', note: 'shorter' });
    expect(await versionsOf(slug)).toBe(2);
  });

  it('refuses someone without edit rights in words, at the top, with the input kept', async () => {
    const slug = await freshSpec('mh-member');
    const form = await openMustHaves(slug);
    const answer = shown(await press(h, form, 'Save', { m_m0_text: 'Anything' }, MEMBER));
    expect(formError(answer)).toContain(`You can read **${slug}** but not change it`);
    expect(inputs(answer).m_m0_text).toBe('Anything');
    const switched = shown(await press(h, form, 'Interview settings', {}, MEMBER));
    expect(formError(switched)).toContain('but not change it');
    expect(await versionsOf(slug)).toBe(1);
  });

  it('says so when nothing changed', async () => {
    const slug = await freshSpec('mh-same');
    const answer = shown(await press(h, await openMustHaves(slug), 'Save'));
    expect(formError(answer)).toBe(`⚠️ Nothing changed; **${slug}** stays at v1.`);
    expect(await versionsOf(slug)).toBe(1);
  });

  it('works the same through the Action.Submit fallback, the answer replacing the card in place', async () => {
    const slug = await freshSpec('mh-submit');
    const posted = await h.ask(`edit ${slug} musthaves`);
    const form = cardOf(posted);
    const add = actionOf(form, 'Add a must-have');
    const sent = await h.activity({
      type: 'message',
      id: 'submit-1',
      replyToId: posted.id,
      from: { id: OWNER.id, name: OWNER.name, aadObjectId: OWNER.aadObjectId },
      recipient: { id: BOT_ID, name: 'Panelist' },
      conversation: { id: posted.conversationId, conversationType: 'channel', tenantId: TENANT_ID },
      channelData: { tenant: { id: TENANT_ID }, team: { id: TEAM_ID }, channel: { id: CHANNEL_ID } },
      value: { ...add.data, ...inputs(form), m_m2_required: 'nice' },
    });
    expect(sent.status).toBe(200);
    const updated = await h.connector.waitFor(() => (posted.updates > 0 ? posted : undefined));
    const card = cardOf(updated);
    expect(rowTexts(card)).toEqual([A, B, C, D, '']);
    expect(inputs(card).m_m2_required).toBe('nice');
    expect(await versionsOf(slug)).toBe(1);
  });
});
