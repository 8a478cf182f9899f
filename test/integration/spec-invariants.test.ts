import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Client, type DatabaseError } from 'pg';
import { PanelistError } from '../../src/domain/errors';
import { CLI_ACTOR, type ActorContext } from '../../src/services/actor';
import { OrganizationService } from '../../src/services/organizations';
import { SpecImportService } from '../../src/services/spec-import';
import { SpecService } from '../../src/services/specs';
import { NOT_PUBLISHED } from '../../src/services/spec-publication';
import { createDb, type Db } from '../../src/store/db';
import { createTestDatabase, type TestDatabase } from '../support/database';

/**
 * The store's contract: what must never happen is refused by PostgreSQL itself (triggers, CHECKs,
 * unique indexes, a deferred constraint trigger), whoever writes. Violations are raw SQL on a plain
 * `pg` connection; concurrency goes through the real SpecService.
 */

const FIXTURE = path.resolve(__dirname, '../../fixtures/payments-platform-spec.json');
const SPEC_ID = '58fd32b5-4151-4e1b-aa1c-ab2538f8b850';
const SLUG = 'senior-backend-payments';

let database: TestDatabase;
let db: Db;
let sql: Client;
let organizationId: string;

async function importFixture(overrides: Record<string, unknown> = {}): Promise<void> {
  const document = { ...(JSON.parse(await readFile(FIXTURE, 'utf8')) as Record<string, unknown>), ...overrides };
  await new SpecImportService(db, NOT_PUBLISHED).importJson({ organizationId, actor: CLI_ACTOR }, document);
}

/** The PostgreSQL error a statement raised; fails the test when it succeeded. */
async function pgError(statement: Promise<unknown>): Promise<DatabaseError> {
  try {
    await statement;
  } catch (error) {
    return error as DatabaseError;
  }
  throw new Error('expected PostgreSQL to refuse the statement');
}

/** Runs `work` in a transaction that is always rolled back, so one test's attempt never leaks into the next. */
async function inRolledBackTransaction<T>(work: () => Promise<T>): Promise<T> {
  await sql.query('BEGIN');
  try {
    return await work();
  } finally {
    await sql.query('ROLLBACK');
  }
}

/** A copy of the spec's v1 as version `number`, with `competencies` instead of v1's. */
function insertVersion(specId: string, number: number, competencies: unknown) {
  return sql.query(
    `INSERT INTO spec_version (id, spec_id, number, title, level, competencies, must_haves, interview_questions,
                               behavioral_round, content_hash, source, author_platform, author_id)
     SELECT gen_random_uuid(), spec_id, $2, title, level, $3::jsonb, must_haves, interview_questions,
            behavioral_round, 'test-hash', 'edit', 'cli', 'test'
       FROM spec_version WHERE spec_id = $1 AND number = 1`,
    [specId, number, JSON.stringify(competencies)],
  );
}

async function v1Competencies(specId = SPEC_ID): Promise<{ id: string; name: string; definition: string; weight: number }[]> {
  const { rows } = await sql.query(`SELECT competencies FROM spec_version WHERE spec_id = $1 AND number = 1`, [specId]);
  return rows[0].competencies;
}

async function versionNumbers(specId = SPEC_ID): Promise<number[]> {
  const { rows } = await sql.query<{ number: number }>(`SELECT number FROM spec_version WHERE spec_id = $1 ORDER BY number`, [specId]);
  return rows.map((row) => row.number);
}

async function currentVersion(specId = SPEC_ID): Promise<number> {
  const { rows } = await sql.query<{ current_version: number }>(`SELECT current_version FROM spec WHERE id = $1`, [specId]);
  return rows[0]!.current_version;
}

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.url);
  sql = new Client({ connectionString: database.url });
  await sql.connect();
  organizationId = await new OrganizationService(db).ensureDefault();
  await importFixture();
});

afterAll(async () => {
  await sql?.end();
  await db?.$disconnect();
  await database?.drop();
});

