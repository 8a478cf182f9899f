import { Client } from 'pg';
import { ADMIN, Harness, MEMBER, SIGNING_SECRET } from '../support/harness';
import { completed } from '../support/interview-events';
import { eventCallback, postEvent, waitUntil } from '../support/slack-events';

/**
 * Slack's channel and workspace events in single-token mode (SLACK_BOT_TOKEN), posted to
 * /slack/events signed as Slack signs them. The fake Slack's auth.test names the bot UBOT.
 */

const SPEC = 'senior-backend-payments';
let harness: Harness;
let sql: Client;

beforeAll(async () => {
  harness = await Harness.start();
  sql = new Client({ connectionString: harness.database.url });
  await sql.connect();
});
afterAll(async () => {
  await sql?.end();
  await harness?.stop();
});

const send = (event: Record<string, unknown>, teamId = 'T1') => postEvent(harness.baseUrl, SIGNING_SECRET, eventCallback(teamId, event));

async function subscribe(channelId: string, user = ADMIN, teamId = 'T1', what = SPEC): Promise<void> {
  const reply = await (await harness.spec(`subscribe ${what}`, user, { channelId, teamId })).reply();
  expect(reply.text).toContain('follows');
}

async function subscriptions(channelId: string): Promise<{ paused_reason: string | null; paused: boolean }[]> {
  const { rows } = await sql.query(`SELECT paused_reason, paused_at IS NOT NULL AS paused FROM subscription WHERE channel_id = $1`, [
    channelId,
  ]);
  return rows;
}

async function deliveryIn(channelId: string, interviewId: string): Promise<{ status: string } | undefined> {
  const { rows } = await sql.query(`SELECT status FROM delivery WHERE channel_id = $1 AND subject_id = $2`, [channelId, interviewId]);
  return rows[0];
}

const dmsTo = (userId: string) => harness.slack.posted(userId);

describe('the bot leaves a channel, and is invited back', () => {
  it('channel_left pauses the subscriptions and DMs the subscriber; results are held; a retry changes nothing', async () => {
    await subscribe('CLEFT');
    await subscribe('CMARK');
    const event = { type: 'channel_left', channel: 'CLEFT', actor_id: MEMBER.id };
    expect(await send(event)).toBe(200);
    await waitUntil(async () => (await subscriptions('CLEFT'))[0]?.paused, 'the subscription to pause');
    expect(await subscriptions('CLEFT')).toEqual([{ paused: true, paused_reason: 'Panelist was removed from the channel' }]);
    const dm = await harness.slack.waitFor(() => dmsTo(ADMIN.id).find((m) => m.text.includes('<#CLEFT>')));
    expect(dm.text).toContain('I was removed from <#CLEFT>, so its Panelist subscriptions are paused.');
    expect(dm.text).toContain('/invite @Panelist');

    // a result for the channel now waits, unsent
    expect((await harness.webhook(completed({ interviewId: 'int_while_away' }))).status).toBe(202);
    await waitUntil(async () => (await deliveryIn('CLEFT', 'int_while_away'))?.status === 'paused', 'the held delivery');
    expect(harness.slack.posted('CLEFT')).toHaveLength(0);
    expect((await harness.spec('subscriptions', ADMIN, { channelId: 'CLEFT' }).then((s) => s.reply())).text).toContain('paused');

    // Slack delivers the same event again: no second DM. (Bolt acks events before handling them,
    // so a later event's DM marks the moment the retry has long been handled.)
    expect(await send(event)).toBe(200);
    expect(await send({ type: 'channel_left', channel: 'CMARK', actor_id: MEMBER.id })).toBe(200);
    await harness.slack.waitFor(() => dmsTo(ADMIN.id).find((m) => m.text.includes('<#CMARK>')));
    expect(dmsTo(ADMIN.id).filter((m) => m.text.includes('<#CLEFT>'))).toHaveLength(1);
  });

  it('member_joined_channel for someone else resumes nothing', async () => {
    expect(await send({ type: 'member_joined_channel', user: MEMBER.id, channel: 'CLEFT', channel_type: 'C', team: 'T1' })).toBe(200);
    // the bot's own join elsewhere, handled after it, marks when to look
    expect(await send({ type: 'member_joined_channel', user: 'UBOT', channel: 'CMARK', channel_type: 'C', team: 'T1' })).toBe(200);
    await waitUntil(async () => !(await subscriptions('CMARK'))[0]?.paused, 'CMARK to resume');
    expect((await subscriptions('CLEFT'))[0]?.paused).toBe(true);
    expect((await deliveryIn('CLEFT', 'int_while_away'))?.status).toBe('paused');
  });

  it('member_joined_channel for the bot resumes the channel and sends what was held', async () => {
    expect(
      await send({ type: 'member_joined_channel', user: 'UBOT', channel: 'CLEFT', channel_type: 'C', team: 'T1', inviter: ADMIN.id }),
    ).toBe(200);
    const message = await harness.slack.waitFor(() => harness.slack.posted('CLEFT')[0]);
    expect(message.metadata?.event_type).toBe('panelist_delivery');
    expect(await subscriptions('CLEFT')).toEqual([{ paused: false, paused_reason: null }]);
    await waitUntil(async () => (await deliveryIn('CLEFT', 'int_while_away'))?.status === 'sent', 'the held delivery to be sent');
  });
});

