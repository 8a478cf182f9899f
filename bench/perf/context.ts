import type { Probe } from './probe';
import type { SlackSink } from './slack-sink';

/** What every figure gets: where the app and its database are, and the fake Slack. */
export interface BenchContext {
  appUrl: string;
  /** the app's own database (the ingest anchor's throwaway table goes here too) */
  databaseUrl: string;
  /** a database on the same server the benchmark may create databases through */
  adminUrl: string;
  sink: SlackSink;
  /** the app's CPU and SQL per unit of work */
  probe: Probe;
  quick: boolean;
  /** the run's temp directory (removed at the end): logs of the children a figure starts itself */
  tempDir: string;
  log(message: string): void;
}

/** One line of the table. */
export interface Row {
  /** stable across runs, to compare with the previous one */
  key: string;
  figure: string;
  value: string;
  anchor: string;
  ratio: string;
  target: string;
  /** undefined: informational, no target of its own */
  pass?: boolean;
}

export const ms = (value: number) => `${value.toFixed(1)} ms`;
export const x = (value: number) => `${value < 0.1 ? value.toFixed(3) : value.toFixed(2)}×`;
