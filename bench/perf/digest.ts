import path from 'node:path';
import { Client as PgClient } from 'pg';
import { CLI_ACTOR } from '../../src/services/actor';
import { DigestService } from '../../src/services/digests';
import { OrganizationService } from '../../src/services/organizations';
import { SpecImportService } from '../../src/services/spec-import';
import { NOT_PUBLISHED } from '../../src/services/spec-publication';
import { createDb } from '../../src/store/db';
import { migrate } from '../../src/store/migrate';
import { BUCKET_MS } from '../../src/store/rollups';
import { DEMO_SLUG, demoSpecDocument } from './channels';
import { ms, x, type BenchContext, type Row } from './context';
import { digestChartCost, type DigestChartCost } from './digest-chart';
import { generateInterviews } from './digest-generate';
import { CREATE_SHARD_FUNCTION, DIGEST_QUERIES, GENERATED_SHARD_MISMATCHES } from './digest-sql';
import { median, now, percentile, ROOT } from './util';

/** The digest's week ends here; interviews span the year before it. */
const AT = new Date('2026-11-23T09:00:00Z');
const RUNS = 15;

export interface DigestLevel {
  interviews: number;
  generateSeconds: number;
  medianMs: number;
  p90Ms: number;
  minMs: number;
  weekCompleted: number;
  /** per digest query: execution time (ms) from EXPLAIN ANALYZE, and the plan text */
  explain: { name: string; executionMs: number; plan: string }[];
}

/**
 * Figure 5: one spec's weekly digest (DigestService.preview, in this process: what `panelist digests
 * preview` runs, the same queries as a channel's digest) at 10k, 100k and 1M interviews, in a
 * database of its own on the same server. Each size is generated afresh in SQL (rows in time order,
 * rollups recounted from them and folded as the app's sweep folds them, then VACUUM ANALYZE as
 * autovacuum would leave them); median of 15.
 */
export async function digestFigure(ctx: BenchContext): Promise<{ rows: Row[]; levels: DigestLevel[]; chart: DigestChartCost }> {
  const sizes = ctx.quick ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
  const url = await createDatabase(ctx.adminUrl, 'bench_digest');
  await migrate(url, path.join(ROOT, 'prisma/migrations'));
  const db = createDb(url);
  const pg = new PgClient({ connectionString: url });
  await pg.connect();
  const levels: DigestLevel[] = [];
  let chartRows: Row[] = [];
  let chart: DigestChartCost | undefined;
  try {
    const organizationId = await new OrganizationService(db).ensureDefault();
    const document = await demoSpecDocument();
    await new SpecImportService(db, NOT_PUBLISHED).importJson({ organizationId, actor: CLI_ACTOR }, document);
    const specId = String(document.id);
    const version = await pg.query<{ competencies: { id: string; weight: number }[] }>(
      'SELECT competencies FROM spec_version WHERE spec_id = $1 AND number = 1',
      [specId],
    );
    const competencies = version.rows[0]!.competencies;
    await pg.query(CREATE_SHARD_FUNCTION);
    const wrongShards = (await pg.query<{ n: number }>(GENERATED_SHARD_MISMATCHES)).rows[0]!.n;
    if (wrongShards > 0) throw new Error(`the generator's closed-form shard differs from bench_shard for ${wrongShards} of 20000 ids`);
    const digests = new DigestService(db, { messagesFor: () => 1 });
    let lastView: Awaited<ReturnType<DigestService['preview']>> | undefined;
    const end = new Date(Math.floor(AT.getTime() / BUCKET_MS) * BUCKET_MS);
    const period = [new Date(end.getTime() - 7 * 86_400_000), end];

    for (const size of sizes) {
      ctx.log(`figure 5: generating ${size.toLocaleString('en')} interviews and their rollups`);
      const generated = await generateInterviews(pg, { size, specId, end, competencies, databaseUrl: url });
      const generateSeconds = generated.totalSeconds;

      let view = await digests.preview(organizationId, DEMO_SLUG, AT);
      lastView = view;
      for (let i = 0; i < 2; i += 1) view = await digests.preview(organizationId, DEMO_SLUG, AT);
      const times: number[] = [];
      for (let i = 0; i < RUNS; i += 1) {
        const t = now();
        await digests.preview(organizationId, DEMO_SLUG, AT);
        times.push(now() - t);
      }
      const explain = [];
      for (const query of DIGEST_QUERIES) {
        const plan = await pg.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${query.sql}`, [specId, period[0], period[1]]);
        const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
        explain.push({ name: query.name, executionMs: Number(/Execution Time: ([\d.]+) ms/.exec(text)?.[1] ?? Number.NaN), plan: text });
      }
      const level: DigestLevel = {
        interviews: size,
        generateSeconds,
        medianMs: median(times),
        p90Ms: percentile(times, 90),
        minMs: Math.min(...times),
        weekCompleted: view.specs[0]?.completed ?? 0,
        explain,
      };
      levels.push(level);
      ctx.log(
        `figure 5: ${size.toLocaleString('en')}: median ${level.medianMs.toFixed(1)} ms (generated in ${generateSeconds.toFixed(1)} s: interviews ${generated.insertSeconds.toFixed(1)} s, rollups ${generated.rollupSeconds.toFixed(1)} s, fold of ${generated.foldedBuckets} buckets ${generated.foldSeconds.toFixed(1)} s; ` +
          `${level.weekCompleted} completed in the week; ${explain.map((e) => `${e.name.split(' ')[0]} ${e.executionMs.toFixed(1)} ms`).join(', ')})`,
      );
    }
    // the chart of the largest size's week, as a channel's digest would draw it
    ({ rows: chartRows, cost: chart } = await digestChartCost(ctx, lastView!));
  } finally {
    await pg.end();
    await db.$disconnect();
  }
  const base = levels[0]!;
  const rows: Row[] = levels.map((level, i) => {
    const ratio = level.medianMs / base.medianMs;
    const largest = i === levels.length - 1 && level.interviews === 1_000_000;
    return {
      key: `digest-${label(level.interviews)}`,
      figure: `5. weekly digest, ${label(level.interviews)} interviews (${level.weekCompleted} in the week)`,
      value: `${ms(level.medianMs)} (p90 ${level.p90Ms.toFixed(1)})`,
      anchor: i === 0 ? '(anchor)' : `${ms(base.medianMs)} at 10k`,
      ratio: x(ratio),
      target: largest ? '≤ 50 ms, ≤ 2×' : '–',
      pass: largest ? level.medianMs <= 50 && ratio <= 2 : undefined,
    };
  });
  return { rows: [...rows, ...chartRows], levels, chart: chart! };
}

const label = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);

/** A fresh database `name` on the benchmark's server (dropped first if a run left it); its URL. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new PgClient({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
