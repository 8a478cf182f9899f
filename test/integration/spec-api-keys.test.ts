import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { describeFailure } from '../../src/cli/failure';
import { API_KEY_CACHE_TTL_MS } from '../../src/services/api-key-auth';
import { Harness } from '../support/harness';
import { panelistCli } from '../support/panelist-cli';
import { waitUntil } from '../support/slack-events';
import { apiRequest, DEMO_SPEC_ID, writeSpecFile } from '../support/spec-api';

/**
 * API keys end to end: `npx panelist api-keys …` (in this process, against the app's database)
 * and the app's pull API over HTTP. A key is printed once and stored only as its hash; a revoked
 * key is refused within the cache's TTL; a key reads its own organization's specs and no other's.
 */
let harness: Harness;
let sql: Client;
let scratch: string;
const cli = panelistCli(() => harness.database.url);
const get = (route: string, key?: string) => apiRequest(harness.baseUrl, route, { key });
const OTHER_SPEC_ID = '0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b';

beforeAll(async () => {
  harness = await Harness.start({ DIGEST_CLOCK: 'false' });
  sql = new Client({ connectionString: harness.database.url });
  await sql.connect();
  scratch = await mkdtemp(path.join(tmpdir(), 'panelist-api-keys-'));
  await waitUntil(async () => (await sql.query('SELECT 1 FROM spec WHERE id = $1', [DEMO_SPEC_ID])).rowCount, 'the demo spec to be seeded');
  await sql.query(`INSERT INTO organization (id, slug, name) VALUES (gen_random_uuid(), 'acme', 'Acme')`);
  await cli.run('specs', 'import', await writeSpecFile(scratch, 'acme', { id: OTHER_SPEC_ID, slug: 'acme-backend' }), '--org', 'acme');
});
afterAll(async () => {
  await sql?.end();
  await harness?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function keyRows(): Promise<{ name: string; key_hash: string; prefix: string; slug: string }[]> {
  const { rows } = await sql.query(
    'SELECT k.name, k.key_hash, k.prefix, o.slug FROM api_key k JOIN organization o ON o.id = k.organization_id ORDER BY k.created_at',
  );
  return rows;
}

async function auditCount(): Promise<number> {
  return Number((await sql.query(`SELECT count(*) FROM audit_event WHERE action LIKE 'api_key.%'`)).rows[0].count);
}

describe('npx panelist api-keys', () => {
  let key: string;

  it('create prints the key once, on a line of its own, and stores only its hash', async () => {
    const lines = await cli.run('api-keys', 'create', 'platform-prod');
    expect(lines).toHaveLength(2);
    key = lines[0]!;
    expect(key).toMatch(/^pnl_[A-Za-z0-9_-]{43}$/);
    expect(lines[1]).toMatch(/^API key "platform-prod" \(pnl_.{8}…\) can now read the specs of "default"\. .*will not be shown again\.$/);
    expect(lines[1]).not.toContain(key.slice(12));
    const hash = createHash('sha256').update(key).digest('hex');
    expect(await keyRows()).toEqual([{ name: 'platform-prod', key_hash: hash, prefix: key.slice(0, 12), slug: 'default' }]);
    const audit = await sql.query(`SELECT actor_platform, detail FROM audit_event WHERE action = 'api_key.create'`);
    expect(audit.rows).toEqual([
      { actor_platform: 'cli', detail: { actorName: 'panelist CLI', name: 'platform-prod', prefix: key.slice(0, 12) } },
    ]);
  });

  it('the key reads the specs at once', async () => {
    expect((await get(`/api/v1/specs/${DEMO_SPEC_ID}`, key)).status).toBe(200);
    expect(
      (
        await get(
          `/api/v1/specs/${DEMO_SPEC_ID}`,
          key.replace(/^pnl_./, (start) => (start.endsWith('A') ? 'pnl_B' : 'pnl_A')),
        )
      ).status,
    ).toBe(401);
  });

  it('list names the keys and their first characters, never a key', async () => {
    await cli.run('api-keys', 'create', 'staging');
    const lines = await cli.run('api-keys', 'list');
    expect(lines.map((line) => line.split('\t').slice(0, 2))).toEqual([
      ['platform-prod', `${key.slice(0, 12)}…`],
      ['staging', expect.stringMatching(/^pnl_.{8}…$/)],
    ]);
    expect(lines.join('\n')).not.toContain(key.slice(12, 20));
    expect(await cli.run('api-keys', 'list', '--org', 'acme')).toEqual([
      '"acme" has no API keys. npx panelist api-keys create <name> makes one.',
    ]);
  });

  it.each([
    [['api-keys', 'create'], 2, 'takes one name'],
    [['api-keys', 'create', 'a', 'b'], 2, 'takes one name'],
    [['api-keys', 'create', 'has space'], 2, 'is not a key name'],
    [['api-keys', 'create', 'naïve'], 2, 'is not a key name'],
    [['api-keys', 'create', 'platform-prod'], 1, 'already an API key named "platform-prod"'],
    [['api-keys', 'create', 'x', '--org', 'nowhere'], 2, 'No organization "nowhere"'],
    [['api-keys', 'revoke'], 2, 'takes one name'],
    [['api-keys', 'revoke', 'nope'], 1, 'No API key is named "nope"'],
    [['api-keys', 'revoke', 'platform-prod', '--org', 'acme'], 1, 'No API key is named "platform-prod"'],
    [['api-keys', 'list', 'extra'], 2, 'takes no arguments'],
    [['api-keys', 'rotate', 'x'], 2, 'Unknown command'],
  ])('refuses %j with exit %i and words, changing nothing', async (args, exitCode, words) => {
    const [rows, audit] = [await keyRows(), await auditCount()];
    const failure = describeFailure(await cli.refusal(...args));
    expect(failure.exitCode).toBe(exitCode);
    expect(failure.message).toContain(words);
    expect(failure.message.length).toBeGreaterThan(20);
    expect([await keyRows(), await auditCount()]).toEqual([rows, audit]);
  });

  it(`revoke refuses the key within ${API_KEY_CACHE_TTL_MS / 1000} s, audits it, and frees the name`, async () => {
    expect((await get(`/api/v1/specs/${DEMO_SPEC_ID}`, key)).status).toBe(200); // cached now
    const lines = await cli.run('api-keys', 'revoke', 'platform-prod');
    const revokedAt = Date.now();
    expect(lines).toEqual([
      expect.stringMatching(/^API key "platform-prod" \(pnl_.{8}…\) of "default" is revoked: every replica refuses it within 5 seconds\.$/),
    ]);
    const refused = await waitUntil(
      async () => {
        const answer = await get(`/api/v1/specs/${DEMO_SPEC_ID}`, key);
        return answer.status === 401 ? answer : undefined;
      },
      'the revoked key to be refused',
      API_KEY_CACHE_TTL_MS + 5_000,
    );
    expect(Date.now() - revokedAt).toBeLessThan(API_KEY_CACHE_TTL_MS + 2_000);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="panelist", error="invalid_token"');
    expect(refused.json.error?.message).toContain('revoked');
    expect((await keyRows()).map((row) => row.name)).toEqual(['staging']);
    expect((await sql.query(`SELECT detail->>'name' AS name FROM audit_event WHERE action = 'api_key.revoke'`)).rows).toEqual([
      { name: 'platform-prod' },
    ]);
    const again = (await cli.run('api-keys', 'create', 'platform-prod'))[0]!;
    expect(again).not.toBe(key);
    expect((await get(`/api/v1/specs/${DEMO_SPEC_ID}`, again)).status).toBe(200);
  }, 30_000);
});

describe('a key reads its own organization and nothing else', () => {
  let ours: string;
  let theirs: string;

  beforeAll(async () => {
    ours = (await cli.run('api-keys', 'create', 'ours'))[0]!;
    theirs = (await cli.run('api-keys', 'create', 'theirs', '--org', 'acme'))[0]!;
  });

  it("answers another organization's spec exactly as one that does not exist: 404", async () => {
    const unknown = '11111111-2222-4333-8444-555555555555';
    for (const [key, id, other] of [
      [ours, OTHER_SPEC_ID, unknown],
      [theirs, DEMO_SPEC_ID, unknown],
    ] as const) {
      for (const suffix of ['', '/versions/1']) {
        const foreign = await get(`/api/v1/specs/${id}${suffix}`, key);
        const missing = await get(`/api/v1/specs/${other}${suffix}`, key);
        expect([foreign.status, missing.status]).toEqual([404, 404]);
        expect(foreign.json.error?.message).toBe(missing.json.error?.message.replace(other, id));
      }
    }
  });

  it('lists and reads only its own specs', async () => {
    expect((await get('/api/v1/specs', theirs)).json.specs?.map((entry) => entry.spec.id)).toEqual([OTHER_SPEC_ID]);
    expect((await get('/api/v1/specs', ours)).json.specs?.map((entry) => entry.spec.id)).toEqual([DEMO_SPEC_ID]);
    expect((await get(`/api/v1/specs/${OTHER_SPEC_ID}`, theirs)).json.spec?.slug).toBe('acme-backend');
  });
});
