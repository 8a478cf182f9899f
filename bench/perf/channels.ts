import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CLI_ACTOR } from '../../src/services/actor';
import { OrganizationService } from '../../src/services/organizations';
import { SpecImportService } from '../../src/services/spec-import';
import { NOT_PUBLISHED } from '../../src/services/spec-publication';
import { createDb } from '../../src/store/db';
import type { BenchContext } from './context';
import { Client } from './http';
import { pool, ROOT } from './util';

export const DEMO_SLUG = 'senior-backend-payments';

/** The demo spec's document, for cloning. */
export async function demoSpecDocument(): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path.join(ROOT, 'fixtures/payments-platform-spec.json'), 'utf8')) as Record<string, unknown>;
}

/**
 * n copies of the demo spec (own ids and slugs), imported as the CLI imports a file, 20 per
 * transaction. Ids count from `firstId`, so figures that import specs of their own keep them apart.
 */
export async function importSpecs(databaseUrl: string, n: number, prefix: string, firstId = 1): Promise<{ id: string; slug: string }[]> {
  const document = await demoSpecDocument();
  const specs = Array.from({ length: n }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(firstId + i).padStart(12, '0')}`,
    slug: `${prefix}-${String(i + 1).padStart(3, '0')}`,
  }));
  const db = createDb(databaseUrl, { max: 2 });
  try {
    const organizationId = await new OrganizationService(db).ensureDefault();
    const documents = specs.map((spec) => ({ ...document, id: spec.id, slug: spec.slug, title: `Bench spec ${spec.slug}` }));
    // One file of 500 specs would outlive Prisma's 5 s interactive-transaction limit on a busy machine.
    for (let i = 0; i < documents.length; i += 20) {
      await new SpecImportService(db, NOT_PUBLISHED).importJson({ organizationId, actor: CLI_ACTOR }, documents.slice(i, i + 20));
    }
  } finally {
    await db.$disconnect();
  }
  return specs;
}

/**
 * Subscribes channels as users do: a signed `/spec subscribe <spec>` typed in each channel. The app
 * acknowledges at once and works afterwards, so the benchmark keeps 10 commands in flight until
 * their response_url answers (a burst of hundreds exhausts Prisma's 2 s wait for a pooled
 * connection: P2028). A command answered with an error is sent again, up to twice, and counted.
 */
export async function subscribeChannels(
  ctx: BenchContext,
  pairs: { channel: string; slug: string }[],
  tag: string,
): Promise<{ seconds: number; retried: number }> {
  const client = new Client(ctx.appUrl, 10);
  const started = Date.now();
  let retried = 0;
  try {
    await pool(pairs.length, 10, async (i) => {
      const { channel, slug } = pairs[i]!;
      for (let attempt = 0; ; attempt += 1) {
        const id = `sub${tag}${i}.${attempt}`;
        const ack = await client.slash(`subscribe ${slug}`, ctx.sink.responseUrl(id), channel);
        if (ack.status !== 200) throw new Error(`/spec subscribe ${slug} in ${channel} answered ${ack.status}: ${ack.body}`);
        const answer = await ctx.sink.responseFor(id, 60_000);
        if (answer.text.includes('follows')) return;
        if (attempt === 2) throw new Error(`/spec subscribe ${slug} in ${channel} failed three times: ${answer.text}`);
        retried += 1;
      }
    });
  } finally {
    client.close();
  }
  return { seconds: (Date.now() - started) / 1000, retried };
}
