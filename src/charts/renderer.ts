import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ChartPicture } from '../domain/digest-chart';
import { PROJECT_ROOT } from '../project-root';
import { CHART_CANVAS, CHART_FONT_FAMILY, CHART_SCALE, CHART_STYLE, chartJob, type ChartJob } from './chart-spec';

export interface RenderedChart {
  png: Uint8Array;
  /** in device pixels */
  width: number;
  height: number;
  /** what the thread spent on it: Vega-Lite, Vega, SVG and PNG */
  renderMs: number;
}

export interface ChartRendererOptions {
  /** a chart not drawn within this (from when its thread starts on it) is given up: the digest goes without */
  timeoutMs?: number;
  /** a thread idle this long is stopped, returning its memory; the next chart starts another */
  idleMs?: number;
}

const WORKER_FILE = path.join(PROJECT_ROOT, 'src', 'charts', 'render-worker.mjs');
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
interface Thread {
  worker: Worker;
  ready: Promise<void>;
}

/**
 * Draws digest charts on one worker thread (render-worker.mjs), one at a time, so a Monday morning's
 * charts queue behind each other instead of taking the event loop. A chart that fails or overruns
 * is given up (the thread is replaced); the caller sends the digest without it.
 */
export class WorkerChartRenderer {
  readonly version = `style ${CHART_STYLE}; ${drawnBy()}`;
  private thread?: Thread;
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
    const thread = this.thread;
    this.thread = undefined;
    await thread?.worker.terminate();
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
      // a thread that overran or broke may be stuck: the next chart gets a fresh one
      await this.stop();
      job.reject(error instanceof Error ? error : new Error(String(error)));
    } finally {
      this.running = false;
      void this.pump();
    }
  }

  private async run(job: Job): Promise<Reply> {
    const thread = this.start();
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    // a thread at work keeps the process alive (the CLI waits for its charts); an idle one does not
    thread.worker.ref();
    try {
      await thread.ready;
      const reply = await new Promise<Reply>((resolve, reject) => {
        this.awaiting = { id: job.id, resolve, reject };
        timer = setTimeout(() => reject(new Error(`no chart within ${timeoutMs} ms`)), timeoutMs);
        thread.worker.postMessage({ id: job.id, ...job.chart, scale: CHART_SCALE, canvas: CHART_CANVAS, format: job.format });
      });
      if (reply.error) throw new Error(`the chart could not be drawn: ${reply.error}`);
      return reply;
    } finally {
      clearTimeout(timer);
      this.awaiting = undefined;
      thread.worker.unref();
    }
  }

  private start(): Thread {
    if (this.thread) return this.thread;
    const worker = new Worker(WORKER_FILE, {
      workerData: { fontFiles: FONT_FILES, fontFamily: CHART_FONT_FAMILY },
      resourceLimits: { maxOldGenerationSizeMb: 128 },
    });
    worker.unref();
    const ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: Reply & { ready?: boolean }) => {
        if (message.ready) resolve();
        else if (this.awaiting?.id === message.id) this.awaiting.resolve(message);
      });
      const fail = (error: Error) => {
        reject(error);
        if (this.thread?.worker === worker) this.awaiting?.reject(error);
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`the chart thread stopped (exit code ${code})`)));
    });
    ready.catch(() => undefined);
    this.thread = { worker, ready };
    return this.thread;
  }
}

function drawnBy(): string {
  const manifest = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  return DRAWN_BY.map((name) => `${name}@${manifest.dependencies[name] ?? '?'}`).join(' ');
}
