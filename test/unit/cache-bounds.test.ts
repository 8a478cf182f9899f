import type { webApi } from '@slack/bolt';
import { SlackSender } from '../../src/slack/sender';
import { SpecVersionCache } from '../../src/services/spec-version-cache';
import type { OrganizationService } from '../../src/services/organizations';
import { SlackActors } from '../../src/slack/actors';
import { TeamsActors } from '../../src/teams/actors';
import type { Db } from '../../src/store/db';
import { MAX_NAMED_STATEMENTS, statementName } from '../../src/store/sql-runner';

/**
 * Every in-memory cache holds at most its bound, however many distinct keys signed requests bring
 * (team ids, user ids, workspaces, spec versions). Nothing here touches the network or a database.
 */
describe('bounded in-memory caches', () => {
  it('SlackActors keeps at most maxActors users and maxWorkspaces workspace links', async () => {
    const organizations = { forSlackTeam: async (teamId: string) => `org-${teamId}` } as unknown as OrganizationService;
    let lookups = 0;
    const client = {
      users: {
        info: async ({ user }: { user: string }) => {
          lookups += 1;
          return { user: { name: user } };
        },
      },
    } as unknown as webApi.WebClient;
    const actors = new SlackActors(organizations, { maxActors: 3, maxWorkspaces: 2 });
    for (let i = 0; i < 50; i += 1) await actors.resolve(client, `T${i % 10}`, `U${i}`);
    expect(actors.sizes).toEqual({ actors: 3, workspaces: 2 });
    // The most recent user is still held: asking again costs no lookup.
    const before = lookups;
    await actors.resolve(client, 'T9', 'U49');
    expect(lookups).toBe(before);
    expect(await actors.organizationFor('T9')).toBe('org-T9');
  });

  it('TeamsActors keeps at most maxNames roster names', async () => {
    const organizations = {
      ensureDefault: async () => 'org-default',
      teamsAdminStanding: async () => ({ named: false }),
    } as unknown as OrganizationService;
    let lookups = 0;
    const roster = async (_team: string, id: string) => {
      lookups += 1;
      return { id, name: `name of ${id}` };
    };
    const actors = new TeamsActors(organizations, 'tenant-1', undefined, 3);
    for (let i = 0; i < 50; i += 1) await actors.resolve('tenant-1', { aadObjectId: `aad-${i}`, id: `29:${i}` }, `team-${i % 5}`, roster);
    expect(actors.nameCount).toBe(3);
    const before = lookups;
    const again = await actors.resolve('tenant-1', { aadObjectId: 'aad-49', id: '29:49' }, 'team-4', roster);
    expect(again.actor.name).toBe('name of 29:49');
    expect(lookups).toBe(before);
  });

  it('SlackSender keeps at most maxClients WebClients', async () => {
    const sender = new SlackSender(async (workspace) => `xoxb-${workspace}`, { slackApiUrl: 'http://127.0.0.1:9/api/', maxClients: 2 });
    // Making a client reads the token only; nothing is sent.
    // biome-ignore lint/complexity/useLiteralKeys: the bracket reaches the private method on purpose
    for (let i = 0; i < 20; i += 1) await sender['client'](`W${i}`);
    expect(sender.clientCount).toBe(2);
  });

  it('SpecVersionCache keeps at most maxVersions versions', async () => {
    let reads = 0;
    const db = {
      specVersion: {
        findUniqueOrThrow: async ({ where }: { where: { specId_number: { specId: string; number: number } } }) => {
          reads += 1;
          return { specId: where.specId_number.specId, number: where.specId_number.number };
        },
      },
    } as unknown as Db;
    const cache = new SpecVersionCache(db, 4);
    for (let i = 0; i < 30; i += 1) await cache.get({ id: `spec-${i}`, currentVersion: 1 });
    expect(cache.size).toBe(4);
    await cache.get({ id: 'spec-29', currentVersion: 1 });
    expect(reads).toBe(30);
  });

  it('names at most MAX_NAMED_STATEMENTS statement texts; more run unnamed', () => {
    const names = new Set<string>();
    for (let i = 0; i < MAX_NAMED_STATEMENTS + 50; i += 1) {
      const name = statementName(`SELECT ${i} AS cache_bound_test`);
      if (name) names.add(name);
    }
    expect(names.size).toBeLessThanOrEqual(MAX_NAMED_STATEMENTS);
    expect(statementName(`SELECT ${MAX_NAMED_STATEMENTS + 10} AS cache_bound_test`)).toBeUndefined();
  });
});
