import net from 'node:net';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

/** The repository root, from dist-bench/bench/perf/*.js (or bench/perf/*.ts under ts-node). */
export const ROOT = path.resolve(__dirname, '..', '..', '..');

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const now = () => performance.now();

/** A port nobody listens on right now (127.0.0.1). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls until `check` returns a value, or throws `what` after `timeoutMs`. */
export async function waitUntil<T>(
  what: string,
  timeoutMs: number,
  check: () => T | undefined | Promise<T | undefined>,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Nearest-rank percentile of unsorted samples (ms). */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (samples: number[]) => percentile(samples, 50);

/** Runs `work` `n` times with at most `concurrency` at once. */
export async function pool<T>(n: number, concurrency: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) {
        const i = next++;
        results[i] = await work(i);
      }
    }),
  );
  return results;
}

/**
 * Open loop: calls `fire(i, intendedAt)` at `rate` per second for `durationMs`, on schedule whatever
 * the answers do (latency is measured from the intended time, so a stall shows up, not hides).
 * Returns how late the generator itself fired (p99, max), to tell its own lag from the app's.
 */
export async function openLoop(
  rate: number,
  durationMs: number,
  fire: (i: number, intendedAt: number) => void,
): Promise<{ sent: number; lateP99: number; lateMax: number }> {
  const total = Math.round((rate * durationMs) / 1000);
  const interval = 1000 / rate;
  const start = now() + 5;
  const late: number[] = [];
  let i = 0;
  while (i < total) {
    const t = now();
    while (i < total && start + i * interval <= t) {
      const intended = start + i * interval;
      late.push(now() - intended);
      fire(i, intended);
      i += 1;
    }
    if (i < total) await sleep(Math.max(0, start + i * interval - now()));
  }
  return { sent: total, lateP99: percentile(late, 99), lateMax: Math.max(...late) };
}

/** The bench process's own event-loop delay during a phase (its timestamps are only as good as this). */
export function loopMonitor() {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  return {
    stop() {
      histogram.disable();
      return { p99Ms: histogram.percentile(99) / 1e6, maxMs: histogram.max / 1e6 };
    },
  };
}

export const round = (value: number, digits = 1) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : value);
