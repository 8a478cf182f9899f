import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import { chartPicture, type ChartPicture } from '../domain/digest-chart';
import type { Metrics } from '../observability/metrics';
import type { Db } from '../store/db';
import { isChartImageStored, pinCharts, pinnedCharts, storeChartImage, type PinnedChart } from '../store/digest-chart-rows';
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
 * Gives each digest section with figures to draw a picture, once per digest and spec: the first
 * attempt pins a picture (and its words) to the digest; a retry, an update, another part of the same
 * digest and every replica find the pin and link the same bytes. Pictures are stored by content, so
 * the same spec's week in a thousand channels is drawn and stored once. Anything that fails leaves
 * the section without a picture (its words stand in), with a warning and a count: never the digest.
 */
export class DigestCharts {
  /** content ids stored or being stored by this process, so concurrent digests wait on one drawing */
  private readonly images = new LRUCache<string, Promise<boolean>>({ max: 2_000, ttl: 10 * 60_000 });

  constructor(
    private readonly db: Db,
    private readonly renderer: ChartRenderer,
    private readonly links: ChartLinks,
    private readonly logger: Logger,
    private readonly metrics?: Metrics,
  ) {}

  async attach(digest: { id: string; periodEnd: Date }, view: DigestView): Promise<DigestView> {
    const charted = view.specs.filter((section): section is Section => section.chart !== undefined);
    if (charted.length === 0) return view;
    let pins: Map<string, PinnedChart>;
    try {
      pins = await this.pin(digest.id, charted, view.timeZone);
    } catch (error) {
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
    const pinned = new Map((await pinnedCharts(this.db, digestId)).map((pin) => [pin.specId, pin]));
    const missing = sections.filter((section) => !pinned.has(section.specId));
    if (missing.length === 0) return pinned;
    const made = await Promise.all(
      missing.map(async (section) => {
        try {
          const { imageId, rendered } = await this.image(chartPicture(section.chart, timeZone));
          return { pin: { specId: section.specId, imageId, altText: section.chart.altText }, rendered };
        } catch (error) {
          this.failed(digestId, 1, error, section.specId);
          return undefined;
        }
      }),
    );
    const fresh = made.filter((m) => m !== undefined);
    if (fresh.length === 0) return pinned;
    const written = await pinCharts(
      this.db,
      digestId,
      fresh.map((m) => m.pin),
    );
    // Fewer written: another attempt or replica pinned some first, and its pictures are the ones to show.
    if (written < fresh.length) return new Map((await pinnedCharts(this.db, digestId)).map((pin) => [pin.specId, pin]));
    for (const m of fresh) this.metrics?.digestCharts.inc({ outcome: m.rendered ? 'rendered' : 'shared' });
    for (const m of fresh) pinned.set(m.pin.specId, m.pin);
    return pinned;
  }

  /** The picture's content id, drawn and stored unless it already is. */
  private async image(picture: ChartPicture): Promise<{ imageId: string; rendered: boolean }> {
    const imageId = createHash('sha256').update(this.renderer.version).update('\n').update(JSON.stringify(picture)).digest('hex');
    const known = this.images.get(imageId);
    if (known) {
      await known;
      return { imageId, rendered: false };
    }
    const storing = (async () => {
      if (await isChartImageStored(this.db, imageId)) return false;
      const drawn = await this.renderer.render(picture);
      await storeChartImage(this.db, { id: imageId, png: drawn.png, width: drawn.width, height: drawn.height });
      return true;
    })();
    this.images.set(imageId, storing);
    try {
      return { imageId, rendered: await storing };
    } catch (error) {
      this.images.delete(imageId);
      throw error;
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
