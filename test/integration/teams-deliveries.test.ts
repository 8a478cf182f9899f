import { EXAMPLE_SCORES, completed, rescored } from '../support/interview-events';
import { activityText } from '../support/fake-bot-connector';
import { TeamsHarness } from '../support/teams-harness';
import { waitForSettledDeliveries } from '../support/metrics';

let h: TeamsHarness;
beforeAll(async () => {
  h = await TeamsHarness.start();
});
afterAll(async () => {
  await h?.stop();
});

const channel = (name: string) => `19:${name}@thread.tacv2`;

describe('interview results in Teams, through the one delivery pipeline', () => {
  it('posts a card to a subscribed channel and updates it in place on a rescore', async () => {
    await h.ask('subscribe senior-backend-payments', undefined, { conversationId: channel('results') });
    expect(await h.webhook(completed({ interviewId: 'int_teams', sequence: 3 }))).toBe(202);
    const posted = await h.connector.waitFor(() => h.connector.in(channel('results')).find((a) => activityText(a).includes('77.9')));
    expect(posted.body.summary).toBe('Ada Lovelace scored 77.9/100 for senior-backend-payments (v1)');
    expect(activityText(posted)).toContain('Open the full report');
    const row = await h.deliverySettled('int_teams', channel('results'));
    expect(row).toMatchObject({ platform: 'teams', status: 'sent', messageId: posted.id });

    const better = EXAMPLE_SCORES.map((s) => ({ ...s, score: 90 }));
    expect(await h.webhook(rescored({ interviewId: 'int_teams', sequence: 4, scores: better }))).toBe(202);
    await h.connector.waitFor(() => posted.updates > 0 && activityText(posted).includes('90.0'));
    expect(h.connector.in(channel('results')).filter((a) => activityText(a).includes('int_teams'))).toHaveLength(1);
    expect(posted.body.summary).toBe('Ada Lovelace scored 90.0/100 for senior-backend-payments (v1, rescored)');
  });

  it('hides names in a private subscription', async () => {
    await h.ask('subscribe senior-backend-payments private', undefined, { conversationId: channel('private') });
    await h.webhook(completed({ interviewId: 'int_private' }));
    const posted = await h.connector.waitFor(() => h.connector.in(channel('private')).find((a) => activityText(a).includes('int_private')));
    expect(posted.body.summary).toContain('A candidate scored 77.9/100');
    expect(activityText(posted)).not.toContain('Lovelace');
  });

  it('retries 429 and 412, then posts once', async () => {
    await h.ask('subscribe senior-backend-payments', undefined, { conversationId: channel('flaky') });
    h.connector.fail({ status: 429, retryAfter: 1 }, { status: 412, code: 'PreconditionFailed' });
    await h.webhook(completed({ interviewId: 'int_flaky' }));
    const posted = await h.connector.waitFor(
      () => h.connector.in(channel('flaky')).find((a) => activityText(a).includes('int_flaky')),
      10_000,
    );
    expect(posted).toBeDefined();
    expect(h.connector.in(channel('flaky')).filter((a) => activityText(a).includes('int_flaky'))).toHaveLength(1);
  });

  it('pauses the channel’s subscriptions on 403 BotNotInConversationRoster', async () => {
    await h.ask('subscribe senior-backend-payments', undefined, { conversationId: channel('gone') });
    h.connector.removedFrom.add(channel('gone'));
    await h.webhook(completed({ interviewId: 'int_gone' }));
    const deadline = Date.now() + 5_000;
    let subscription;
    while (Date.now() < deadline) {
      subscription = await h.db.subscription.findFirst({ where: { channelId: channel('gone') } });
      if (subscription?.pausedAt) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(subscription?.pausedReason).toBe('BotNotInConversationRoster');
    expect((await h.db.delivery.findFirst({ where: { subjectId: 'int_gone', channelId: channel('gone') } }))?.status).toBe('paused');
  });
});

describe('weekly digests in Teams', () => {
  it('sends a channel’s digest through the same pipeline, once', async () => {
    await h.ask('subscribe senior-backend-payments', undefined, { conversationId: channel('digest') });
    const answer = await h.ask('digest monday 09:00 UTC', undefined, { conversationId: channel('digest') });
    expect(activityText(answer)).toContain('Mondays at 09:00 (UTC)');
    await h.webhook(completed({ interviewId: 'int_digest_week' }));
    // claim the period ending at the next scheduled time after the interview (2026-11-23 17:42Z)
    const at = new Date('2026-11-30T09:05:00Z');
    const first = await h.digests.claimDue(at, { onlyDue: false });
    const again = await h.digests.claimDue(at, { onlyDue: false });
    expect(first.length).toBeGreaterThanOrEqual(1);
    expect(again).toHaveLength(0);
    const digest = await h.connector.waitFor(
      () => h.connector.in(channel('digest')).find((a) => activityText(a).includes('Weekly digest')),
      10_000,
    );
    expect(activityText(digest)).toContain('77.9');
    await waitForSettledDeliveries((text, values) => h.db.$queryRawUnsafe(text, ...values), "d.kind = 'digest' AND d.channel_id = $1", [
      channel('digest'),
    ]);
    expect(h.connector.in(channel('digest')).filter((a) => activityText(a).includes('Weekly digest'))).toHaveLength(1);
  });
});
