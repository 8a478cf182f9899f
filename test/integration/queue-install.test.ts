import { Client } from 'pg';
import { installQueue } from '../../src/delivery/worker';
import { createTestDatabase, type TestDatabase } from '../support/database';

// graphile-worker's job table is vacuumed far more often than PostgreSQL's default (queue-runner.ts).
let database: TestDatabase;
let sql: Client;

beforeAll(async () => {
  database = await createTestDatabase();
  sql = new Client({ connectionString: database.url });
  await sql.connect();
});
afterAll(async () => {
  await sql.end();
  await database.drop();
});

const jobsTableOptions = async () =>
  (
    await sql.query<{ options: string[] | null }>(
      `SELECT reloptions AS options FROM pg_class WHERE oid = 'graphile_worker._private_jobs'::regclass`,
    )
  ).rows[0]!.options;

it('sets the job table to vacuum after every thousand dead rows, once, and again if someone resets it', async () => {
  await sql.query(
    'ALTER TABLE graphile_worker._private_jobs RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold, autovacuum_vacuum_cost_delay)',
  );
  expect(await jobsTableOptions()).toBeNull();
  await installQueue(database.url);
  const expected = ['autovacuum_vacuum_scale_factor=0', 'autovacuum_vacuum_threshold=1000', 'autovacuum_vacuum_cost_delay=0'];
  expect([...(await jobsTableOptions())!].sort()).toEqual([...expected].sort());
  // a second start finds it set and leaves it
  await installQueue(database.url);
  expect([...(await jobsTableOptions())!].sort()).toEqual([...expected].sort());
});
