import type { FakeMember, SentActivity } from '../support/fake-bot-connector';
import { ALL, expectInert, hostileSpec, importSpec, NAME_ONE, NAME_TWO, PIECES, TEAMS_ESCAPED, WORD } from '../support/hostile';
import { completed } from '../support/interview-events';
import { teamsTexts, type FoundText } from '../support/payload-text';
import { actionOf, cardOf, inputs, press, shown, type Card } from '../support/teams-cards';
import { CHANNEL_ID, MEMBER, OWNER, TeamsHarness } from '../support/teams-harness';

/**
 * The Teams side of the hostile-text tests: signed activities, card actions and the interview webhook
 * carry hostile text into every field that reaches a card or a message; every TextBlock, fact, action
 * title, message text and summary the fake Bot Connector received is walked.
 */
const SLUG = 'hostile-spec';
const SPEC = hostileSpec(SLUG);
const EVIL: FakeMember = { id: '29:evil', aadObjectId: 'aad-evil', name: NAME_ONE, userRole: 'user' };
const ESCAPED = Object.values(TEAMS_ESCAPED);

let h: TeamsHarness;
beforeAll(async () => {
  h = await TeamsHarness.start({}, { namedAdmins: [OWNER, EVIL] });
  h.connector.members.set(EVIL.id, EVIL);
  await importSpec(h.database.url, SPEC);
});
afterAll(async () => {
  await h?.stop();
});

