import { execFile } from 'node:child_process';
import path from 'node:path';
import { BOT_TOKEN } from './http';
import { nodeFlagsOfStart } from './procs';
import type { SlackSink } from './slack-sink';

/** What Slack's own client alone did with the figure's posts (bench/perf/bare-post.ts). */
export interface BareClientRun {
  posts: number;
  concurrency: number;
  wallMs: number;
  cpuMs: number;
}

/**
 * Figure 8's anchor: the figure's number of digests, posted by a bare WebClient in a process of its
 * own with the app's concurrency, to the same fake Slack (same latency), after the figure is done.
 * What it takes is what no app using the client could beat on this machine; undefined when no digest
 * was posted to copy.
 */
export async function bareClientRun(sink: SlackSink, posts: number, concurrency: number): Promise<BareClientRun | undefined> {
  if (!sink.digestSample) return undefined;
  const script = path.join(__dirname, 'bare-post.js');
  const env = {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: sink.apiUrl,
    POSTS: String(posts),
    CONCURRENCY: String(concurrency),
    BODY_JSON: JSON.stringify(sink.digestSample),
  };
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, [...nodeFlagsOfStart(), script], { env, timeout: 600_000 }, (error, out, err) =>
      error ? reject(new Error(`bare-post failed: ${err || String(error)}`)) : resolve(out),
    );
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as BareClientRun;
}
