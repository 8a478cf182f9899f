import { UsageError } from '../../src/cli/main';
import type { FakeMember } from '../support/fake-bot-connector';
import { metricValue } from '../support/metrics';
import { panelistCli } from '../support/panelist-cli';
import { MEMBER, OWNER, TeamsHarness } from '../support/teams-harness';

/**
 * The organization's Entra admin group (`panelist admins group set|clear`): its members are Teams
 * admins besides the named ones, as Microsoft Graph's checkMemberGroups says, asked once per user
 * per TEAMS_ADMIN_GROUP_CACHE_MS. When Graph cannot say, the user is no admin for that command.
 */

const GROUP = '7d3c2b1a-9e8f-4a6b-8c5d-0f1e2d3c4b5a';
const SPEC = 'senior-backend-payments';
const guidUser = (n: number, name: string, userRole: FakeMember['userRole'] = 'user'): FakeMember => ({
  id: `29:${name.toLowerCase().replace(/\W+/g, '-')}`,
  aadObjectId: `0000000${n}-1111-4222-8333-444444444444`,
  name,
  userRole,
});
/** in the group, never named */
const ALICE = guidUser(1, 'Alice Group');
/** owns a team of her own; neither named nor in the group */
const FOUNDER = guidUser(2, 'Fay Founder', 'owner');
/** in the group; her checks meet a failing Graph */
const DANA = guidUser(3, 'Dana Group');
/** in the group; only follows specs */
const CAROL = guidUser(4, 'Carol Group');
const MENTION_BOB = { type: 'mention', text: '<at>Bob Member</at>', mentioned: { id: MEMBER.id, name: MEMBER.name } };
const text = (reply: { body: Record<string, unknown> }) => String(reply.body.text ?? '');
const isEditCard = (reply: { body: Record<string, unknown> }) => Array.isArray(reply.body.attachments) && reply.body.attachments.length > 0;

let h: TeamsHarness;
const cli = panelistCli(() => h.database.url);
const checksOf = (user: FakeMember) =>
  h.connector.graph.memberChecks.filter((r) => r.path === `/users/${user.aadObjectId}/checkMemberGroups`);
const warnings = () => h.logs.lines.filter((l) => l.level === 40 && String(l.msg).startsWith('Teams admin group check failed'));

const checkCount = (result: string) => metricValue(h.metricsUrl, `panelist_teams_admin_group_checks_total{result="${result}"}`);

async function start(env: Record<string, string> = {}) {
  h = await TeamsHarness.start(env);
  for (const user of [ALICE, FOUNDER, DANA, CAROL]) h.connector.members.set(user.id, user);
  h.connector.graph.users.add(FOUNDER.aadObjectId);
  h.connector.graph.groupMembers.set(GROUP, new Set([ALICE.aadObjectId, DANA.aadObjectId, CAROL.aadObjectId]));
}