const texts = (activity: SentActivity): FoundText[] => teamsTexts(activity.body);
describe('hostile text in every Teams card and message', () => {
  it('show: every TextBlock and fact escapes, the summary is one inert line', async () => {
    const found = texts(await h.ask(`show ${SLUG}`));
    expectInert(found, { platform: 'teams', shown: ESCAPED });
    const summary = found.find((f) => f.path === 'summary')!;
    expect(summary.text).toContain('X ‹!channel› & ‹https://evil.example|click› ∗bold∗');
    expect(summary.text.length).toBeLessThanOrEqual(400);
  });

  it('list, as a markdown message', async () => {
    expectInert(texts(await h.ask('list')), { platform: 'teams', shown: [TEAMS_ESCAPED.broadcast, TEAMS_ESCAPED.phish] });
  });

  it('help: placeholders as written, no backticks anywhere', async () => {
    const found = texts(await h.ask('help'));
    const all = found.map((f) => f.text).join('\n');
    expect(all).toContain('grant @user &lt;spec|all&gt;');
    expect(all).toContain('**&lt;spec&gt;** is a slug');
    expect(all).not.toContain('`');
  });

  it('the edit form escapes names; a hostile save by a hostile-named admin is confirmed escaped, and history shows it', async () => {
    const form = cardOf(await h.ask(`edit ${SLUG}`, EVIL));
    expectInert(teamsTexts(form as unknown as Record<string, unknown>), { platform: 'teams', shown: [TEAMS_ESCAPED.broadcast] });

    const save = actionOf(form, 'Save').data;
    const answer = await h.cardAction(
      'panelist.edit.save',
      { ...save, ...inputs(form), c_r1_name: `${PIECES.broadcast} ${PIECES.phish}`, note: ALL },
      EVIL,
    );
    expect(answer.status).toBe(200);
    const saved = (answer.body as { value: Card }).value;
    const found = teamsTexts(saved as unknown as Record<string, unknown>);
    expectInert(found, {
      platform: 'teams',
      shown: [
        `renamed evil_two to "${TEAMS_ESCAPED.broadcast} ${TEAMS_ESCAPED.phish}"`,
        `by ${TEAMS_ESCAPED.broadcast} ${TEAMS_ESCAPED.format}`,
        TEAMS_ESCAPED.entity,
      ],
    });

    const history = texts(await h.ask(`history ${SLUG}`));
    expectInert(history, {
      platform: 'teams',
      shown: [`${TEAMS_ESCAPED.broadcast} ${TEAMS_ESCAPED.format} · `, `“${TEAMS_ESCAPED.broadcast}`],
    });
  });

  it('the must-haves form shows hostile must-haves as typed in its inputs; a hostile save is confirmed escaped, and history shows it', async () => {
    const form = cardOf(await h.ask(`edit ${SLUG} musthaves`, EVIL));
    expectInert(teamsTexts(form as unknown as Record<string, unknown>), { platform: 'teams', shown: [`**${SLUG}** · Must-haves`] });
    // Input values are not markdown: Teams shows them as typed, so they are kept exactly.
    expect(inputs(form)).toMatchObject({ m_m0_text: ALL, m_m1_text: PIECES.phish });

    const added = shown(await press(h, form, 'Add a must-have', {}, EVIL));
    expectInert(teamsTexts(added as unknown as Record<string, unknown>), { platform: 'teams', shown: ['Must-have 3'] });
    const saved = shown(await press(h, added, 'Save', { m_m1_required: 'required', m_m2_text: PIECES.broadcast, note: ALL }, EVIL));
    expectInert(teamsTexts(saved as unknown as Record<string, unknown>), {
      platform: 'teams',
      shown: [
        `must-have "${TEAMS_ESCAPED.phish}" now required`,
        `added must-have "${TEAMS_ESCAPED.broadcast}" (required)`,
        `by ${TEAMS_ESCAPED.broadcast} ${TEAMS_ESCAPED.format} · “${TEAMS_ESCAPED.broadcast}`,
        TEAMS_ESCAPED.entity,
      ],
    });
    const version = await h.db.specVersion.findFirstOrThrow({ where: { spec: { slug: SLUG } }, orderBy: { number: 'desc' } });
    expect(version.mustHaves).toEqual([
      { text: ALL, required: true },
      { text: PIECES.phish, required: true },
      { text: PIECES.broadcast, required: true },
    ]);

    const history = texts(await h.ask(`history ${SLUG}`));
    expectInert(history, { platform: 'teams', shown: [`added must-have "${TEAMS_ESCAPED.broadcast}" (required)`] });
  });

  it('refusals quote the user’s words escaped, commands in bold', async () => {
    // Teams sends what a user types as HTML: `<` arrives as `&lt;`.
    const typed = WORD.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const word = '&lt;!channel&gt;∗bold∗ˍitˍ&lt;@U123&gt;[x］(https://evil.example)';
    expectInert(texts(await h.ask(`show ${typed}`)), { platform: 'teams', shown: [`No spec "${word}"`, '**list**'] });
    expectInert(texts(await h.ask(typed)), { platform: 'teams', shown: [`I don't know "${word}"`, '**@Panelist help**'] });
  });

  it('grant answers with the mentioned person’s display name escaped', async () => {
    const mention = { type: 'mention', text: '<at>Bobby</at>', mentioned: { id: MEMBER.id, name: NAME_TWO } };
    const granted = texts(await h.ask(`grant <at>Bobby</at> ${SLUG}`, OWNER, { entities: [mention] }));
    expectInert(granted, {
      platform: 'teams',
      shown: [`✅ ${TEAMS_ESCAPED.mentions} ${TEAMS_ESCAPED.entity} ${TEAMS_ESCAPED.phish} can now edit **hostile-spec**.`],
    });
  });

  it('an interview result card: the candidate’s name and the competency names, summary included', async () => {
    await h.ask(`subscribe ${SLUG}`);
    const event = completed({
      interviewId: 'int_hostile',
      specId: SPEC.id,
      candidateName: `${PIECES.broadcast} ${PIECES.phish}`,
      scores: [
        { competency_id: 'evil_one', score: 80 },
        { competency_id: 'evil_two', score: 70 },
      ],
    });
    expect(await h.webhook(event)).toBe(202);
    await h.deliverySettled('int_hostile', CHANNEL_ID);
    const posted = h.connector.in(CHANNEL_ID).find((a) => JSON.stringify(a.body).includes('int_hostile'))!;
    const found = texts(posted);
    expectInert(found, { platform: 'teams', shown: [`**${TEAMS_ESCAPED.broadcast} ${TEAMS_ESCAPED.phish}**`, TEAMS_ESCAPED.format] });
    expect(found.find((f) => f.path === 'summary')!.text).toContain(
      'X ‹!channel› & ‹https://evil.example|click› [phish］(https://evil.example) scored',
    );
  });

  it('the weekly digest card: title, competency names, the top candidate as a link label', async () => {
    await h.ask('digest monday 09:00 UTC');
    const before = h.connector.in(CHANNEL_ID).length;
    await h.digests.claimDue(new Date('2026-11-30T09:05:00Z'), { onlyDue: false });
    const digest = await h.connector.waitFor(
      () =>
        h.connector
          .in(CHANNEL_ID)
          .slice(before)
          .find((a) => JSON.stringify(a.body).includes('Weekly digest')),
      10_000,
    );
    expectInert(texts(digest), {
      platform: 'teams',
      shown: [`[${TEAMS_ESCAPED.broadcast} ${TEAMS_ESCAPED.phish}](https://interviews.example.com/r/int_hostile)`],
    });
  });

  it('subscriptions, as a markdown message', async () => {
    const found = texts(await h.ask('subscriptions'));
    expectInert(found, { platform: 'teams', shown: ['- **hostile-spec**', 'Weekly digest Mondays at 09:00'] });
  });
});
