import { CLI_ACTOR } from '../../src/services/actor';
import { OrganizationService } from '../../src/services/organizations';
import { SpecService } from '../../src/services/specs';
import { createDb } from '../../src/store/db';
import type { BenchContext } from './context';
import { Client } from './http';
import { loopMonitor, openLoop } from './util';

/**
 * The two ways figure 9 saves spec versions at RATE per second, round-robin over the specs and
 * alternating between two weight sets per spec: through the real edge (signed Slack `/spec
 * weights` commands to the app) or through the service (SpecService.setWeights in this process,
 * publishing on, against the app's database, so the app only publishes). Each returns when every
 * save has been answered, with which version each save made and when it was meant to be sent.
 */
export const WEIGHT_SETS = [
  { text: 'financial_systems_design=0.25 distributed_systems_reliability=0.30', hundredths: [25, 30] },
  { text: 'financial_systems_design=0.30 distributed_systems_reliability=0.25', hundredths: [30, 25] },
];

export interface Saves {
  sent: number;
  /** "<spec id>:<version number>" → performance.now() the save was meant to start */
  intendedAt: Map<string, number>;
  /** answers other than a saved version, by their first words */
  refused: Record<string, number>;
  /** edge only: from each saved command's intended send time to its answer (ms): the edge's own latency */
  answeredAfter?: number[];
  generatorLateP99: number;
  benchLoop: { p99Ms: number; maxMs: number };
}

type Spec = { id: string; slug: string };
const weightSet = (i: number, specs: number) => WEIGHT_SETS[Math.floor(i / specs) % 2]!;

/** `tag` keeps each run's response_url ids apart (the fake Slack keeps every answer). */
export async function saveThroughTheEdge(
  ctx: BenchContext,
  appUrl: string,
  options: { specs: Spec[]; rate: number; seconds: number; tag: string },
): Promise<Saves> {
  const { specs, rate, seconds, tag } = options;
  const client = new Client(appUrl, 64);
  const commands: { id: string; intendedAt: number; spec: Spec }[] = [];
  const acks: Promise<unknown>[] = [];
  const loop = loopMonitor();
  const generator = await openLoop(rate, seconds * 1000, (i, intendedAt) => {
    const spec = specs[i % specs.length]!;
    const id = `${tag}${i}`;
    commands.push({ id, intendedAt, spec });
    const text = `weights ${spec.slug} ${weightSet(i, specs.length).text}`;
    acks.push(client.slash(text, ctx.sink.responseUrl(id), 'CPUSH').catch(() => undefined));
  });
  await Promise.all(acks);
  const benchLoop = loop.stop();
  const answers = await Promise.all(
    commands.map((c) => ctx.sink.responseFor(c.id, 60_000).catch(() => ({ at: Number.NaN, text: 'no answer' }))),
  );
  client.close();
  const saves: Saves = {
    sent: commands.length,
    intendedAt: new Map(),
    refused: {},
    answeredAfter: [],
    generatorLateP99: generator.lateP99,
    benchLoop,
  };
  answers.forEach(({ at, text }, i) => {
    // "Saved *v7* of `push-003`: …"
    const number = /Saved \*v(\d+)\*/.exec(text)?.[1];
    if (!number) {
      count(saves.refused, text);
      return;
    }
    saves.intendedAt.set(`${commands[i]!.spec.id}:${number}`, commands[i]!.intendedAt);
    saves.answeredAfter!.push(at - commands[i]!.intendedAt);
  });
  return saves;
}

export async function saveThroughTheService(databaseUrl: string, specs: Spec[], rate: number, seconds: number): Promise<Saves> {
  const db = createDb(databaseUrl, { max: 10, name: 'bench-push-saves' });
  try {
    const organizationId = await new OrganizationService(db).ensureDefault();
    const service = new SpecService(db, { enabled: true });
    const context = { organizationId, actor: CLI_ACTOR };
    const pending: Promise<void>[] = [];
    const saves: Saves = { sent: 0, intendedAt: new Map(), refused: {}, generatorLateP99: 0, benchLoop: { p99Ms: 0, maxMs: 0 } };
    const loop = loopMonitor();
    const generator = await openLoop(rate, seconds * 1000, (i, intendedAt) => {
      const spec = specs[i % specs.length]!;
      const [first, second] = weightSet(i, specs.length).hundredths;
      const weights = [
        { competencyId: 'financial_systems_design', hundredths: first! },
        { competencyId: 'distributed_systems_reliability', hundredths: second! },
      ];
      pending.push(
        service.setWeights(context, spec.slug, weights).then(
          (saved) => void saves.intendedAt.set(`${spec.id}:${saved.number}`, intendedAt),
          (error: unknown) => count(saves.refused, error instanceof Error ? error.message : String(error)),
        ),
      );
    });
    await Promise.all(pending);
    return { ...saves, sent: generator.sent, generatorLateP99: generator.lateP99, benchLoop: loop.stop() };
  } finally {
    await db.$disconnect();
  }
}

function count(tally: Record<string, number>, text: string): void {
  const reason = text.slice(0, 60);
  tally[reason] = (tally[reason] ?? 0) + 1;
}
