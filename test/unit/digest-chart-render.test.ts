import { renderDigestMessages, renderDigestText } from '../../src/slack/render/digest';
import { withoutChartImages } from '../../src/slack/render/digest-chart';
import { digestCard } from '../../src/teams/cards/digest';
import { chart, expectWithinSlackLimits, spec, texts, view, type KnownBlock } from './digest-fixtures';

const slackBlocks = (sections: Parameters<typeof spec>[0][]) =>
  renderDigestMessages(view({ specs: sections.map((s) => spec(s)) }))[0]!.blocks;
const teamsBody = (sections: Parameters<typeof spec>[0][]) => {
  const [attachment] = digestCard(view({ specs: sections.map((s) => spec(s)) }), 1, 1).attachments ?? [];
  return JSON.stringify((attachment!.content as { body: unknown }).body);
};

describe('a digest section’s chart in Slack', () => {
  it('is an image block under the competencies, its words as alt text', () => {
    const blocks = slackBlocks([{ chart: chart() }]);
    const image = blocks.findIndex((b) => b.type === 'image');
    expect(blocks[image]).toEqual({ type: 'image', image_url: chart().imageUrl, alt_text: chart().altText });
    expect(blocks[image - 1]).toMatchObject({ type: 'section', fields: expect.any(Array) });
    expect(JSON.stringify(blocks[image + 1])).toContain('Top candidates');
  });

  it('is its words, escaped, when there is no picture', () => {
    const words = chart({ imageUrl: undefined, altText: 'Average score by week: <!channel> *bold* & 70.0' });
    const blocks = slackBlocks([{ chart: words }]);
    expect(blocks.some((b) => b.type === 'image')).toBe(false);
    expect(texts(blocks)).toContain('Average score by week: &lt;!channel&gt; \u2217bold\u2217 &amp; 70.0');
  });

  it('drops every picture for its words when Slack could not fetch one', () => {
    const plain = withoutChartImages(view({ specs: [spec({ chart: chart() }), spec({ specId: 's2' })] }));
    expect(plain.specs[0]!.chart).toEqual({ ...chart(), imageUrl: undefined });
    expect(plain.specs[0]!.chart && 'imageUrl' in plain.specs[0]!.chart).toBe(false);
    expect(plain.specs[1]!.chart).toBeUndefined();
  });

  it('keeps five busy specs with long chart words inside Slack’s limits, words cut from the end', () => {
    const long = 'Average score by week, oldest first: Sep 28 70.0. By competency: '.concat(
      'Distributed Ledger Reconciliation 70.0 (60.0), '.repeat(60),
    );
    for (const imageUrl of [chart().imageUrl, undefined]) {
      const specs = Array.from({ length: 5 }, (_, i) =>
        spec({
          specId: `s${i}`,
          slug: `spec-${i}`,
          competencies: Array.from({ length: 20 }, (_, c) => ({
            id: `c${c}`,
            name: `C${c} ${'Settlement '.repeat(9)}`,
            average: '75.5',
            n: 100,
          })),
          chart: chart({ altText: long, imageUrl }),
        }),
      );
      const [message, ...rest] = renderDigestMessages(view({ specs }));
      expect(rest).toHaveLength(0);
      expectWithinSlackLimits(message!);
      const words = message!.blocks.flatMap((b: KnownBlock) =>
        b.type === 'image' ? [b.alt_text] : b.type === 'context' ? texts([b]).filter((t) => t.startsWith('Average')) : [],
      );
      expect(words).toHaveLength(5);
      for (const w of words) expect(w.startsWith('Average score by week, oldest first: Sep 28 70.0.')).toBe(true);
    }
  });

  it('is in the plain-text preview as words', () => {
    expect(renderDigestText(view({ specs: [spec({ chart: chart() })] }))).toContain(`  ${chart().altText}`);
  });
});

describe('a digest section’s chart in Teams', () => {
  it('is an Image by its link, with its words (cut to fit a card) as alt text', () => {
    const body = teamsBody([{ chart: chart({ altText: `Average ${'x'.repeat(1000)}` }) }]);
    expect(body.match(/"type":"Image"/g)).toHaveLength(1);
    expect(body).toContain(`"url":"${chart().imageUrl}"`);
    expect(body).toContain(`"altText":"Average ${'x'.repeat(391)}…"`);
  });

  it('is its words when there is no picture, or the link is not http(s)', () => {
    for (const imageUrl of [undefined, 'javascript:alert(1)']) {
      const body = teamsBody([{ chart: chart({ imageUrl, altText: 'Average score by week: **70.0** <b>' }) }]);
      expect(body).not.toContain('"Image"');
      expect(body).not.toContain('javascript:');
      expect(body).toContain('Average score by week: \u2217\u221770.0\u2217\u2217 &lt;b&gt;');
    }
  });
});
