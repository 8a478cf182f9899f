import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { chartPicture, type ChartPicture } from '../domain/digest-chart';
import type { Metrics } from '../observability/metrics';
import { wakeChartWaiters } from '../store/chart-waits';
import type { Db } from '../store/db';
import { isChartImageStored, pinCharts, pinnedCharts, storeChartImage, type PinnedChart } from '../store/digest-chart-rows';
import type { SqlRunner } from '../store/sql-runner';
import { ChartLinks } from './chart-links';
import type { DigestSpecSection, DigestView } from './digest-views';

/** Draws a chart; the implementation (src/charts/) runs Vega and resvg off the event loop. */
export interface ChartRenderer {
  /** changes whenever the same figures would come out as other bytes (style, libraries, font) */
  readonly version: string;
  render(picture: ChartPicture): Promise<{ png: Uint8Array; width: number; height: number }>;
}

type Section = DigestSpecSection & { chart: NonNullable<DigestSpecSection['chart']> };

/**
 * What a digest does when a picture it needs is still being drawn: `wait` for it (the CLI, which
 * sends and exits), or `park` (the app's delivery worker: the part gives its worker slot back and
 * is woken when the picture is stored, see store/chart-waits.ts).
 */
export type WhenDrawing = 'wait' | 'park';

/** A picture being drawn and stored once per content, shared by every digest that shows it. */
interface Drawing {
  state: 'drawing' | 'stored' | 'failed';
  /** drawn here (not found stored) and not yet counted as such by a pin */
  uncounted: boolean;
  error?: unknown;
  /** the look for a stored copy is done (a picture another replica drew needs no parking) */
  looked: Promise<void>;
  settled: Promise<void>;
}

/** Thrown by `attach` in `park` mode: the part waits for this picture without a worker slot. */
export class ChartPending extends Error {
  constructor(
    readonly imageId: string,
    private readonly drawing: Drawing,
  ) {
    super(`the chart ${imageId} is still being drawn`);
  }

  /** stored or given up since: a part parked now would miss the wake-up, so it wakes itself */
  get settled(): boolean {
    return this.drawing.state !== 'drawing';
  }
}

/** A picture that failed is not drawn again for this long: parts woken by the failure go without it. */
export const FAILED_CHART_RETRY_MS = 60_000;

/**
 * Gives each digest section with figures to draw a picture, once per digest and spec: the first
 * attempt pins a picture (and its words) to the digest; a retry, an update, another part of the same
 * digest and every replica find the pin and link the same bytes. Pictures are stored by content, so
 * the same spec's week in a thousand channels is drawn and stored once. Anything that fails leaves
 * the section without a picture (its words stand in), with a warning and a count: never the digest.
 */
export class DigestCharts {
  /** pictures drawn or being drawn by this process, by content id: concurrent digests share one drawing */
  private readonly images = new LRUCache<string, Drawing>({ max: 2_000, ttl: 10 * 60_000 });

  constructor(
    private readonly db: Db,
    private readonly renderer: ChartRenderer,
    private readonly links: ChartLinks,
    private readonly logger: Logger,
    private readonly metrics: Metrics | undefined,
    /** how a part waits for a picture, and where the pins and wake-ups are written (the app's `pg` pool) */
    private readonly waits: { whenDrawing: WhenDrawing; sql: SqlRunner },
  ) {}

  async attach(digest: { id: string; periodEnd: Date }, view: DigestView): Promise<DigestView> {
    const charted = view.specs.filter((section): section is Section => section.chart !== undefined);
    if (charted.length === 0) return view;
    let pins: Map<string, PinnedChart>;
    try {
      pins = await this.pin(digest.id, charted, view.timeZone);
    } catch (error) {
      if (error instanceof ChartPending) throw error;
      this.failed(digest.id, charted.length, error);
      return view;
    }
    const expiresAt = ChartLinks.expiryOf(digest.periodEnd);
    const specs = await Promise.all(
      view.specs.map(async (section) => {
        const pin = pins.get(section.specId);
        if (!section.chart || !pin) return section;
        const imageUrl = await this.links.linkFor(digest.id, section.specId, expiresAt);
        return { ...section, chart: { ...section.chart, altText: pin.altText, imageUrl } };
      }),
    );
    return { ...view, specs };
  }

