import { parseJson, type FakeUser } from '../support/fake-slack';
import { ADMIN, Harness, SIGNING_SECRET } from '../support/harness';
import { ALL, expectInert, hostileSpec, importSpec, NAME_ONE, PIECES, SLACK_ESCAPED, WORD } from '../support/hostile';
import { completed } from '../support/interview-events';
import { slackTexts, type FoundText } from '../support/payload-text';
import { inputIds, viewSubmission, type SentView } from '../support/slack-views';
import { panelistCli } from '../support/panelist-cli';

/**
 * Every user-supplied string that reaches a Slack reply, fed hostile text through the public edges
 * (signed slash commands and view submissions, the signed interview webhook, the digest run), and
 * every string of what Slack was sent walked: nothing in mrkdwn or a message's text acts, and the
 * escaped form is there.
 */
const SLUG = 'hostile-spec';
const SPEC = hostileSpec(SLUG);
const CHANNEL = 'CHOSTILE';
const EVIL: FakeUser = { id: 'UEVIL', name: NAME_ONE, is_admin: true };
const ESCAPED = Object.values(SLACK_ESCAPED);

let h: Harness;
beforeAll(async () => {
  h = await Harness.start({ DIGEST_CLOCK: 'false' });
  h.slack.users.set(EVIL.id, EVIL);
  await importSpec(h.database.url, SPEC);
});
afterAll(async () => {
  await h?.stop();
});

/** The answer to `/spec <text>` as Slack got it: the ack's body, or the response_url post. */
async function answer(text: string, user: FakeUser = ADMIN, channelId?: string): Promise<FoundText[]> {
  const sent = await h.spec(text, user, channelId ? { channelId } : {});
  return slackTexts((await sent.reply()).body);
}

async function openModal(user: FakeUser, part = ''): Promise<SentView> {
  const before = h.slack.callsTo('views.open').length;
  await h.spec(`edit ${SLUG} ${part}`.trim(), user);
  const call = await h.slack.waitFor(() => h.slack.callsTo('views.open')[before]);
  return parseJson(call.args.view) as SentView;
}

