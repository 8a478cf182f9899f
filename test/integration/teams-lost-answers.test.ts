import { enqueueDelivery } from '../../src/store/queue';
import { EXAMPLE_SCORES, completed, rescored } from '../support/interview-events';
import { TENANT_ID, activityText } from '../support/fake-bot-connector';
import { BOT_ID, OWNER, TEAM_GROUP_ID, TeamsHarness } from '../support/teams-harness';

/**
 * Exactly once in Teams when the Bot Connector took a post but its answer never came back: the
 * next attempt looks for the post through Microsoft Graph (the card's delivery tag) before posting.
 */
let h: TeamsHarness;
beforeAll(async () => {
  h = await TeamsHarness.start();
});
afterAll(async () => {
  await h?.stop();
});

const channel = (name: string) => `19:${name}@thread.tacv2`;
const postsOf = (conversationId: string, interviewId: string) =>
  h.connector.in(conversationId).filter((a) => activityText(a).includes(interviewId));

const settled = (interviewId: string, channelId: string) => h.deliverySettled(interviewId, channelId);

describe('a Teams post whose answer was lost', () => {
  it('is found in the channel through Graph and updated, not posted again (502 after Teams took it)', async () => {
    await h.ask('subscribe senior-backend-payments', undefined, { conversationId: channel('lost') });
    const lookupsBefore = h.connector.teamLookups;
    h.connector.fail({ status: 502, accepted: true, conversationId: channel('lost') });
    expect(await h.webhook(completed({ interviewId: 'int_lost' }))).toBe(202);
    const row = await settled('int_lost', channel('lost'));

    const posts = postsOf(channel('lost'), 'int_lost');
    expect(posts).toHaveLength(1);
    expect(row.messageId).toBe(posts[0]!.id);
    // the found post is brought up to date in place (it might show older content)
    expect(posts[0]!.updates).toBe(1);
    // Graph names the team by its group id, which the Connector told us (messages do not carry it)
    expect(h.connector.teamLookups).toBe(lookupsBefore + 1);
    const search = h.connector.graph.requests.find((r) => r.path === `/teams/${TEAM_GROUP_ID}/channels/${channel('lost')}/messages/delta`);
    expect(search?.query.get('$filter')).toMatch(/^lastModifiedDateTime gt \d{4}-\d\d-\d\dT/);
    // OData's spaces as %20, not a form's `+`
    expect(search?.rawQuery).toContain('$filter=lastModifiedDateTime%20gt%20');
    expect(h.connector.tokenRequests.some((t) => t.scope === `${h.connector.graphUrl}/.default`)).toBe(true);
    expect(await (await fetch(h.metricsUrl)).text()).toMatch(/panelist_teams_post_searches_total\{result="found"\} [1-9]/);

    // a later rescore updates that same message
    const better = EXAMPLE_SCORES.map((s) => ({ ...s, score: 90 }));
    expect(await h.webhook(rescored({ interviewId: 'int_lost', sequence: 4, scores: better }))).toBe(202);
    await h.connector.waitFor(() => activityText(posts[0]).includes('90.0'));
    expect(postsOf(channel('lost'), 'int_lost')).toHaveLength(1);
  });

  it('is found in a group chat when the connection was cut', async () => {
    const chat = '19:hiring-panel@thread.v2';
    await h.ask('subscribe senior-backend-payments', undefined, { groupChat: chat });
    h.connector.fail({ status: 0, accepted: true, drop: true, conversationId: chat });
    await h.webhook(completed({ interviewId: 'int_cut' }));
    const row = await settled('int_cut', chat);
    expect(postsOf(chat, 'int_cut')).toHaveLength(1);
    expect(row.messageId).toBe(postsOf(chat, 'int_cut')[0]!.id);
    expect(h.connector.graph.requests.some((r) => r.path === `/chats/${chat}/messages`)).toBe(true);
  });

  it('reads on to a later page when the channel got busy since the attempt', async () => {
    await h.ask('subscribe senior-backend-payments', undefined, { conversationId: channel('busy') });
    // 60 newer messages (Graph lists the newest first, 50 to a page): the lost post is on page two
    const later = new Date(Date.now() + 60_000);
    for (let i = 0; i < 60; i += 1) {
      h.connector.activities.push({
        id: `chatter-${i}`,
        conversationId: channel('busy'),
        body: { type: 'message', text: `chatter ${i}` },
        updates: 0,
        postedAt: later,
        modifiedAt: later,
      });
    }
    h.connector.fail({ status: 502, accepted: true, conversationId: channel('busy') });
    await h.webhook(completed({ interviewId: 'int_busy_channel' }));
    const row = await settled('int_busy_channel', channel('busy'));
    expect(postsOf(channel('busy'), 'int_busy_channel')).toHaveLength(1);
    expect(row.messageId).toBe(postsOf(channel('busy'), 'int_busy_channel')[0]!.id);
    const pages = h.connector.graph.requests.filter((r) => r.path.includes(channel('busy')));
    expect(pages.map((r) => r.query.get('$skiptoken'))).toEqual([null, '50']);
  });

  it('waits out Graph trouble (503) and still posts once', async () => {
    await h.ask('subscribe senior-backend-payments', undefined, { conversationId: channel('graph-busy') });
    h.connector.fail({ status: 504, accepted: true, conversationId: channel('graph-busy') });
    h.connector.graph.faults.push(503);
    await h.webhook(completed({ interviewId: 'int_busy' }));
    const row = await settled('int_busy', channel('graph-busy'));
    expect(postsOf(channel('graph-busy'), 'int_busy')).toHaveLength(1);
    expect(row.messageId).toBe(postsOf(channel('graph-busy'), 'int_busy')[0]!.id);
  });

  it('uses the group id Teams gave at install, without asking the Connector', async () => {
    const team = '19:team-two@thread.tacv2';
    const general = team;
    h.connector.teamGroups.set(team, 'group-two');
    const install = await h.activity({
      type: 'conversationUpdate',
      membersAdded: [{ id: BOT_ID }],
      from: { id: '29:owner', aadObjectId: 'aad-owner' },
      recipient: { id: BOT_ID, name: 'Panelist' },
      conversation: { id: general, conversationType: 'channel', tenantId: TENANT_ID, isGroup: true },
      channelData: { tenant: { id: TENANT_ID }, team: { id: team, name: 'Two', aadGroupId: 'group-two' }, eventType: 'teamMemberAdded' },
    });
    expect(install.status).toBe(200);
    // commands typed in the team's General channel subscribe it
    await h.ask('subscribe senior-backend-payments', undefined, { conversationId: general, teamId: team });
    const lookupsBefore = h.connector.teamLookups;
    h.connector.fail({ status: 502, accepted: true, conversationId: general });
    await h.webhook(completed({ interviewId: 'int_installed' }));
    await settled('int_installed', general);
    expect(postsOf(general, 'int_installed')).toHaveLength(1);
    expect(h.connector.teamLookups).toBe(lookupsBefore);
    expect(h.connector.graph.requests.some((r) => r.path === `/teams/group-two/channels/${general}/messages/delta`)).toBe(true);
  });

  it('is posted again when Graph refuses the search (no consent): the rare duplicate, chosen over a lost result', async () => {
    await h.ask('subscribe senior-backend-payments', undefined, { conversationId: channel('no-consent') });
    h.connector.fail({ status: 502, accepted: true, conversationId: channel('no-consent') });
    h.connector.graph.faults.push(403);
    await h.webhook(completed({ interviewId: 'int_noconsent' }));
    const row = await settled('int_noconsent', channel('no-consent'));
    const posts = postsOf(channel('no-consent'), 'int_noconsent');
    expect(posts).toHaveLength(2);
    expect(row.messageId).toBe(posts[1]!.id);
    // what the engineer on call alerts on
    const metrics = await (await fetch(h.metricsUrl)).text();
    expect(metrics).toMatch(/panelist_teams_post_searches_total\{result="unsearchable"\} [1-9]/);
  });

  it('is posted again in a personal chat, which Graph cannot search for a bot (documented)', async () => {
    const chat = `a:personal-${OWNER.aadObjectId}`;
    await h.ask('subscribe senior-backend-payments', OWNER, { personal: true });
    const graphBefore = h.connector.graph.requests.length;
    h.connector.fail({ status: 502, accepted: true, conversationId: chat });
    await h.webhook(completed({ interviewId: 'int_personal' }));
    const row = await settled('int_personal', chat);
    const posts = postsOf(chat, 'int_personal');
    expect(posts).toHaveLength(2);
    expect(row.messageId).toBe(posts[1]!.id);
    expect(h.connector.graph.requests.length).toBe(graphBefore);
  });

  it('is recovered from the recorded activity id when the process died before the pipeline wrote its own record', async () => {
    await h.ask('subscribe senior-backend-payments', undefined, { conversationId: channel('crash') });
    await h.webhook(completed({ interviewId: 'int_crash' }));
    const sent = await settled('int_crash', channel('crash'));
    // The state a kill -9 leaves between the Connector's answer (recorded in teams_sent_activity) and MARK_POSTED.
    await h.db.$executeRaw`UPDATE delivery SET message_id = NULL, status = 'pending', rendered_version = 0, posted_at = NULL,
      attempted_at = now() - interval '5 seconds', lease_until = NULL WHERE id = ${sent.id}::uuid`;
    const searchesBefore = h.connector.graph.requests.length;
    await enqueueDelivery(h.db, { id: sent.id, platform: 'teams', kind: 'interview.result' });
    const row = await settled('int_crash', channel('crash'));
    const posts = postsOf(channel('crash'), 'int_crash');
    expect(posts).toHaveLength(1);
    expect(row.messageId).toBe(posts[0]!.id);
    expect(posts[0]!.updates).toBe(1);
    expect(h.connector.graph.requests.length).toBe(searchesBefore);
  });

  it('tags every delivered card with its delivery, where Graph shows it', async () => {
    await h.ask('subscribe senior-backend-payments', undefined, { conversationId: channel('tagged') });
    await h.webhook(completed({ interviewId: 'int_tagged' }));
    const row = await settled('int_tagged', channel('tagged'));
    const card = (postsOf(channel('tagged'), 'int_tagged')[0]!.body.attachments as { content: { body: { id?: string }[] } }[])[0]!.content;
    expect(card.body[0]!.id).toBe(`panelist-delivery-${row.id}`);
  });
});
