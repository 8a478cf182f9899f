import { createHash } from 'node:crypto';
import { Pool } from 'pg';
import { pruneExpiredCharts } from '../../src/store/chart-retention';
import { pgRunner } from '../../src/store/sql-runner';
import { createTestDatabase, type TestDatabase } from '../support/database';

// The store's statements against a real PostgreSQL: which pins and pictures go, and which stay.
let database: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new Pool({ connectionString: database.url, max: 2 });
});
afterAll(async () => {
  await pool.end();
  await database.drop();
});

const LIFETIME_DAYS = 90;
const SPEC_A = '00000000-0000-4000-8000-00000000000a';
const SPEC_B = '00000000-0000-4000-8000-00000000000b';

/** A digest whose period ended `daysAgo` days ago, on a schedule of its own. */
async function digestEnded(daysAgo: number): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `WITH org AS (INSERT INTO organization (id, slug, name) VALUES (gen_random_uuid(), 'org-' || gen_random_uuid(), 'Org') RETURNING id),
     schedule AS (
       INSERT INTO digest_schedule (id, organization_id, platform, workspace_id, channel_id, weekday, minute_of_day, time_zone, next_run_at)
       SELECT gen_random_uuid(), org.id, 'slack', 'T1', 'C' || md5(random()::text), 1, 540, 'UTC', now() FROM org RETURNING id)
     INSERT INTO digest (id, schedule_id, period_start, period_end)
     SELECT gen_random_uuid(), schedule.id, now() - make_interval(days => $1::int + 7), now() - make_interval(days => $1::int)
     FROM schedule RETURNING id::text`,
    [daysAgo],
  );
  return rows[0]!.id;
}

/** Pictures are named by the sha256 of their bytes; here, of a name the test reads back. */
const NAMES = ['only-expired', 'shared', 'unpinned-old', 'unpinned-new', 'edge'];
const idOf = (name: string) => createHash('sha256').update(name).digest('hex');
const nameOf = (id: string) => NAMES.find((name) => idOf(name) === id) ?? id;

async function image(name: string, storedDaysAgo: number): Promise<void> {
  const id = idOf(name);
  await pool.query(
    `INSERT INTO chart_image (id, png, width, height, created_at) VALUES ($1, '\\x89504e47'::bytea, 10, 10, now() - make_interval(days => $2::int))`,
    [id, storedDaysAgo],
  );
}

async function pin(digestId: string, specId: string, imageName: string): Promise<void> {
  const imageId = idOf(imageName);
  await pool.query(`INSERT INTO digest_chart (digest_id, spec_id, image_id, alt_text) VALUES ($1::uuid, $2::uuid, $3, 'alt')`, [
    digestId,
    specId,
    imageId,
  ]);
}

const pinsLeft = async () =>
  (await pool.query<{ v: string }>('SELECT digest_id::text AS v FROM digest_chart ORDER BY 1')).rows.map((r) => r.v);
const imagesLeft = async () => (await pool.query<{ id: string }>('SELECT id FROM chart_image')).rows.map((r) => nameOf(r.id)).sort();

it('deletes the pins of digests whose links have all expired, then the old pictures no pin holds, and nothing else', async () => {
  const expired = await digestEnded(LIFETIME_DAYS + 2);
  const current = await digestEnded(10);
  // just inside the lifetime and its day of margin: its links may still be open
  const edge = await digestEnded(LIFETIME_DAYS);
  await image('only-expired', 100);
  await image('shared', 100);
  await image('unpinned-old', 100);
  await image('unpinned-new', 0);
  await image('edge', 95);
  await pin(expired, SPEC_A, 'only-expired');
  await pin(expired, SPEC_B, 'shared');
  await pin(current, SPEC_A, 'shared');
  await pin(edge, SPEC_A, 'edge');

  const runner = pgRunner(pool);
  expect(await pruneExpiredCharts(runner, LIFETIME_DAYS)).toEqual({ pins: 2, images: 2 });
  expect(await pinsLeft()).toEqual([current, edge].sort());
  expect(await imagesLeft()).toEqual(['edge', 'shared', 'unpinned-new']);

  // nothing left to do: a second pass (another replica's, the next hour's) changes nothing
  expect(await pruneExpiredCharts(runner, LIFETIME_DAYS)).toEqual({ pins: 0, images: 0 });
  expect(await imagesLeft()).toEqual(['edge', 'shared', 'unpinned-new']);
});