describe('versions and the audit log are append-only', () => {
  it('refuses UPDATE and DELETE of a spec_version row', async () => {
    const update = await pgError(sql.query(`UPDATE spec_version SET note = 'rewritten history' WHERE spec_id = $1`, [SPEC_ID]));
    expect(update.code).toBe('23001'); // restrict_violation
    expect(update.message).toBe('spec_version rows are immutable: add a new row instead');

    const remove = await pgError(sql.query(`DELETE FROM spec_version WHERE spec_id = $1`, [SPEC_ID]));
    expect(remove.code).toBe('23001');
    expect(await versionNumbers()).toEqual([1]);
  });

  it('refuses UPDATE and DELETE of an audit_event row', async () => {
    const { rows } = await sql.query(`SELECT count(*)::int AS n FROM audit_event WHERE spec_id = $1 AND action = 'spec.create'`, [SPEC_ID]);
    expect(rows[0].n).toBe(1);

    const update = await pgError(sql.query(`UPDATE audit_event SET actor_id = 'someone-else'`));
    expect(update.code).toBe('23001');
    expect(update.message).toBe('audit_event rows are immutable: add a new row instead');
    const remove = await pgError(sql.query(`DELETE FROM audit_event`));
    expect(remove.code).toBe('23001');

    const after = await sql.query(`SELECT count(*)::int AS n FROM audit_event WHERE actor_id = 'cli'`);
    expect(after.rows[0].n).toBeGreaterThanOrEqual(1);
  });
});

describe('a version holds whole-hundredth weights totalling exactly 100', () => {
  it('accepts a balanced version (the control for the refusals below)', async () => {
    const competencies = await v1Competencies();
    await inRolledBackTransaction(async () => {
      await expect(insertVersion(SPEC_ID, 2, competencies)).resolves.toMatchObject({ rowCount: 1 });
    });
  });

  it('refuses weights totalling 95', async () => {
    const competencies = (await v1Competencies()).map((c) => (c.id === 'financial_systems_design' ? { ...c, weight: 25 } : c));
    expect(competencies.reduce((total, c) => total + c.weight, 0)).toBe(95);
    const error = await inRolledBackTransaction(() => pgError(insertVersion(SPEC_ID, 2, competencies)));
    expect(error.code).toBe('23514'); // check_violation
    expect(error.constraint).toBe('spec_version_weights_total_one');
  });

  it('refuses a fractional hundredth even when the total is 100', async () => {
    const competencies = (await v1Competencies()).map((c) =>
      c.id === 'financial_systems_design' ? { ...c, weight: 30.5 } : c.id === 'fastapi_kafka_systems' ? { ...c, weight: 9.5 } : c,
    );
    expect(competencies.reduce((total, c) => total + c.weight, 0)).toBe(100);
    const error = await inRolledBackTransaction(() => pgError(insertVersion(SPEC_ID, 2, competencies)));
    expect(error.code).toBe('23514');
    expect(error.constraint).toBe('spec_version_weights_total_one');
  });

  it('refuses weights written as strings, an empty list, and a negative weight', async () => {
    const v1 = await v1Competencies();
    const asStrings = v1.map((c) => ({ ...c, weight: String(c.weight) }));
    const negative = v1.map((c) =>
      c.id === 'financial_systems_design' ? { ...c, weight: -10 } : c.id === 'fastapi_kafka_systems' ? { ...c, weight: 50 } : c,
    );
    for (const competencies of [asStrings, [], negative]) {
      const error = await inRolledBackTransaction(() => pgError(insertVersion(SPEC_ID, 2, competencies)));
      expect(error.constraint).toBe('spec_version_weights_total_one');
    }
  });
});

