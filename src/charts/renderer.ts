import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import type { ChartPicture } from '../domain/digest-chart';
import { PROJECT_ROOT } from '../project-root';
import { CHART_CANVAS, CHART_FONT_FAMILY, CHART_SCALE, CHART_STYLE, chartJob, type ChartJob } from './chart-spec';

export interface RenderedChart {
  png: Uint8Array;
  /** in device pixels */
  width: number;
  height: number;
  /** what the chart process spent on it: Vega-Lite, Vega, SVG and PNG */
  renderMs: number;
}

export interface ChartRendererOptions {
  /** a chart not drawn within this (from when its process starts on it) is given up: the digest goes without */
  timeoutMs?: number;
  /** a process idle this long is stopped, returning its memory; the next chart starts another */
  idleMs?: number;
}

const PROCESS_FILE = path.join(PROJECT_ROOT, 'src', 'charts', 'render-process.mjs');
/**
 * The chart process's own heap caps: Vega's heap for one chart is a few MB, and small caps make its
 * collections frequent, which is what frees resvg's pixmaps (they live outside the heap).
 */
const PROCESS_NODE_FLAGS = ['--max-old-space-size=48', '--max-semi-space-size=1'];
/**
 * Open Sans draws the text; DejaVu Sans only the characters Open Sans lacks (Arabic, Hebrew, symbols).
 * resvg's cost grows with the size of the font it draws each glyph from, and Open Sans is a sixth of
 * DejaVu's: a chart's labels take a quarter of the time.
 */
const FONT_FILES = [
  require.resolve('@expo-google-fonts/open-sans/400Regular/OpenSans_400Regular.ttf'),
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
];
/** The libraries whose output the pictures are: a new version means a new content id. */
const DRAWN_BY = ['vega', 'vega-lite', '@resvg/resvg-js', '@expo-google-fonts/open-sans', 'dejavu-fonts-ttf'];

type Reply = { id: number; error?: string; png?: Uint8Array; svg?: string; width?: number; height?: number; ms?: number };
interface Job {
  id: number;
  chart: ChartJob;
  format: 'png' | 'svg';
  resolve(reply: Reply): void;
  reject(error: Error): void;
}
interface DrawingProcess {
  child: ChildProcess;
  ready: Promise<void>;
}

/**
 * Draws digest charts in one child process (render-process.mjs), one at a time, so a Monday
 * morning's charts queue behind each other instead of taking the event loop, and the drawing's
 * memory (Vega, resvg's pixmaps) is not the app's. A chart that fails or overruns is given up (the
 * process is replaced); the caller sends the digest without it. A process idle for `idleMs` exits.
 */
export class ChartProcessRenderer {
  readonly version = `style ${CHART_STYLE}; ${drawnBy()}`;
  private process?: DrawingProcess;
  private readonly queue: Job[] = [];
  private running = false;
  /** the reply the running job waits for */
  private awaiting?: { id: number; resolve(reply: Reply): void; reject(error: Error): void };
  private nextId = 1;
  private idleTimer?: NodeJS.Timeout;

  constructor(private readonly options: ChartRendererOptions = {}) {}

  async render(picture: ChartPicture): Promise<RenderedChart> {
    const reply = await this.enqueue(chartJob(picture), 'png');
    return { png: reply.png!, width: reply.width!, height: reply.height!, renderMs: reply.ms! };
  }

  /** The SVG Vega writes, before it becomes a PNG (to check how text is escaped). */
  async renderSvg(picture: ChartPicture): Promise<string> {
    return (await this.enqueue(chartJob(picture), 'svg')).svg!;
  }

  async stop(): Promise<void> {
    clearTimeout(this.idleTimer);
    const drawing = this.process;
    this.process = undefined;
    if (!drawing || drawing.child.exitCode !== null || drawing.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => drawing.child.once('exit', () => resolve()));
    drawing.child.kill('SIGKILL');
    await exited;
  }

