import {
  actionOf,
  cardOf,
  errorUnder,
  errors,
  formError,
  importDemoSpec,
  inputs,
  invoke,
  press,
  shown,
  texts,
} from '../support/teams-cards';
import { MEMBER, OWNER, TeamsHarness } from '../support/teams-harness';

/** The interview settings part of the edit card, through signed Teams activities and card invokes. */
let h: TeamsHarness;
beforeAll(async () => {
  h = await TeamsHarness.start();
});
afterAll(async () => {
  await h?.stop();
});

const freshSpec = (slug: string) => importDemoSpec(h, slug);
const versionsOf = async (slug: string) => h.db.specVersion.count({ where: { spec: { slug } } });
const openSettings = async (slug: string) => cardOf(await h.ask(`edit ${slug} settings`));

describe('the interview settings card', () => {
  it('opens with the spec’s settings as choices and a toggle', async () => {
    const slug = await freshSpec('set-open');
    const form = await openSettings(slug);
    expect(texts(form)[0]).toBe(`Edit **${slug}** · Interview settings (based on v1)`);
    expect(inputs(form)).toEqual({ candidateSees: '3', autoPublish: 'true', prompts: '4', mode: 'voice', note: '' });
    const body = JSON.stringify(form.body);
    for (const label of ['Questions the candidate sees', 'Behavioral prompts', 'Behavioral round by']) expect(body).toContain(label);
    const byId = (id: string) => (form.body as Record<string, unknown>[]).find((n) => n.id === id)!;
    expect(byId('autoPublish')).toMatchObject({ type: 'Input.Toggle', title: 'Auto-publish interview questions', valueOn: 'true' });
    expect(byId('mode')).toMatchObject({ type: 'Input.ChoiceSet', style: 'compact' });
    const choices = byId('candidateSees').choices as { value: string }[];
    expect(choices.map((c) => c.value)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
  });

  it('saves one version with the settings changed, said in words, history too', async () => {
    const slug = await freshSpec('set-save');
    const saved = shown(
      await press(h, await openSettings(slug), 'Save', {
        candidateSees: '5',
        autoPublish: 'false',
        prompts: '6',
        mode: 'text',
        note: 'async round for other time zones',
      }),
    );
    const changes =
      'candidate sees 3 → 5 interview questions; auto-publish of interview questions turned off; behavioral prompts 4 → 6; behavioral round by voice → text';
    expect(texts(saved)[0]).toBe(`✅ Saved **v2** of **${slug}**: ${changes}.`);
    expect(texts(saved)[1]).toBe(`by ${OWNER.name} · “async round for other time zones”`);
    const version = await h.db.specVersion.findFirstOrThrow({ where: { spec: { slug }, number: 2 } });
    expect(version).toMatchObject({
      interviewQuestions: { source: 'ai-generated', autoPublish: false, candidateSees: 5 },
      behavioralRound: { round: 2, mode: 'text', prompts: 6, interviewer: 'Cal' },
      authorPlatform: 'teams',
      authorId: OWNER.aadObjectId,
      note: 'async round for other time zones',
    });
    expect(texts(cardOf(await h.ask(`history ${slug}`)))).toContain(changes);

    const reopened = await openSettings(slug);
    expect(inputs(reopened)).toEqual({ candidateSees: '5', autoPublish: 'false', prompts: '6', mode: 'text', note: '' });
  });

  it('shows what a changed client sent under each input, and saves nothing', async () => {
    const slug = await freshSpec('set-tampered');
    const form = await openSettings(slug);
    const answer = shown(await press(h, form, 'Save', { candidateSees: '11', autoPublish: 'maybe', prompts: 'lots', mode: 'fax' }));
    expect(errorUnder(answer, 'candidateSees')).toBe('⚠️ Choose how many questions a candidate sees: 1 to 10.');
    expect(errorUnder(answer, 'autoPublish')).toBe('⚠️ Turn auto-publish on or off.');
    expect(errorUnder(answer, 'prompts')).toBe('⚠️ Choose how many behavioral prompts: 1 to 10.');
    expect(errorUnder(answer, 'mode')).toBe('⚠️ Choose voice or text.');
    expect(errors(answer)).toHaveLength(4);

    const save = actionOf(form, 'Save');
    for (const sent of [{ candidateSees: 0 }, { candidateSees: '0' }, { prompts: '3.5' }, { prompts: ['4'] }, { candidateSees: null }]) {
      const refused = shown(await invoke(h, save.verb, { ...save.data, ...inputs(form), ...sent }));
      const [field] = Object.keys(sent) as [string];
      expect([sent, errorUnder(refused, field)]).toEqual([sent, expect.stringContaining('⚠️ Choose how many')]);
    }
    const onlyToggle = shown(await invoke(h, save.verb, { ...save.data, ...inputs(form), prompts: '5', autoPublish: 'yes' }));
    expect(errors(onlyToggle)).toEqual(['⚠️ Turn auto-publish on or off.']);
    expect(errorUnder(onlyToggle, 'autoPublish')).toBe('⚠️ Turn auto-publish on or off.');
    expect(inputs(onlyToggle).prompts).toBe('5');
    expect(await versionsOf(slug)).toBe(1);
  });

  it('says so when nothing changed, and refuses someone without edit rights', async () => {
    const slug = await freshSpec('set-same');
    const form = await openSettings(slug);
    expect(formError(shown(await press(h, form, 'Save')))).toBe(`⚠️ Nothing changed; **${slug}** stays at v1.`);
    const refused = shown(await press(h, form, 'Save', { prompts: '2' }, MEMBER));
    expect(formError(refused)).toContain(`You can read **${slug}** but not change it`);
    expect(inputs(refused).prompts).toBe('2');
    expect(await versionsOf(slug)).toBe(1);
  });
});