// In order: no group, the group set, members and others acting, Graph failing, the group cleared.
describe('the Entra admin group, with answers kept five minutes', () => {
  beforeAll(() => start());
  afterAll(() => h?.stop());

  it('no group set: group members are not admins, and Graph is never asked', async () => {
    expect(text(await h.ask(`weights ${SPEC} financial_systems_design=0.25 production_ownership=0.20`, ALICE))).toContain('not change it');
    expect(text(await h.ask(`weights ${SPEC} financial_systems_design=0.25 production_ownership=0.20`, FOUNDER))).toContain(
      'not change it',
    );
    expect(h.connector.graph.memberChecks).toHaveLength(0);
    expect(await h.db.spec.findFirst({ where: { slug: SPEC }, select: { currentVersion: true } })).toEqual({ currentVersion: 1 });
  });

  it('`admins group set` refuses what is not a group object id, in words, and writes nothing', async () => {
    const notAnId = await cli.refusal('admins', 'group', 'set', 'hiring-admins@example.com');
    expect(notAnId.message).toContain('"hiring-admins@example.com" is not a Microsoft Entra group\'s object id (a GUID');
    expect(notAnId.message).toContain("A group's name or e-mail address will not do.");
    const missing = await cli.refusal('admins', 'group', 'set');
    expect(missing).toBeInstanceOf(UsageError);
    expect(missing.message).toBe('admins group set takes one group: panelist admins group set <group object id>');
    const unknownVerb = await cli.refusal('admins', 'group', 'add', GROUP);
    expect(unknownVerb.message).toBe('admins group takes set <group object id>, or clear.');
    expect(await h.db.teamsAdminGroup.count()).toBe(0);
    expect(await h.db.auditEvent.count({ where: { action: { startsWith: 'admin.group' } } })).toBe(0);
  });

  it('`admins group set` names the group (audited once) and `admins list` shows it', async () => {
    const set = await cli.run('admins', 'group', 'set', GROUP.toUpperCase());
    expect(set[0]).toBe(`Members of Entra group ${GROUP} are now Panelist admins of "default" in Teams.`);
    expect(set[1]).toContain(
      'the app registration needs the User.Read.All and GroupMember.Read.All application permissions, with admin consent.',
    );
    expect(await cli.run('admins', 'group', 'set', GROUP)).toEqual([`${GROUP} is already the admin group of "default"; nothing changed.`]);
    const audit = await h.db.auditEvent.findMany({ where: { action: 'admin.group.set' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorPlatform: 'cli', actorId: 'cli', detail: { groupId: GROUP, previous: null } });
    const list = await cli.run('admins', 'list');
    expect(list[0]).toMatch(new RegExp(`^teams\\t${OWNER.aadObjectId}\\tadded by test\\t`));
    expect(list[1]).toMatch(new RegExp(`^teams group\\t${GROUP}\\tset by cli\\t\\d{4}-`));
  });

  it('`admins group set` with another group replaces it, and the audit says which it replaced', async () => {
    const other = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    expect(await cli.run('admins', 'group', 'set', other)).toContain(
      `Members of Entra group ${other} are now Panelist admins of "default" in Teams (instead of ${GROUP}'s).`,
    );
    expect(await cli.run('admins', 'group', 'set', GROUP)).toContain(
      `Members of Entra group ${GROUP} are now Panelist admins of "default" in Teams (instead of ${other}'s).`,
    );
    const audit = await h.db.auditEvent.findMany({
      where: { action: 'admin.group.set' },
      orderBy: { id: 'asc' },
      select: { detail: true },
    });
    expect(audit.map((a) => a.detail)).toEqual([
      expect.objectContaining({ groupId: GROUP, previous: null }),
      expect.objectContaining({ groupId: other, previous: GROUP }),
      expect.objectContaining({ groupId: GROUP, previous: other }),
    ]);
    expect(await h.db.teamsAdminGroup.findMany({ select: { groupId: true } })).toEqual([{ groupId: GROUP }]);
  });

  it('a member of the group edits every spec and grants, with one Graph call for both commands', async () => {
    const edit = await h.ask(`weights ${SPEC} financial_systems_design=0.25 production_ownership=0.20`, ALICE);
    expect(text(edit)).toContain('✅ Saved **v2**');
    const grant = await h.ask(`grant <at>Bob Member</at> ${SPEC}`, ALICE, { entities: [MENTION_BOB] });
    expect(text(grant)).toBe(`✅ Bob Member can now edit **${SPEC}**.`);
    const checks = checksOf(ALICE);
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ method: 'POST', body: { groupIds: [GROUP] } });
    expect(checks[0]!.authorization).toMatch(/^Bearer \S+/);
    expect(await checkCount('member')).toBe(1);
  });

  it('a team owner outside the group is refused, asked of Graph once', async () => {
    expect(text(await h.ask(`weights ${SPEC} financial_systems_design=0.30 production_ownership=0.15`, FOUNDER))).toContain(
      `You can read **${SPEC}** but not change it. A Panelist admin can let you`,
    );
    const grant = await h.ask(`grant <at>Bob Member</at> all`, FOUNDER, { entities: [MENTION_BOB] });
    expect(text(grant)).toBe('⚠️ Only Panelist admins (whoever runs Panelist names them) can grant edit rights.');
    expect(checksOf(FOUNDER)).toHaveLength(1);
    expect(await checkCount('not_member')).toBe(1);
    expect(await h.db.specGrant.count({ where: { scope: '*' } })).toBe(0);
  });

  it('named admins never wait on Graph, and following a spec needs no check', async () => {
    h.connector.graph.faults.push(503);
    expect(text(await h.ask(`weights ${SPEC} financial_systems_design=0.30 production_ownership=0.15`, OWNER))).toContain(
      '✅ Saved **v3**',
    );
    expect(text(await h.ask(`subscribe ${SPEC}`, CAROL))).toContain('✅ This conversation now follows');
    expect(checksOf(CAROL)).toHaveLength(0);
    // nobody asked Graph: the queued fault is still there
    expect(h.connector.graph.faults).toEqual([503]);
    h.connector.graph.faults.length = 0;
  });

  it('a removal from the group is not seen within the cache time', async () => {
    h.connector.graph.groupMembers.get(GROUP)!.delete(ALICE.aadObjectId);
    expect(isEditCard(await h.ask(`edit ${SPEC}`, ALICE))).toBe(true);
    expect(checksOf(ALICE)).toHaveLength(1);
    h.connector.graph.groupMembers.get(GROUP)!.add(ALICE.aadObjectId);
  });

  it('Graph refusing (403) or failing (503): no admin for that command, told why in words, one warning, counted; the next command asks again', async () => {
    const logsBefore = h.logs.lines.length;
    h.connector.graph.faults.push(403);
    const refused = await h.ask(`weights ${SPEC} financial_systems_design=0.25 production_ownership=0.20`, DANA);
    expect(text(refused)).toContain(`You can read **${SPEC}** but not change it. A Panelist admin can let you: **grant @you ${SPEC}**.`);
    expect(text(refused)).toContain(
      'Panelist could not check with Microsoft Entra just now whether you are in its admin group; if you are, try again in a few minutes',
    );
    expect(await checkCount('refused')).toBe(1);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatchObject({ groupId: GROUP, result: 'refused' });
    expect(String(warnings()[0]!.reason)).toContain('HTTP 403');
    expect(String(warnings()[0]!.reason)).toContain(
      'give the app registration the User.Read.All and GroupMember.Read.All application permissions and grant admin consent',
    );

    h.connector.graph.faults.push(503);
    const failed = await h.ask(`grant <at>Bob Member</at> all`, DANA, { entities: [MENTION_BOB] });
    expect(text(failed)).toContain(
      'Only Panelist admins (whoever runs Panelist names them) can grant edit rights. Panelist could not check with Microsoft Entra',
    );
    expect(await checkCount('unavailable')).toBe(1);
    // once per tenant every few minutes, at warn: an alert on errors is not flooded
    expect(warnings()).toHaveLength(1);
    expect(h.logs.errorsSince(logsBefore)).toEqual([]);
    expect(JSON.stringify(h.logs.lines.slice(logsBefore))).not.toMatch(/Bearer|eyJ/);

    expect(text(await h.ask(`weights ${SPEC} financial_systems_design=0.25 production_ownership=0.20`, DANA))).toContain('✅ Saved **v4**');
    expect(checksOf(DANA)).toHaveLength(3);
    expect(await h.db.specGrant.count({ where: { scope: '*' } })).toBe(0);
  });

  it('`admins group clear` ends the group at once (audited), with no Graph call', async () => {
    const checksBefore = h.connector.graph.memberChecks.length;
    expect(await cli.run('admins', 'group', 'clear')).toEqual([
      `Members of Entra group ${GROUP} are no longer Panelist admins of "default" from their next command; named admins stay.`,
    ]);
    expect(await cli.run('admins', 'group', 'clear')).toEqual(['"default" had no admin group; nothing changed.']);
    expect(await h.db.auditEvent.findMany({ where: { action: 'admin.group.clear' }, select: { detail: true } })).toEqual([
      { detail: expect.objectContaining({ groupId: GROUP }) },
    ]);
    expect(text(await h.ask(`edit ${SPEC}`, DANA))).toContain('not change it');
    expect(h.connector.graph.memberChecks).toHaveLength(checksBefore);
    expect((await cli.run('admins', 'list')).some((line) => line.startsWith('teams group'))).toBe(false);
  });
});

describe('the Entra admin group, with answers kept 300 ms', () => {
  beforeAll(async () => {
    await start({ TEAMS_ADMIN_GROUP_CACHE_MS: '300' });
    await cli.run('admins', 'group', 'set', GROUP);
  });
  afterAll(() => h?.stop());

  it('a member removed from the group loses admin once the cache time has passed', async () => {
    expect(isEditCard(await h.ask(`edit ${SPEC}`, ALICE))).toBe(true);
    h.connector.graph.groupMembers.get(GROUP)!.delete(ALICE.aadObjectId);
    h.connector.graph.users.add(ALICE.aadObjectId);
    // each try is a real command; the answer changes only when Graph is asked again
    let reply = await h.ask(`edit ${SPEC}`, ALICE);
    for (let tries = 0; isEditCard(reply) && tries < 100; tries += 1) reply = await h.ask(`edit ${SPEC}`, ALICE);
    expect(text(reply)).toContain('not change it');
    expect(checksOf(ALICE).length).toBeGreaterThanOrEqual(2);
  });
});