  private enqueue(chart: ChartJob, format: Job['format']): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, chart, format, resolve, reject });
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    const job = this.queue.shift();
    if (!job) {
      clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => void this.stop(), this.options.idleMs ?? 60_000).unref();
      return;
    }
    clearTimeout(this.idleTimer);
    this.running = true;
    try {
      job.resolve(await this.run(job));
    } catch (error) {
      // a process that overran or broke may be stuck: the next chart gets a fresh one
      await this.stop();
      job.reject(error instanceof Error ? error : new Error(String(error)));
    } finally {
      this.running = false;
      void this.pump();
    }
  }

  private async run(job: Job): Promise<Reply> {
    const drawing = this.start();
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    // a chart being drawn keeps the app's process alive (the CLI waits for its charts); an idle renderer does not
    keepAlive(drawing.child, true);
    try {
      await drawing.ready;
      const reply = await new Promise<Reply>((resolve, reject) => {
        this.awaiting = { id: job.id, resolve, reject };
        timer = setTimeout(() => reject(new Error(`no chart within ${timeoutMs} ms`)), timeoutMs);
        drawing.child.send({ id: job.id, ...job.chart, scale: CHART_SCALE, canvas: CHART_CANVAS, format: job.format });
      });
      if (reply.error) throw new Error(`the chart could not be drawn: ${reply.error}`);
      return reply;
    } finally {
      clearTimeout(timer);
      this.awaiting = undefined;
      keepAlive(drawing.child, false);
    }
  }

  private start(): DrawingProcess {
    if (this.process) return this.process;
    // advanced serialization carries the PNG as bytes, not as a JSON array of numbers
    const child = fork(PROCESS_FILE, [JSON.stringify({ fontFiles: FONT_FILES, fontFamily: CHART_FONT_FAMILY })], {
      execArgv: PROCESS_NODE_FLAGS,
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    keepAlive(child, false);
    listen(child);
    const ready = new Promise<void>((resolve, reject) => {
      child.on('message', (message: Reply & { ready?: boolean }) => {
        if (message.ready) resolve();
        else if (this.awaiting?.id === message.id) this.awaiting.resolve(message);
      });
      const fail = (error: Error) => {
        reject(error);
        if (this.process?.child === child) {
          this.process = undefined;
          this.awaiting?.reject(error);
        }
      };
      child.on('error', fail);
      child.on('exit', (code, signal) =>
        fail(new Error(`the chart process stopped (${signal ?? `exit code ${code}`})${lastWords(child)}`)),
      );
    });
    ready.catch(() => undefined);
    this.process = { child, ready };
    return this.process;
  }
}

/** Whether the child (and its IPC channel) keeps the app's event loop alive. */
function keepAlive(child: ChildProcess, on: boolean): void {
  const channel = child.channel as { ref(): void; unref(): void } | undefined;
  if (on) {
    child.ref();
    channel?.ref();
  } else {
    child.unref();
    channel?.unref();
  }
}

const lastWordsOf = new WeakMap<ChildProcess, string>();

/** Keeps the end of what the process writes to stderr (the reason it died, if it says), without holding the app open. */
function listen(child: ChildProcess): void {
  const stderr = child.stderr as (NodeJS.ReadableStream & { unref?(): void }) | null;
  stderr?.unref?.();
  stderr?.on('data', (chunk: Buffer) => {
    const text = `${lastWordsOf.get(child) ?? ''}${chunk.toString('utf8')}`.trim();
    lastWordsOf.set(child, text.slice(-300));
  });
}

/** The last line the chart process wrote to stderr, for the error that says it stopped. */
function lastWords(child: ChildProcess): string {
  const line = lastWordsOf.get(child)?.split('\n').pop();
  return line ? `: ${line}` : '';
}

function drawnBy(): string {
  const manifest = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  return DRAWN_BY.map((name) => `${name}@${manifest.dependencies[name] ?? '?'}`).join(' ');
}
