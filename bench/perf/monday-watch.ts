import { Client as PgClient } from 'pg';
import { Client, completedEvent, eventId, interviewId } from './http';
import { NOT_THE_APP } from './probe';
import { now, sleep } from './util';

export interface LongestTransaction {
  ms: number;
  applicationName: string;
  /** the statement that transaction was running (or had last run) when it was seen at its longest */
  query: string;
}

export interface TransactionReport {
  samples: number;
  /** the longest open transaction seen on any of the app's connections */
  longest: LongestTransaction;
  /** the same, per application_name (today: panelist = the app's pool and Prisma, panelist-worker = graphile-worker) */
  byApplication: Record<string, LongestTransaction>;
  /** distinct transactions (backend pid + xact_start) seen open for more than 1 s */
  overOneSecond: number;
  /** [ms after the watch began, committed digest rows], every ~500 ms */
  claimed: [number, number][];
}

/**
 * Watches the app from outside while the digests go out: every ~100 ms, how long each client
 * connection to the figure's database has been inside its current transaction (clock_timestamp() −
 * xact_start), and every ~500 ms how many digest rows are committed. Every connection but the
 * benchmark's own (application_name bench-*) counts, so a pool the new claim code opens under
 * another name is watched too; src/store/db.ts and queue-runner.ts name today's. A transaction is seen at most ~100 ms short of its length (plus the sampling
 * query's own delay), so a 1 s transaction cannot hide; one shorter than 100 ms may go unseen.
 */
export class TransactionWatch {
  private stopped = false;
  private done?: Promise<TransactionReport>;

  constructor(
    private readonly databaseUrl: string,
    private readonly maxMs: number,
  ) {}

  start(): void {
    this.done = this.run();
    this.done.catch(() => undefined); // its failure is stop()'s to report, not an unhandled rejection
  }

  async stop(): Promise<TransactionReport> {
    this.stopped = true;
    if (!this.done) throw new Error('the transaction watch was never started');
    return this.done;
  }

  private async run(): Promise<TransactionReport> {
    const pg = new PgClient({ connectionString: this.databaseUrl, application_name: 'bench-monday-watch' });
    await pg.connect();
    const report: TransactionReport = {
      samples: 0,
      longest: { ms: 0, applicationName: '–', query: '' },
      byApplication: {},
      overOneSecond: 0,
      claimed: [],
    };
    const long = new Set<string>();
    const began = now();
    let lastCount = -Infinity;
    try {
      while (!this.stopped && now() - began < this.maxMs) {
        const { rows } = await pg.query<{ pid: number; xact_start: string; app: string; ms: number; query: string }>(
          `${NOT_THE_APP} SELECT pid, xact_start::text, application_name AS app, extract(epoch FROM clock_timestamp() - xact_start) * 1000 AS ms,
                  left(regexp_replace(query, '\\s+', ' ', 'g'), 120) AS query
           FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND xact_start IS NOT NULL
             AND application_name NOT LIKE 'bench-%' AND pid <> pg_backend_pid()`,
        );
        report.samples += 1;
        for (const row of rows) {
          const ms = Number(row.ms);
          const seen = { ms, applicationName: row.app || '(unnamed)', query: row.query };
          if (ms > report.longest.ms) report.longest = seen;
          if (ms > (report.byApplication[seen.applicationName]?.ms ?? -1)) report.byApplication[seen.applicationName] = seen;
          if (ms > 1000) long.add(`${row.pid}@${row.xact_start}`);
        }
        if (now() - lastCount >= 500) {
          lastCount = now();
          const count = await pg.query<{ n: number }>(`${NOT_THE_APP} SELECT count(*)::int AS n FROM digest`);
          report.claimed.push([Math.round(now() - began), count.rows[0]!.n]);
        }
        await sleep(100);
      }
    } finally {
      await pg.end();
    }
    report.overOneSecond = long.size;
    return report;
  }
}

/**
 * Completed interviews at a steady rate while the digests go out, event k for live spec k mod n
 * (each followed by one channel of its own: 0.5 message/s per channel at 5/s, under Slack's 1/s),
 * signed as the platform signs them. Open loop: each fires at its time whatever the answers do.
 */
export class InterviewLoad {
  /** interview id → when its 202 arrived (performance.now) */
  readonly accepted = new Map<string, number>();
  readonly refused: Record<string, number> = {};
  sent = 0;
  private stopped = false;
  private readonly pending: Promise<void>[] = [];
  private running?: Promise<void>;
  private readonly client: Client;

  constructor(
    appUrl: string,
    private readonly specIds: string[],
    readonly ratePerSecond: number,
  ) {
    this.client = new Client(appUrl, 16);
  }

  start(maxMs: number): void {
    this.running = this.run(maxMs);
  }

  /** Idempotent: stops firing, waits for the answers in flight (each has a timeout), closes the sockets. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
    await Promise.all(this.pending);
    this.client.close();
  }

  private async run(maxMs: number): Promise<void> {
    const interval = 1000 / this.ratePerSecond;
    const start = now();
    const total = Math.ceil(maxMs / interval);
    for (let k = 0; k < total && !this.stopped; k += 1) {
      const wait = start + k * interval - now();
      if (wait > 0) await sleep(wait);
      const id = interviewId(7, k);
      const body = completedEvent({ eventId: eventId(7, k), interviewId: id, specId: this.specIds[k % this.specIds.length]! });
      this.sent += 1;
      this.pending.push(
        this.client.webhook(body).then(
          (answer) => {
            if (answer.status === 202) this.accepted.set(id, answer.at);
            else this.refused[answer.status] = (this.refused[answer.status] ?? 0) + 1;
          },
          (error: unknown) => {
            // no HTTP answer: which error (a reset socket, a timeout) says whose it was
            const why = `error ${(error as { code?: string }).code ?? 'timeout'}`;
            this.refused[why] = (this.refused[why] ?? 0) + 1;
          },
        ),
      );
    }
  }
}
