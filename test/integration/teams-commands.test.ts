import { TENANT_ID, activityText } from '../support/fake-bot-connector';
import { BOT_ID, CHANNEL_ID, MEMBER, OWNER, TEAM_ID, TeamsHarness } from '../support/teams-harness';

let h: TeamsHarness;
beforeAll(async () => {
  h = await TeamsHarness.start();
});
afterAll(async () => {
  await h?.stop();
});

const card = (a: { body: Record<string, unknown> }) => (a.body.attachments as { contentType: string; content: unknown }[] | undefined)?.[0];

describe('Teams commands, through POST /api/messages and the fake Bot Connector', () => {
  it('answers help, show and history with Adaptive Cards, list as text', async () => {
    const help = await h.ask('help');
    expect(card(help)?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(activityText(help)).toContain('grant @user &lt;spec|all&gt;');
    expect(activityText(help)).toContain('subscribe &lt;spec|all&gt; [private]');
    // Cards have no code spans: a backtick would show as one.
    expect(activityText(help)).not.toContain('`');
    expect(help.authorization).toMatch(/^Bearer ey/);

    const show = await h.ask('show senior-backend-payments');
    expect(card(show)?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(activityText(show)).toContain('financial_systems_design');
    expect(activityText(show)).toContain('balanced');

    const history = await h.ask('history senior-backend-payments');
    expect(activityText(history)).toContain('**History of** **senior-backend-payments**');

    const list = await h.ask('list');
    expect(list.body.text).toContain('senior-backend-payments');
  });

  it('refuses a message over 4,000 characters in words', async () => {
    const reply = await h.ask(`show ${'x'.repeat(10_000)}`);
    expect(reply.body.text).toContain('a command can be at most 4,000');
    expect(reply.body.text).toContain('**@Panelist show senior-backend-payments**');
  });

  it('works without the mention in a personal chat, and explains a typo', async () => {
    const reply = await h.ask('lsit', MEMBER, { personal: true });
    expect(reply.body.text).toContain('I don\'t know "lsit"');
    expect(reply.body.text).toContain('**@Panelist help** lists every command');
  });

  it('in a channel, answers only messages that mention it (with consent, Teams delivers every message)', async () => {
    const channel = '19:chatter@thread.tacv2';
    // the thread h.ask writes in, so an answer to the unaddressed messages would land beside its own
    const conversation = `${channel};messageid=1700000000000`;
    const bob = { type: 'mention', text: '<at>Bob Member</at>', mentioned: { id: MEMBER.id, name: MEMBER.name } };
    for (const [text, entities] of [
      ['lunch anyone?', []],
      ['<at>Bob Member</at> list please', [bob]],
    ] as const) {
      const sent = await h.activity({
        type: 'message',
        id: `chatter-${text.length}`,
        text,
        from: { id: OWNER.id, name: OWNER.name, aadObjectId: OWNER.aadObjectId },
        recipient: { id: BOT_ID, name: 'Panelist' },
        conversation: { id: conversation, conversationType: 'channel', tenantId: TENANT_ID, isGroup: true },
        entities,
        channelData: { tenant: { id: TENANT_ID }, team: { id: TEAM_ID }, channel: { id: channel } },
      });
      expect(sent.status).toBe(200);
    }
    const answer = await h.ask('list', OWNER, { conversationId: channel });
    expect(answer.body.text).toContain('senior-backend-payments');
    // The SDK answers an activity's request after its handler ran, so a reply to either message
    // would already be at the connector, before the answer to `list`.
    expect(h.connector.in(conversation)).toHaveLength(1);
  });

  it('changes weights for owners and refuses members without a grant', async () => {
    const refused = await h.ask('weights senior-backend-payments financial_systems_design=0.25 production_ownership=0.20', MEMBER);
    expect(refused.body.text).toContain('can read **senior-backend-payments** but not change it');
    const saved = await h.ask('weights senior-backend-payments financial_systems_design=0.25 production_ownership=0.20', OWNER);
    expect(saved.body.text).toContain('✅ Saved **v2**');
    const bad = await h.ask('weights senior-backend-payments financial_systems_design=0.50');
    expect(bad.body.text).toContain('Nothing was saved');
  });

  it('grant and revoke: owners only; a mention becomes the user’s AAD object id', async () => {
    const mention = { type: 'mention', text: '<at>Bob Member</at>', mentioned: { id: MEMBER.id, name: MEMBER.name } };
    const notOwner = await h.ask('grant <at>Bob Member</at> senior-backend-payments', MEMBER, { entities: [mention] });
    expect(notOwner.body.text).toContain('Only Panelist admins (whoever runs Panelist names them) can grant edit rights');
    const granted = await h.ask('grant <at>Bob Member</at> senior-backend-payments', OWNER, { entities: [mention] });
    expect(granted.body.text).toBe('✅ Bob Member can now edit **senior-backend-payments**.');
    const rows = await h.db.specGrant.findMany({ where: { platform: 'teams' } });
    expect(rows.map((r) => r.userId)).toEqual([MEMBER.aadObjectId]);
    const now = await h.ask('revert senior-backend-payments 1', MEMBER);
    expect(now.body.text).toContain('Reverted to v1 as **v3**');
    const revoked = await h.ask('revoke <at>Bob Member</at> all', OWNER, { entities: [mention] });
    expect(revoked.body.text).toBe('✅ Bob Member can no longer edit every spec.');
  });

  it('subscribe, subscriptions, digest and unsubscribe for the channel (not the thread)', async () => {
    expect((await h.ask('subscribe senior-backend-payments private')).body.text).toContain('now follows **senior-backend-payments**');
    const subs = await h.ask('subscriptions');
    expect(subs.body.text).toContain('names hidden');
    expect(subs.body.text).toContain('Weekly digest Monday');
    expect((await h.ask('digest friday 16:30 Europe/Berlin')).body.text).toContain('Friday');
    const row = await h.db.subscription.findFirst({ where: { platform: 'teams' } });
    expect(row).toMatchObject({ channelId: CHANNEL_ID, workspaceId: 'tenant-1', createdBy: OWNER.aadObjectId });
    expect((await h.ask('unsubscribe all')).body.text).toContain('no longer follows any spec');
    expect((await h.ask('digest off')).body.text).toContain('No more weekly digests');
  });

  it('records the conversation on install and retires it on removal', async () => {
    const base = {
      from: { id: OWNER.id, aadObjectId: OWNER.aadObjectId },
      recipient: { id: `28:00000000-0000-0000-0000-00000000b07` },
      conversation: { id: TEAM_ID, conversationType: 'channel', tenantId: 'tenant-1' },
      channelData: { tenant: { id: 'tenant-1' }, team: { id: TEAM_ID, name: 'Hiring' }, eventType: 'teamMemberAdded' },
    };
    expect((await h.activity({ ...base, type: 'conversationUpdate', membersAdded: [{ id: base.recipient.id }] })).status).toBe(200);
    const rows = await h.db.$queryRaw<
      { conversation_id: string; removed_at: Date | null }[]
    >`SELECT conversation_id, removed_at FROM teams_conversation ORDER BY conversation_id`;
    expect(rows.find((r) => r.conversation_id === TEAM_ID)?.removed_at).toBeNull();
    // the channel where commands were typed was recorded too (same team)
    expect(rows.find((r) => r.conversation_id === CHANNEL_ID)).toBeDefined();
    await h.activity({
      ...base,
      type: 'conversationUpdate',
      membersRemoved: [{ id: base.recipient.id }],
      channelData: { ...base.channelData, eventType: 'teamMemberRemoved' },
    });
    const after = await h.db.$queryRaw<
      { conversation_id: string; removed_at: Date | null }[]
    >`SELECT conversation_id, removed_at FROM teams_conversation`;
    expect(after.every((r) => r.removed_at !== null || !r.conversation_id.startsWith('19:'))).toBe(true);
  });
});