describe('a channel paused because a post was refused (not_in_channel)', () => {
  it('resumes when the bot is invited back, and the held message is sent', async () => {
    harness.slack.notInChannel.add('CNOTIN');
    await harness.spec(`subscribe ${SPEC}`, ADMIN, { channelId: 'CNOTIN' }).then((sent) => sent.reply());
    expect((await harness.webhook(completed({ interviewId: 'int_refused' }))).status).toBe(202);
    await waitUntil(async () => (await deliveryIn('CNOTIN', 'int_refused'))?.status === 'paused', 'the refused delivery to pause');
    const dm = await harness.slack.waitFor(() => dmsTo(ADMIN.id).find((m) => m.text.includes('<#CNOTIN>')));
    expect(dm.text).toContain('Invite me back with `/invite @Panelist` in that channel and they resume');

    harness.slack.notInChannel.delete('CNOTIN');
    expect(await send({ type: 'member_joined_channel', user: 'UBOT', channel: 'CNOTIN', channel_type: 'C', team: 'T1' })).toBe(200);
    await harness.slack.waitFor(() => harness.slack.posted('CNOTIN')[0]);
    await waitUntil(async () => (await deliveryIn('CNOTIN', 'int_refused'))?.status === 'sent', 'the held delivery to be sent');
  });
});

describe.each([
  ['group_left', 'GLEFT', 'Panelist was removed from the channel', 'I was removed from <#GLEFT>'],
  ['channel_archive', 'CARCH', 'the channel was archived', '<#CARCH> was archived'],
  ['group_archive', 'GARCH', 'the channel was archived', '<#GARCH> was archived'],
  ['channel_deleted', 'CDEL', 'the channel was deleted', '<#CDEL> was deleted'],
  ['group_deleted', 'GDEL', 'the channel was deleted', '<#GDEL> was deleted'],
])('%s', (type, channel, reason, told) => {
  it('pauses the channel’s subscriptions and pending deliveries, and DMs each subscriber once', async () => {
    await subscribe(channel);
    const other = await harness.spec('subscribe all', MEMBER, { channelId: channel });
    expect((await other.reply()).text).toContain('follows');
    // a delivery waiting for its turn when the event arrives is held too
    await sql.query(
      `INSERT INTO delivery (id, kind, subject_id, subscription_id, platform, workspace_id, channel_id, status, next_attempt_at)
       SELECT gen_random_uuid(), 'interview.result', 'int_pending_' || $1::text, id, 'slack', 'T1', $1, 'pending', now() + interval '1 hour'
       FROM subscription WHERE channel_id = $1 LIMIT 1`,
      [channel],
    );
    expect(
      await send({
        type,
        channel,
        ...(type.endsWith('archive') ? { user: MEMBER.id } : {}),
        ...(type.endsWith('left') ? { actor_id: MEMBER.id } : {}),
      }),
    ).toBe(200);
    await waitUntil(async () => (await subscriptions(channel)).every((s) => s.paused), 'the subscriptions to pause');
    expect(await subscriptions(channel)).toEqual([
      { paused: true, paused_reason: reason },
      { paused: true, paused_reason: reason },
    ]);
    expect((await deliveryIn(channel, `int_pending_${channel}`))?.status).toBe('paused');
    for (const user of [ADMIN, MEMBER]) {
      const dm = await harness.slack.waitFor(() => dmsTo(user.id).find((m) => m.text.includes(`<#${channel}>`)));
      expect(dm.text).toContain(told);
      expect(dmsTo(user.id).filter((m) => m.text.includes(`<#${channel}>`))).toHaveLength(1);
    }
  });
});

describe('app_uninstalled in single-token mode', () => {
  it('pauses the workspace’s subscriptions (not another workspace’s); inviting the bot back resumes a channel', async () => {
    await subscribe('CUNINST');
    // another workspace has an organization of its own, with no specs yet
    await subscribe('COTHERTEAM', ADMIN, 'T7', 'all');
    expect(await send({ type: 'app_uninstalled' })).toBe(200);
    await waitUntil(async () => (await subscriptions('CUNINST'))[0]?.paused, 'the workspace to pause');
    expect(await subscriptions('CUNINST')).toEqual([{ paused: true, paused_reason: 'app_uninstalled' }]);
    expect((await subscriptions('CLEFT'))[0]).toEqual({ paused: true, paused_reason: 'app_uninstalled' });
    expect(await subscriptions('COTHERTEAM')).toEqual([{ paused: false, paused_reason: null }]);

    expect(await send({ type: 'member_joined_channel', user: 'UBOT', channel: 'CUNINST', channel_type: 'C', team: 'T1' })).toBe(200);
    await waitUntil(async () => !(await subscriptions('CUNINST'))[0]?.paused, 'the channel to resume');
    expect((await subscriptions('CLEFT'))[0]?.paused).toBe(true);
  });
});