describe("a spec's current_version exists and advances by one", () => {
  it('refuses, at COMMIT, a current_version with no version row', async () => {
    await sql.query('BEGIN');
    // deferred: the statement itself passes, so a spec and its version may be written in either order
    await expect(sql.query(`UPDATE spec SET current_version = 2 WHERE id = $1`, [SPEC_ID])).resolves.toMatchObject({ rowCount: 1 });
    const error = await pgError(sql.query('COMMIT'));
    expect(error.code).toBe('23503'); // foreign_key_violation
    expect(error.message).toBe(`spec ${SPEC_ID} points at version 2, which does not exist`);
    expect(await currentVersion()).toBe(1);
  });

  it('accepts the version and the pointer written in either order in one transaction (the control)', async () => {
    await inRolledBackTransaction(async () => {
      await sql.query(`UPDATE spec SET current_version = 2 WHERE id = $1`, [SPEC_ID]);
      await insertVersion(SPEC_ID, 2, await v1Competencies());
      await expect(sql.query('SET CONSTRAINTS ALL IMMEDIATE')).resolves.toBeDefined();
    });
  });

  it('refuses a jump by 2 at once, even when that version exists', async () => {
    const error = await inRolledBackTransaction(async () => {
      await insertVersion(SPEC_ID, 2, await v1Competencies());
      await insertVersion(SPEC_ID, 3, await v1Competencies());
      return pgError(sql.query(`UPDATE spec SET current_version = 3 WHERE id = $1`, [SPEC_ID]));
    });
    expect(error.code).toBe('23514');
    expect(error.message).toBe(`spec ${SPEC_ID} may only move from version 1 to 2, not to 3`);
    expect(await currentVersion()).toBe(1);
  });

  it('refuses moving current_version backwards', async () => {
    const error = await inRolledBackTransaction(async () => {
      await insertVersion(SPEC_ID, 2, await v1Competencies());
      await sql.query(`UPDATE spec SET current_version = 2 WHERE id = $1`, [SPEC_ID]);
      return pgError(sql.query(`UPDATE spec SET current_version = 1 WHERE id = $1`, [SPEC_ID]));
    });
    expect(error.code).toBe('23514');
    expect(await currentVersion()).toBe(1);
  });

  it('refuses a new spec whose current_version has no version row, at COMMIT', async () => {
    await sql.query('BEGIN');
    await sql.query(
      `INSERT INTO spec (id, organization_id, slug, current_version) VALUES ('11111111-2222-4333-8444-555555555555', $1, 'orphan-spec', 1)`,
      [organizationId],
    );
    const error = await pgError(sql.query('COMMIT'));
    expect(error.code).toBe('23503');
    const { rows } = await sql.query(`SELECT count(*)::int AS n FROM spec WHERE slug = 'orphan-spec'`);
    expect(rows[0].n).toBe(0);
  });
});

describe('slugs are unique within an organization', () => {
  it('refuses a second spec with the same (organization_id, slug)', async () => {
    const error = await inRolledBackTransaction(() =>
      pgError(
        sql.query(`INSERT INTO spec (id, organization_id, slug, current_version) VALUES (gen_random_uuid(), $1, $2, 1)`, [
          organizationId,
          SLUG,
        ]),
      ),
    );
    expect(error.code).toBe('23505'); // unique_violation
    expect(error.constraint).toBe('spec_organization_id_slug_key');
  });

  it('allows the same slug in another organization', async () => {
    await inRolledBackTransaction(async () => {
      const other = await sql.query<{ id: string }>(
        `INSERT INTO organization (id, slug, name) VALUES (gen_random_uuid(), 'other-org', 'Other') RETURNING id`,
      );
      await expect(
        sql.query(`INSERT INTO spec (id, organization_id, slug, current_version) VALUES (gen_random_uuid(), $1, $2, 1)`, [
          other.rows[0]!.id,
          SLUG,
        ]),
      ).resolves.toMatchObject({ rowCount: 1 });
    });
  });
});

