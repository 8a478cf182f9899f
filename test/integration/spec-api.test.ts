import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { specEntityTag } from '../../src/domain/spec-api';
import { PublishedSpecService } from '../../src/services/published-specs';
import { createDb, type Db } from '../../src/store/db';
import { Harness } from '../support/harness';
import { panelistCli } from '../support/panelist-cli';
import { waitUntil } from '../support/slack-events';
import { apiRequest, DEMO_SLUG, DEMO_SPEC_ID, fixtureDocument, reweighted, writeSpecFile } from '../support/spec-api';

/**
 * The pull API's reads (docs/spec-api.md) through the real HTTP server: the current version as the
 * platform's document, versions by number, ETag and 304, the list with updated_since and its pages.
 * The tests run in order on one database; each says what state it leaves.
 */
let harness: Harness;
let sql: Client;
let scratch: string;
let key: string;
const cli = panelistCli(() => harness.database.url);
const get = (route: string, headers: Record<string, string> = {}) => apiRequest(harness.baseUrl, route, { key, headers });
const DEMO_TAG = (number: number, slug = DEMO_SLUG) => specEntityTag({ id: DEMO_SPEC_ID, slug }, number);

beforeAll(async () => {
  harness = await Harness.start({ DIGEST_CLOCK: 'false' });
  sql = new Client({ connectionString: harness.database.url });
  await sql.connect();
  scratch = await mkdtemp(path.join(tmpdir(), 'panelist-spec-api-'));
  await waitUntil(async () => (await sql.query('SELECT 1 FROM spec WHERE id = $1', [DEMO_SPEC_ID])).rowCount, 'the demo spec to be seeded');
  key = (await cli.run('api-keys', 'create', 'platform'))[0]!;
});
afterAll(async () => {
  await sql?.end();
  await harness?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function importSpec(name: string, changes: Record<string, unknown>): Promise<string[]> {
  return cli.run('specs', 'import', await writeSpecFile(scratch, name, changes));
}

describe('GET /api/v1/specs/{id}', () => {
  it("answers the current version as the platform's document, who made it and when, with a strong ETag", async () => {
    const answer = await get(`/api/v1/specs/${DEMO_SPEC_ID}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('etag')).toBe(`"${DEMO_SPEC_ID}.v1.${DEMO_SLUG}"`);
    expect(answer.headers.get('cache-control')).toBe('private, no-cache');
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    const { livePerformance: _live, version: _platformLabel, ...document } = await fixtureDocument();
    const stored = await sql.query('SELECT created_at FROM spec_version WHERE spec_id = $1 AND number = 1', [DEMO_SPEC_ID]);
    // the fixture's own shape: weights as two-decimal strings, `version` as Panelist's label
    expect(answer.json).toEqual({
      spec: { ...document, version: 'v1' },
      version: {
        number: 1,
        author: 'panelist CLI',
        note: 'Imported v1-Mft0Fe',
        created_at: (stored.rows[0].created_at as Date).toISOString(),
      },
    });
  });

  it('answers 304 with no body when If-None-Match names it (as is, weak, in a list, or *), and 200 otherwise', async () => {
    for (const header of [DEMO_TAG(1), `W/${DEMO_TAG(1)}`, `"something-else", ${DEMO_TAG(1)}`, '*']) {
      const answer = await get(`/api/v1/specs/${DEMO_SPEC_ID}`, { 'if-none-match': header });
      expect([header, answer.status, answer.text]).toEqual([header, 304, '']);
      expect(answer.headers.get('etag')).toBe(DEMO_TAG(1));
    }
    expect((await get(`/api/v1/specs/${DEMO_SPEC_ID}`, { 'if-none-match': DEMO_TAG(2) })).status).toBe(200);
  });

  it('decides a 304 from the spec row alone: the version is not read', async () => {
    const db = createDb(harness.database.url, { max: 2 });
    let versionReads = 0;
    const counting = db.$extends({
      query: {
        specVersion: {
          $allOperations({ args, query }) {
            versionReads += 1;
            return query(args);
          },
        },
      },
    }) as unknown as Db;
    try {
      const organization = (await sql.query('SELECT organization_id FROM spec WHERE id = $1', [DEMO_SPEC_ID])).rows[0].organization_id;
      const service = new PublishedSpecService(counting);
      expect((await service.current(organization, DEMO_SPEC_ID, DEMO_TAG(1))).status).toBe('not_modified');
      expect(versionReads).toBe(0);
      expect((await service.current(organization, DEMO_SPEC_ID)).status).toBe('ok');
      expect(versionReads).toBe(1);
    } finally {
      await db.$disconnect();
    }
  });

  it('answers a new version with a new ETag; the old tag no longer matches (leaves the demo spec at v2)', async () => {
    expect(
      await importSpec('v2', { competencies: await reweighted({ financial_systems_design: '0.35', fastapi_kafka_systems: '0.05' }) }),
    ).toEqual([`${DEMO_SLUG}: updated to v2`]);
    const answer = await get(`/api/v1/specs/${DEMO_SPEC_ID}`, { 'if-none-match': DEMO_TAG(1) });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('etag')).toBe(DEMO_TAG(2));
    expect(answer.json.spec?.version).toBe('v2');
    expect(answer.json.version?.number).toBe(2);
    expect(answer.json.spec?.competencies.map((c) => c.weight)).toEqual(['0.35', '0.25', '0.20', '0.15', '0.05']);
  });
});

describe('GET /api/v1/specs/{id}/versions/{n}', () => {
  it('answers an earlier version as it was, with its own ETag, cacheable for an hour', async () => {
    const answer = await get(`/api/v1/specs/${DEMO_SPEC_ID}/versions/1`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('etag')).toBe(DEMO_TAG(1));
    expect(answer.headers.get('cache-control')).toBe('private, max-age=3600');
    expect(answer.json.spec?.version).toBe('v1');
    expect(answer.json.spec?.competencies.map((c) => c.weight)).toEqual(['0.30', '0.25', '0.20', '0.15', '0.10']);
    expect((await get(`/api/v1/specs/${DEMO_SPEC_ID}/versions/1`, { 'if-none-match': DEMO_TAG(1) })).status).toBe(304);
  });

  it('answers the current version under its number too, as "2" or "v2", with the same body and tag as /specs/{id}', async () => {
    const current = await get(`/api/v1/specs/${DEMO_SPEC_ID}`);
    for (const number of ['2', 'v2']) {
      const answer = await get(`/api/v1/specs/${DEMO_SPEC_ID}/versions/${number}`);
      expect(answer.json).toEqual(current.json);
      expect(answer.headers.get('etag')).toBe(current.headers.get('etag'));
    }
  });
});

describe('GET /api/v1/specs', () => {
  const others = Array.from({ length: 6 }, (_, n) => ({ id: randomUUID(), slug: `pull-api-spec-${n}` }));

  beforeAll(async () => {
    for (const spec of others) await importSpec(spec.slug, spec);
  });

  it('lists every spec once with its current version, oldest change first, each as /specs/{id} answers it', async () => {
    const answer = await get('/api/v1/specs');
    expect(answer.status).toBe(200);
    expect(answer.json.next).toBeNull();
    const { rows } = await sql.query('SELECT id FROM spec ORDER BY updated_at, id');
    expect(answer.json.specs?.map((entry) => entry.spec.id)).toEqual(rows.map((row) => row.id));
    expect(rows).toHaveLength(7);
    for (const entry of answer.json.specs!) expect(entry).toEqual((await get(`/api/v1/specs/${entry.spec.id}`)).json);
  });

  it('pages with limit and next, and the pages join up to the whole list', async () => {
    const whole = (await get('/api/v1/specs')).json.specs!.map((entry) => entry.spec.id);
    const seen: string[] = [];
    let next: string | null | undefined;
    let pages = 0;
    do {
      const answer = await get(`/api/v1/specs?limit=3${next ? `&cursor=${next}` : ''}`);
      expect(answer.status).toBe(200);
      expect(answer.json.specs!.length).toBeLessThanOrEqual(3);
      seen.push(...answer.json.specs!.map((entry) => entry.spec.id));
      next = answer.json.next;
      pages += 1;
    } while (next && pages < 10);
    expect(seen).toEqual(whole);
    expect(pages).toBe(3);
  });

  it('tags each page: the same page asked again with its ETag is a 304, another page is not', async () => {
    const page = await get('/api/v1/specs?limit=2');
    const tag = page.headers.get('etag');
    expect(tag).toMatch(/^"page\.[A-Za-z0-9_-]{27}"$/);
    expect((await get('/api/v1/specs?limit=2', { 'if-none-match': tag! })).status).toBe(304);
    expect((await get('/api/v1/specs?limit=3', { 'if-none-match': tag! })).status).toBe(200);
  });

  it('answers only the specs changed after updated_since, whatever zone the time is written in', async () => {
    const latest: Date = (await sql.query('SELECT max(updated_at) AS t FROM spec')).rows[0].t;
    await waitUntil(async () => Date.now() > latest.getTime() + 1, 'the clock to pass the latest change');
    await importSpec(others[2]!.slug, {
      ...others[2],
      competencies: await reweighted({ financial_systems_design: '0.40', fastapi_kafka_systems: '0.00' }),
    });
    const inUtc = await get(`/api/v1/specs?updated_since=${encodeURIComponent(latest.toISOString())}`);
    expect(inUtc.json.specs?.map((entry) => [entry.spec.id, entry.version.number])).toEqual([[others[2]!.id, 2]]);
    // the same instant written in UTC+01:00 (the + sent as %2B)
    const inParis = new Date(latest.getTime() + 3_600_000).toISOString().replace('Z', '+01:00');
    expect((await get(`/api/v1/specs?updated_since=${encodeURIComponent(inParis)}`)).json.specs).toEqual(inUtc.json.specs);
    expect((await get('/api/v1/specs?updated_since=2999-01-01T00:00:00Z')).json).toEqual({ specs: [], next: null });
    expect((await get('/api/v1/specs?updated_since=0000-01-01T00:00:00Z')).json.specs).toHaveLength(7);
  });

  it('moves a renamed spec (an import with a new slug, same content) up the list, with a new ETag', async () => {
    const before: Date = (await sql.query('SELECT max(updated_at) AS t FROM spec')).rows[0].t;
    await waitUntil(async () => Date.now() > before.getTime() + 1, 'the clock to pass the latest change');
    const { livePerformance: _live, ...fixture } = await fixtureDocument();
    await importSpec('renamed', {
      ...fixture,
      slug: 'payments-backend',
      competencies: await reweighted({ financial_systems_design: '0.35', fastapi_kafka_systems: '0.05' }),
    });
    const changed = await get(`/api/v1/specs?updated_since=${encodeURIComponent(before.toISOString())}`);
    expect(changed.json.specs?.map((entry) => [entry.spec.id, entry.spec.slug, entry.spec.version])).toEqual([
      [DEMO_SPEC_ID, 'payments-backend', 'v2'],
    ]);
    const current = await get(`/api/v1/specs/${DEMO_SPEC_ID}`, { 'if-none-match': DEMO_TAG(2) });
    expect(current.status).toBe(200);
    expect(current.headers.get('etag')).toBe(DEMO_TAG(2, 'payments-backend'));
  });
});