  /** The digest's pins, making the missing ones; a section whose picture fails is left out. */
  private async pin(digestId: string, sections: Section[], timeZone: string): Promise<Map<string, PinnedChart>> {
    const pinned = new Map((await pinnedCharts(this.waits.sql, digestId)).map((pin) => [pin.specId, pin]));
    const missing = sections.filter((section) => !pinned.has(section.specId));
    if (missing.length === 0) return pinned;
    const needed = missing.map((section) => ({ section, ...this.drawing(chartPicture(section.chart, timeZone)) }));
    await Promise.all(needed.map((n) => n.drawing.looked));
    const unfinished = needed.find((n) => n.drawing.state === 'drawing');
    if (unfinished && this.waits.whenDrawing === 'park') throw new ChartPending(unfinished.imageId, unfinished.drawing);
    await Promise.all(needed.map((n) => n.drawing.settled));
    const fresh: { pin: PinnedChart; rendered: boolean }[] = [];
    for (const { section, imageId, drawing } of needed) {
      if (drawing.state === 'failed') {
        this.failed(digestId, 1, drawing.error, section.specId);
        continue;
      }
      fresh.push({ pin: { specId: section.specId, imageId, altText: section.chart.altText }, rendered: drawing.uncounted });
      drawing.uncounted = false;
    }
    if (fresh.length === 0) return pinned;
    const written = await pinCharts(
      this.waits.sql,
      digestId,
      fresh.map((m) => m.pin),
    );
    // Fewer written: another attempt or replica pinned some first, and its pictures are the ones to show.
    if (written < fresh.length) return new Map((await pinnedCharts(this.waits.sql, digestId)).map((pin) => [pin.specId, pin]));
    for (const m of fresh) this.metrics?.digestCharts.inc({ outcome: m.rendered ? 'rendered' : 'shared' });
    for (const m of fresh) pinned.set(m.pin.specId, m.pin);
    return pinned;
  }

  /** The picture's content id and its drawing: started here unless this process has one under way or done. */
  private drawing(picture: ChartPicture): { imageId: string; drawing: Drawing } {
    const imageId = createHash('sha256').update(this.renderer.version).update('\n').update(JSON.stringify(picture)).digest('hex');
    const known = this.images.get(imageId);
    if (known) return { imageId, drawing: known };
    const drawing: Drawing = { state: 'drawing', uncounted: false, looked: Promise.resolve(), settled: Promise.resolve() };
    const stored = isChartImageStored(this.db, imageId);
    drawing.looked = stored.then(
      (found) => {
        if (found) drawing.state = 'stored';
      },
      () => undefined,
    );
    drawing.settled = stored
      .then((found) => (found ? false : this.drawAndStore(imageId, picture)))
      .then(
        (rendered) => {
          drawing.state = 'stored';
          drawing.uncounted = rendered;
        },
        (error: unknown) => {
          drawing.state = 'failed';
          drawing.error = error;
          this.images.set(imageId, drawing, { ttl: FAILED_CHART_RETRY_MS });
        },
      )
      .then(() => this.wake(imageId));
    this.images.set(imageId, drawing);
    return { imageId, drawing };
  }

  /** Draws and stores the picture; true (drawn here) once stored. */
  private async drawAndStore(imageId: string, picture: ChartPicture): Promise<boolean> {
    const drawn = await this.renderer.render(picture);
    await storeChartImage(this.db, { id: imageId, png: drawn.png, width: drawn.width, height: drawn.height });
    return true;
  }

  /** Parts parked for the picture (on any replica) run now; should this fail, their fallback runs them. */
  private async wake(imageId: string): Promise<void> {
    try {
      await wakeChartWaiters(this.waits.sql, imageId);
    } catch (error) {
      this.logger.warn(
        { imageId, err: error instanceof Error ? error.message : String(error) },
        'could not wake the digests waiting for a chart',
      );
    }
  }

  private failed(digestId: string, count: number, error: unknown, specId?: string): void {
    this.metrics?.digestCharts.inc({ outcome: 'failed' }, count);
    this.logger.warn(
      { digestId, specId, err: error instanceof Error ? error.message : String(error) },
      'digest chart not made; the digest goes without it (its numbers are in the text)',
    );
  }
}