describe('optimistic concurrency through SpecService', () => {
  const alice: ActorContext['actor'] = { platform: 'slack', userId: 'UALICE', name: 'alice', isAdmin: true };
  const bob: ActorContext['actor'] = { platform: 'slack', userId: 'UBOB', name: 'bob', isAdmin: true };

  it('lets exactly one of two edits based on v1 win; the other is stale and names who made v2', async () => {
    const specId = '7c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5';
    await importFixture({ id: specId, slug: 'race-edit' });
    const specs = new SpecService(db, NOT_PUBLISHED);
    const context = (actor: ActorContext['actor']): ActorContext => ({ organizationId, actor });

    const results = await Promise.allSettled([
      specs.edit(context(alice), specId, { baseVersion: 1, changes: { title: 'Edited by alice' }, note: 'alice' }),
      specs.edit(context(bob), specId, { baseVersion: 1, changes: { title: 'Edited by bob' }, note: 'bob' }),
    ]);

    const won = results.findIndex((result) => result.status === 'fulfilled');
    const lost = results.findIndex((result) => result.status === 'rejected');
    expect([won, lost].sort()).toEqual([0, 1]);
    const winner = [alice, bob][won]!;
    expect((results[won] as PromiseFulfilledResult<{ number: number }>).value.number).toBe(2);

    const error = (results[lost] as PromiseRejectedResult).reason as PanelistError;
    expect(error).toBeInstanceOf(PanelistError);
    expect(error.code).toBe('stale_version');
    expect(error.message).toContain(`${winner.name} made v2`);
    expect(error.message).toContain('Your changes to v1 were not saved');
    expect(error.details).toMatchObject({ baseVersion: 1, currentVersion: 2, changedBy: { id: winner.userId, name: winner.name } });

    expect(await versionNumbers(specId)).toEqual([1, 2]);
    expect(await currentVersion(specId)).toBe(2);
    const { rows } = await sql.query(`SELECT title, author_id FROM spec_version WHERE spec_id = $1 AND number = 2`, [specId]);
    expect(rows[0]).toEqual({ title: `Edited by ${winner.name}`, author_id: winner.userId });
    const audit = await sql.query(
      `SELECT actor_id, before_version, after_version FROM audit_event WHERE spec_id = $1 AND action = 'spec.edit'`,
      [specId],
    );
    expect(audit.rows).toEqual([{ actor_id: winner.userId, before_version: 1, after_version: 2 }]);
  });

  it('keeps versions contiguous under 10 concurrent weight changes: 1..N, no gaps, no duplicates', async () => {
    const specId = '9e8d7c6b-5a49-4382-9170-f1e2d3c4b5a6';
    await importFixture({ id: specId, slug: 'race-weights' });
    const specs = new SpecService(db, NOT_PUBLISHED);
    // ten different weightings, none equal to v1's (0.30 / 0.10), each totalling 1.00
    const calls = Array.from({ length: 10 }, (_, i) =>
      specs.setWeights({ organizationId, actor: { ...alice, userId: `U${i}` } }, 'race-weights', [
        { competencyId: 'financial_systems_design', hundredths: 11 + i },
        { competencyId: 'fastapi_kafka_systems', hundredths: 29 - i },
      ]),
    );
    const results = await Promise.allSettled(calls);

    const committed = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value.number] : []));
    const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as PanelistError] : []));
    expect(committed.length).toBeGreaterThanOrEqual(1);
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(PanelistError);
      expect(failure.code).toBe('stale_version');
    }
    const n = 1 + committed.length;
    expect([...committed].sort((a, b) => a - b)).toEqual(Array.from({ length: committed.length }, (_, i) => i + 2));
    expect(await versionNumbers(specId)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(await currentVersion(specId)).toBe(n);
    const audit = await sql.query(
      `SELECT after_version FROM audit_event WHERE spec_id = $1 AND action = 'spec.weights' ORDER BY after_version`,
      [specId],
    );
    expect(audit.rows.map((row) => row.after_version)).toEqual(Array.from({ length: committed.length }, (_, i) => i + 2));
    // every version the database accepted is balanced (the CHECK would have refused it otherwise)
    const { rows } = await sql.query(
      `SELECT bool_and(panelist_weights_balanced(competencies)) AS ok FROM spec_version WHERE spec_id = $1`,
      [specId],
    );
    expect(rows[0].ok).toBe(true);
  });
});
