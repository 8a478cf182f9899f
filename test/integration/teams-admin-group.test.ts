import { UsageError } from '../../src/cli/main';
import { panelistCli } from '../support/panelist-cli';
import { OWNER, TeamsHarness } from '../support/teams-harness';

/** The organization's Entra admin group, as `panelist admins group set|clear` keeps it. */

const GROUP = '7d3c2b1a-9e8f-4a6b-8c5d-0f1e2d3c4b5a';

let h: TeamsHarness;
const cli = panelistCli(() => h.database.url);

describe('the Entra admin group', () => {
  beforeAll(async () => {
    h = await TeamsHarness.start();
  });
  afterAll(() => h?.stop());

  it('`admins group set` refuses what is not a group object id, in words, and writes nothing', async () => {
    const notAnId = await cli.refusal('admins', 'group', 'set', 'hiring-admins@example.com');
    expect(notAnId.message).toContain('"hiring-admins@example.com" is not a Microsoft Entra group\'s object id (a GUID');
    expect(notAnId.message).toContain('A group\'s name or e-mail address will not do.');
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
    expect(set[1]).toContain('GroupMember.Read.All');
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
    expect(await cli.run('admins', 'group', 'set', other)).toContain(`Members of Entra group ${other} are now Panelist admins of "default" in Teams (instead of ${GROUP}'s).`);
    expect(await cli.run('admins', 'group', 'set', GROUP)).toContain(`Members of Entra group ${GROUP} are now Panelist admins of "default" in Teams (instead of ${other}'s).`);
    const audit = await h.db.auditEvent.findMany({ where: { action: 'admin.group.set' }, orderBy: { id: 'asc' }, select: { detail: true } });
    expect(audit.map((a) => a.detail)).toEqual([
      expect.objectContaining({ groupId: GROUP, previous: null }),
      expect.objectContaining({ groupId: other, previous: GROUP }),
      expect.objectContaining({ groupId: GROUP, previous: other }),
    ]);
    expect(await h.db.teamsAdminGroup.findMany({ select: { groupId: true } })).toEqual([{ groupId: GROUP }]);
  });

  it('`admins group clear` removes it (audited once)', async () => {
    expect(await cli.run('admins', 'group', 'clear')).toEqual([`Members of Entra group ${GROUP} are no longer Panelist admins of "default" from their next command; named admins stay.`]);
    expect(await cli.run('admins', 'group', 'clear')).toEqual(['"default" had no admin group; nothing changed.']);
    expect(await h.db.auditEvent.findMany({ where: { action: 'admin.group.clear' }, select: { detail: true } })).toEqual([{ detail: expect.objectContaining({ groupId: GROUP }) }]);
    expect((await cli.run('admins', 'list')).some((line) => line.startsWith('teams group'))).toBe(false);
  });
});
