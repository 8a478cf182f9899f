import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Pool } from 'pg';
import { CLI_ACTOR } from '../../src/services/actor';
import { OrganizationService } from '../../src/services/organizations';
import { SpecImportService } from '../../src/services/spec-import';
import { commitVersion } from '../../src/services/spec-versions';
import { createDb, type Db } from '../../src/store/db';
import { versionContent } from '../../src/store/spec-rows';
import { pgRunner } from '../../src/store/sql-runner';
import { leaseInLine, markPostedInLine } from '../../src/store/version-line';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { waitUntil } from '../support/slack-events';

/**
 * A spec's line of versions (src/store/version-line.ts) against real PostgreSQL, no worker
 * running: who waits, and that the one before always wakes them, including in the race a
 * benchmark found (a version saved while the post before it is being recorded).
 */
const SPEC_ID = '31111111-2222-4333-8444-555555555555';
const PUBLISHING = { enabled: true };

let database: TestDatabase;
let db: Db;
let pool: Pool;
let organizationId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.url, { max: 4 });
  pool = new Pool({ connectionString: database.url, max: 4 });
  organizationId = await new OrganizationService(db).ensureDefault();
  const fixture = JSON.parse(await readFile(path.join(__dirname, '../../fixtures/payments-platform-spec.json'), 'utf8'));
  await new SpecImportService(db, PUBLISHING).importJson(
    { organizationId, actor: CLI_ACTOR },
    { ...fixture, id: SPEC_ID, slug: 'line-spec' },
  );
});
afterAll(async () => {
  await pool?.end();
  await db?.$disconnect();
  await database?.drop();
});

/** The version's delivery and when its job is due (null: no job). */
async function queued(number: number) {
  const { rows } = await pool.query<{ id: string; status: string; run_at: Date | null }>(
    `SELECT d.id, d.status, j.run_at FROM delivery d JOIN spec_version v ON d.subject_id = v.id::text
     LEFT JOIN graphile_worker.jobs j ON j.key = 'delivery:' || d.id::text
     WHERE d.kind = 'spec.version' AND v.spec_id = $1 AND v.number = $2`,
    [SPEC_ID, number],
  );
  return rows[0]!;
}

/** Saves the next version in a transaction of our own, which `hold` keeps open as long as it likes. */
async function saveNextVersion(hold: () => Promise<void> = async () => undefined): Promise<number> {
  return db.$transaction(async (tx) => {
    const spec = await tx.spec.findUniqueOrThrow({ where: { id: SPEC_ID } });
    const current = await tx.specVersion.findUniqueOrThrow({ where: { specId_number: { specId: SPEC_ID, number: spec.currentVersion } } });
    const content = versionContent(current);
    // swap the first two weights: always a change
    const [a, b, ...rest] = content.competencies;
    const competencies = [{ ...a!, weight: b!.weight }, { ...b!, weight: a!.weight }, ...rest];
    const saved = await commitVersion(
      tx,
      { organizationId, actor: CLI_ACTOR },
      { spec, baseVersion: spec.currentVersion, content: { ...content, competencies }, source: 'weights' },
      PUBLISHING,
    );
    await hold();
    return saved.number;
  });
}

const soon = () => Date.now() + 5_000;

/** As a worker's job ends: graphile-worker removes it. */
const jobEnds = (id: string) => pool.query(`SELECT graphile_worker.remove_job('delivery:' || $1)`, [id]);

describe('a spec’s line of versions', () => {
  it('gives every saved version a job due now; one whose job finds the version before it pending waits without one', async () => {
    const first = await queued(1);
    expect(first.run_at!.getTime()).toBeLessThan(soon());
    const second = await saveNextVersion().then(queued);
    expect(second.run_at!.getTime()).toBeLessThan(soon());
    expect(await leaseInLine(pgRunner(pool), second.id)).toMatchObject({ waitingBehind: 1, leased: undefined });
    await jobEnds(second.id);

    const lease = await leaseInLine(pgRunner(pool), first.id);
    expect(lease).toMatchObject({ waitingBehind: 0, leased: { id: first.id, version: { number: 1, slug: 'line-spec' } } });
    await markPostedInLine(pgRunner(pool), first.id, first.id, 1, { goOn: false });
    expect((await queued(2)).run_at!.getTime()).toBeLessThan(soon());
  });

  it('hands the next version to the worker that sent the one before it when it goes on, and its own job then leaves it alone', async () => {
    const current = await queued(2);
    const next = await saveNextVersion().then(queued);
    expect(await leaseInLine(pgRunner(pool), next.id)).toMatchObject({ waitingBehind: 1 });
    await jobEnds(next.id);
    await leaseInLine(pgRunner(pool), current.id);
    expect(await markPostedInLine(pgRunner(pool), current.id, current.id, 1, { goOn: true })).toBe(next.id);
    expect(await queued(3)).toMatchObject({ status: 'pending', run_at: null });
    expect(await leaseInLine(pgRunner(pool), next.id)).toMatchObject({ waitingBehind: 0, leased: { id: next.id } });
    // a second run (a job of its own, a sweeper's re-queue) finds the lease taken
    expect(await leaseInLine(pgRunner(pool), next.id)).toMatchObject({ waitingBehind: 0, leased: undefined });
    await markPostedInLine(pgRunner(pool), next.id, next.id, 1, { goOn: true });
    expect(await leaseInLine(pgRunner(pool), next.id)).toBeUndefined();
  });

  it('parks a version whose check had to wait for the row of the one before it, and wakes it when that one is posted', async () => {
    const [before, after] = [await saveNextVersion().then(queued), await saveNextVersion().then(queued)];
    await leaseInLine(pgRunner(pool), before.id);
    // The check of `after` and the record of `before` race; hold the record's row so the check waits.
    const holder = await pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM delivery WHERE id = $1 FOR UPDATE', [before.id]);
      const checking = leaseInLine(pgRunner(pool), after.id);
      await waitUntil(async () => {
        const { rows } = await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        return rows[0]!.n > 0;
      }, 'the check to wait for the row');
      await holder.query('COMMIT');
      expect(await checking).toMatchObject({ waitingBehind: 1, leased: undefined });
    } finally {
      holder.release();
    }
    await jobEnds(after.id);
    await markPostedInLine(pgRunner(pool), before.id, before.id, 1, { goOn: false });
    expect((await queued(5)).run_at!.getTime()).toBeLessThan(soon());
  });
});
