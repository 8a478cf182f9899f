import { UsageError } from '../../src/cli/main';
import { panelistCli } from '../support/panelist-cli';
import type { FakeMember } from '../support/fake-bot-connector';
import { MEMBER, OWNER, TeamsHarness } from '../support/teams-harness';

/**
 * Who is an admin in Teams: only users an operator named with `panelist admins add`. Owning a team
 * (anyone can create one) gives no rights beyond what was granted.
 */

/** Created a team of her own, so the roster calls her its owner; nobody named her. */
const FOUNDER: FakeMember = {
  id: '29:founder',
  aadObjectId: '5b0c1f7e-2d4a-4e8e-9a51-7c3f0e6d9b21',
  name: 'Fay Founder',
  userRole: 'owner',
};
const SPEC = 'senior-backend-payments';
const MENTION_BOB = { type: 'mention', text: '<at>Bob Member</at>', mentioned: { id: MEMBER.id, name: MEMBER.name } };

let h: TeamsHarness;
const cli = panelistCli(() => h.database.url);
const panelist = cli.run;
const panelistRefusal = cli.refusal;

const adminRows = () => h.db.namedAdmin.findMany({ where: { platform: 'teams' }, orderBy: { createdAt: 'asc' } });

beforeAll(async () => {
  h = await TeamsHarness.start();
  h.connector.members.set(FOUNDER.id, FOUNDER);
});
afterAll(async () => {
  await h?.stop();
});

// In order: refused, named, allowed, removed, refused again.
describe('Teams admins are named, not inferred from team ownership', () => {
  it('refuses a team owner who was not named: no edit, no grant, nothing written', async () => {
    const edit = await h.ask(`weights ${SPEC} financial_systems_design=0.25 production_ownership=0.20`, FOUNDER);
    expect(edit.body.text).toContain(`You can read **${SPEC}** but not change it. A Panelist admin can let you`);
    const grant = await h.ask(`grant <at>Bob Member</at> ${SPEC}`, FOUNDER, { entities: [MENTION_BOB] });
    expect(grant.body.text).toContain('Only Panelist admins (whoever runs Panelist names them) can grant edit rights');
    const openEditor = await h.ask(`edit ${SPEC}`, FOUNDER);
    expect(openEditor.body.text).toContain('not change it');
    expect(await h.db.specGrant.count()).toBe(0);
    expect(await h.db.spec.findFirst({ where: { slug: SPEC }, select: { currentVersion: true } })).toEqual({ currentVersion: 1 });
  });

  it('`admins add` names her (audited), and her next command may edit and grant', async () => {
    expect(await panelist('admins', 'add', 'teams', FOUNDER.aadObjectId)).toEqual([
      `${FOUNDER.aadObjectId} is now a Panelist admin of "default" in Teams.`,
    ]);
    expect(await panelist('admins', 'add', 'teams', FOUNDER.aadObjectId)).toEqual([
      `${FOUNDER.aadObjectId} was already a Panelist admin of "default"; nothing changed.`,
    ]);
    expect((await adminRows()).map((r) => r.userId)).toEqual([OWNER.aadObjectId, FOUNDER.aadObjectId]);
    const audit = await h.db.auditEvent.findMany({ where: { action: 'admin.add' } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorPlatform: 'cli', actorId: 'cli', detail: { platform: 'teams', userId: FOUNDER.aadObjectId } });

    const edit = await h.ask(`weights ${SPEC} financial_systems_design=0.25 production_ownership=0.20`, FOUNDER);
    expect(edit.body.text).toContain('✅ Saved **v2**');
    const grant = await h.ask(`grant <at>Bob Member</at> ${SPEC}`, FOUNDER, { entities: [MENTION_BOB] });
    expect(grant.body.text).toBe(`✅ Bob Member can now edit **${SPEC}**.`);
  });

  it('`admins list` prints who is named', async () => {
    const lines = await panelist('admins', 'list');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^teams\\t${FOUNDER.aadObjectId}\\tadded by cli\\t`));
  });

  it('`admins remove` takes it away on the next command; grants she made stay', async () => {
    expect(await panelist('admins', 'remove', 'teams', FOUNDER.aadObjectId)).toEqual([
      `${FOUNDER.aadObjectId} is no longer a Panelist admin of "default"; they keep any grants they were given.`,
    ]);
    expect(await panelist('admins', 'remove', 'teams', FOUNDER.aadObjectId)).toEqual([
      `${FOUNDER.aadObjectId} was not a Panelist admin of "default"; nothing changed.`,
    ]);
    expect(await h.db.auditEvent.count({ where: { action: 'admin.remove' } })).toBe(1);
    const edit = await h.ask(`weights ${SPEC} financial_systems_design=0.30 production_ownership=0.15`, FOUNDER);
    expect(edit.body.text).toContain('not change it');
    expect(await h.db.specGrant.count({ where: { userId: MEMBER.aadObjectId } })).toBe(1);
  });

  it('refuses bad input in words and changes nothing', async () => {
    const before = { admins: await adminRows(), audit: await h.db.auditEvent.count() };
    const notAnId = await panelistRefusal('admins', 'add', 'teams', 'fay@example.com');
    expect(notAnId.message).toContain('"fay@example.com" is not a Teams user\'s Microsoft Entra object id');
    const slack = await panelistRefusal('admins', 'add', 'slack', 'U123');
    expect(slack.message).toContain("Slack's admins are the workspace's own admins and owners");
    const unknownPlatform = await panelistRefusal('admins', 'add', 'zoom', FOUNDER.aadObjectId);
    expect(unknownPlatform.message).toContain('"zoom" is not a platform Panelist names admins for; write "teams".');
    const missing = await panelistRefusal('admins', 'add', FOUNDER.aadObjectId);
    expect(missing).toBeInstanceOf(UsageError);
    expect(missing.message).toBe('admins add takes a platform and a user id: panelist admins add teams <object id>');
    const unknownOrg = await panelistRefusal('admins', 'add', 'teams', FOUNDER.aadObjectId, '--org', 'nope');
    expect(unknownOrg.message).toBe('No organization "nope".');
    expect(await adminRows()).toEqual(before.admins);
    expect(await h.db.auditEvent.count()).toBe(before.audit);
  });
});
