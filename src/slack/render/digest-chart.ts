import type { types } from '@slack/bolt';
import type { DigestChart, DigestView } from '../../services/digest-views';
import { fit } from './mrkdwn';
import { oneLine } from './text';

type KnownBlock = types.KnownBlock;

/** Slack's limit on an image block's alt_text. */
export const MAX_ALT_TEXT = 2000;

/**
 * A section's chart: the picture, its words as alt text; or, without a picture, the words as a
 * context line. Both at most `room` characters (the text budget's share, see digest.ts LEVELS):
 * the weeks come first in the words, so a cut keeps them.
 */
export function chartBlocks(chart: DigestChart | undefined, room: number): KnownBlock[] {
  if (!chart || room <= 0) return [];
  if (chart.imageUrl) {
    // alt_text is plain text, shown as written
    return [{ type: 'image', image_url: chart.imageUrl, alt_text: oneLine(chart.altText, Math.min(room, MAX_ALT_TEXT)) }];
  }
  return [{ type: 'context', elements: [{ type: 'mrkdwn', text: fit(chart.altText, room).toString() }] }];
}

/** The view with its pictures taken out (Slack could not fetch one): each chart falls back to its words. */
export function withoutChartImages(view: DigestView): DigestView {
  return {
    ...view,
    specs: view.specs.map((section) => {
      if (!section.chart?.imageUrl) return section;
      const { imageUrl: _dropped, ...words } = section.chart;
      return { ...section, chart: words };
    }),
  };
}

export function hasChartImages(view: DigestView): boolean {
  return view.specs.some((section) => section.chart?.imageUrl !== undefined);
}