describe('hostile text in every Slack reply', () => {
  it('show: blocks and the fallback text escape title, level, names, definitions, must-haves and settings', async () => {
    const found = await answer(`show ${SLUG}`);
    expectInert(found, { platform: 'slack', shown: ESCAPED });
    const fallback = found.find((f) => f.path === 'text')!;
    expect(fallback.text).toContain(`${SLACK_ESCAPED.broadcast} ${SLACK_ESCAPED.format}`);
    // plain_text is shown as written (Slack parses nothing in it): the title arrives as typed, cut to 150.
    const header = found.find((f) => f.kind === 'plain')!;
    expect(header.text.startsWith(PIECES.broadcast)).toBe(true);
    expect(header.text.length).toBeLessThanOrEqual(150);
    // the 5,000-character title and 2,000-character definitions stay inside Slack's 3,000 per text
    for (const f of found.filter((x) => x.path !== 'text')) expect(f.text.length).toBeLessThanOrEqual(3000);
  });

  it('the must-haves modal escapes each must-have in its row headers; a hostile must-have is confirmed escaped', async () => {
    const view = await openModal(EVIL, 'musthaves');
    expectInert(slackTexts(view as unknown as Record<string, unknown>), { platform: 'slack', shown: [SLACK_ESCAPED.broadcast] });
    const responsesBefore = h.slack.responses.length;
    const first = view.blocks.find((b) => b.block_id?.endsWith(':text'))!.block_id!;
    const submitted = await h.interact(viewSubmission(view, EVIL, { [first]: `${PIECES.broadcast} ${PIECES.format}`, note: ALL }));
    expect(submitted.json()).toEqual({ response_action: 'clear' });
    const confirmation = await h.slack.waitFor(() =>
      h.slack.responses.slice(responsesBefore).find((r) => String(r.body.text).includes('Saved')),
    );
    expectInert(slackTexts(confirmation.body), { platform: 'slack', shown: [`reworded must-have 1: "${SLACK_ESCAPED.broadcast}`] });
  });

  it('a one-line must-have with hostile text is answered escaped', async () => {
    const found = await answer(`musthave add ${SLUG} ${PIECES.broadcast} ${PIECES.format}, and more`, EVIL);
    expectInert(found, { platform: 'slack', shown: [`added must-have "${SLACK_ESCAPED.broadcast}`] });
  });

  it('list: the title is escaped in the blocks', async () => {
    expectInert(await answer('list'), { platform: 'slack', shown: [SLACK_ESCAPED.broadcast] });
  });

  it('the edit modal escapes competency names in its mrkdwn; a hostile save is confirmed escaped', async () => {
    const view = await openModal(EVIL);
    expectInert(slackTexts(view as unknown as Record<string, unknown>), { platform: 'slack', shown: [SLACK_ESCAPED.broadcast] });

    const responsesBefore = h.slack.responses.length;
    const names = inputIds(view, 'name');
    const submitted = await h.interact(
      // The title stays: a change of the 5,000-character title would fill the confirmation on its own.
      viewSubmission(view, EVIL, { [names[1]!]: `${PIECES.broadcast} ${PIECES.format}`, note: ALL }),
    );
    expect(submitted.status).toBe(200);
    expect(submitted.json()).toEqual({ response_action: 'clear' });
    const confirmation = await h.slack.waitFor(() =>
      h.slack.responses.slice(responsesBefore).find((r) => String(r.body.text).includes('Saved')),
    );
    const found = slackTexts(confirmation.body);
    const renamed = `renamed evil_two to "${SLACK_ESCAPED.broadcast} ${SLACK_ESCAPED.format}"`;
    expectInert(found, { platform: 'slack', shown: [renamed] });
    expect(found.find((f) => f.path === 'text')!.text).toContain(renamed);
  });

  it('history: changes and the note, in blocks and fallback', async () => {
    const found = await answer(`history ${SLUG}`);
    expectInert(found, { platform: 'slack', shown: [`\n> ${SLACK_ESCAPED.broadcast}`, SLACK_ESCAPED.entity] });
    expect(found.find((f) => f.path === 'text')!.text).toContain(
      `renamed evil_two to "${SLACK_ESCAPED.broadcast} ${SLACK_ESCAPED.format}"`,
    );
  });

  it('refusals quote the user’s words escaped: an unknown spec, an unknown command, a bad weight', async () => {
    const escapedWord = '&lt;!channel&gt;∗bold∗ˍitˍ&lt;@U123&gt;[x](https://evil.example)';
    expectInert(await answer(`show ${WORD}`), { platform: 'slack', shown: [`No spec "${escapedWord}"`] });
    expectInert(await answer(WORD), { platform: 'slack', shown: [`I don't know "${escapedWord}"`, '`/spec help`'] });
    expectInert(await answer(`weights ${SLUG} ${WORD}=0.5`), {
      platform: 'slack',
      shown: [`\`hostile-spec\` has no competency "${escapedWord}"`],
    });
  });

  it('help and usage: placeholders are escaped inside their code spans', async () => {
    const help = await answer('help');
    expect(help.map((f) => f.text).join('\n')).toContain('`/spec grant @user &lt;spec|all&gt;`');
    for (const f of help) expect(f.text).not.toMatch(/<(spec|version|competency|day|file)/);
    const usage = await answer('revert');
    expect(usage.map((f) => f.text).join('\n')).toContain('`/spec revert &lt;spec&gt; &lt;version&gt;`');
  });

  it('an interview result in the channel: the candidate’s name and the competency names', async () => {
    expect((await answer(`subscribe ${SLUG}`, ADMIN, CHANNEL)).map((f) => f.text).join('')).toContain('now follows `hostile-spec`');
    const event = completed({
      specId: SPEC.id,
      candidateName: `${PIECES.broadcast} ${PIECES.mentions}`,
      scores: [
        { competency_id: 'evil_one', score: 80 },
        { competency_id: 'evil_two', score: 70 },
      ],
    });
    expect((await h.webhook(event)).status).toBe(202);
    const posted = await h.slack.waitFor(() => h.slack.posted(CHANNEL)[0]);
    const found = slackTexts({ text: posted.text, blocks: posted.blocks });
    expectInert(found, { platform: 'slack', shown: [`*${SLACK_ESCAPED.broadcast} ${SLACK_ESCAPED.mentions}*`, SLACK_ESCAPED.format] });
    expect(found.find((f) => f.path === 'text')!.text).toContain(`${SLACK_ESCAPED.broadcast} ${SLACK_ESCAPED.mentions} scored`);
  });

  it('the weekly digest: spec title, competency names and the top candidate', async () => {
    expect((await answer('digest monday 09:00 UTC', ADMIN, CHANNEL)).map((f) => f.text).join('')).toContain('Mondays at 09:00');
    await panelist.run('digests', 'run', '--at', '2026-11-30T09:05:00Z');
    const digest = await h.slack.waitFor(() => h.slack.posted(CHANNEL).find((m) => m.text.startsWith('Weekly digest')));
    const found = slackTexts({ text: digest.text, blocks: digest.blocks });
    expectInert(found, { platform: 'slack', shown: [SLACK_ESCAPED.format, '&lt;!channel&gt;'] });
  });

  it('subscriptions: the list of what the channel follows', async () => {
    expectInert(await answer('subscriptions', ADMIN, CHANNEL), {
      platform: 'slack',
      shown: ['• `hostile-spec`', 'Weekly digest Mondays at 09:00'],
    });
  });
});

/** `npx panelist …` in-process, configured like the app (same database, same fake Slack). */
const panelist = panelistCli(
  () => h.database.url,
  () => ({ SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_API_URL: h.slack.apiUrl, LOG_LEVEL: 'silent' }),
);
