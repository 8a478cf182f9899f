import { AdaptiveCard, Container, Image, type TextBlock } from '@microsoft/teams.cards';
import { DateTime } from 'luxon';
import { weeklyCompletion } from '../../domain/completion';
import type { DigestChart, DigestSpecSection, DigestView } from '../../services/digest-views';
import { code, joinMarkdown, link, md } from './markdown';
import { cardMessage, textMessage, type TeamsMessage } from './message';
import { oneLine, safeUrl, textBlock as wrap } from './text';

/** Same split as Slack's (decided when the digest is claimed): five specs per message. */
const SPECS_PER_MESSAGE = 5;
const ANONYMOUS = 'A candidate';
/**
 * A chart's words in a card. A card must stay under Teams' ~28 KB and a message may hold ten sections:
 * this keeps the weeks and the first competencies, and the competency lines above hold the rest.
 */
const MAX_CHART_WORDS = 400;

/** False for a part with nothing to show (a quiet week split across parts): the pipeline cancels it. */
export function digestPartHasContent(view: DigestView, part: number, parts: number): boolean {
  if (view.quiet) return part === 1;
  const rest = part === parts ? view.specs.slice(part * SPECS_PER_MESSAGE) : [];
  return view.specs.slice((part - 1) * SPECS_PER_MESSAGE, part * SPECS_PER_MESSAGE).length + rest.length > 0;
}

export function digestCard(view: DigestView, part: number, parts: number): TeamsMessage {
  if (view.quiet) {
    return textMessage(
      part === 1
        ? md`Quiet week: no interviews for the specs this channel follows between ${range(view)}.`
        : md`Nothing more in this week’s digest.`,
    );
  }
  const specs = view.specs.slice((part - 1) * SPECS_PER_MESSAGE, part * SPECS_PER_MESSAGE);
  const rest = part === parts ? view.specs.slice(part * SPECS_PER_MESSAGE) : [];
  const shown = [...specs, ...rest].slice(0, SPECS_PER_MESSAGE * 2);
  if (shown.length === 0) return textMessage(md`Nothing more in this week’s digest.`);
  const card = new AdaptiveCard(
    wrap(md`**Weekly digest · ${range(view)}${parts > 1 ? ` (part ${part} of ${parts})` : ''}**`, { size: 'Large' }),
    ...(view.late ? [wrap(md`Sent late: Panelist was catching up after downtime.`, { isSubtle: true })] : []),
    ...shown.map((spec) => section(spec)),
  ).withVersion('1.5');
  const completed = shown.reduce((total, spec) => total + spec.completed, 0);
  return cardMessage(
    card,
    `Weekly digest ${range(view)}: ${shown.length} spec${shown.length === 1 ? '' : 's'}, ${completed} completed interviews`,
  );
}

function section(spec: DigestSpecSection): Container {
  const title = wrap(md`**${oneLine(spec.title, 150)}** · ${code(oneLine(spec.slug, 100))}`);
  if (spec.started + spec.completed + spec.abandoned === 0)
    return new Container(title, wrap(md`No interviews this week.`)).withSeparator(true);
  const items: (TextBlock | Image)[] = [
    title,
    wrap(
      md`started ${spec.started} (${delta(spec.started, spec.previous.started)}) · completed ${spec.completed} (${delta(spec.completed, spec.previous.completed)}) · abandoned ${spec.abandoned} (${delta(spec.abandoned, spec.previous.abandoned)})\n\n${weeklyCompletion(spec, spec.previous)} · average score ${spec.averageScore ?? '—'}`,
    ),
    wrap(
      joinMarkdown(
        spec.competencies.map((c) => md`${oneLine(c.name, 100)} **${c.average ?? '—'}** (n=${c.n})`),
        ' · ',
      ),
      { isSubtle: true },
    ),
    ...chartItems(spec.chart),
  ];
  if (spec.top.length > 0) {
    const top = spec.top.map((t, index) => {
      const name = md`${t.candidateName === null ? ANONYMOUS : oneLine(t.candidateName, 100)}`;
      return md`${index + 1}. ${link(safeUrl(t.reportUrl), name)} **${t.overall}**`;
    });
    items.push(wrap(md`**Top candidates**\n\n${joinMarkdown(top, '\n')}`));
  }
  const specUrl = safeUrl(spec.specUrl);
  if (specUrl) items.push(wrap(link(specUrl, md`Open the spec`), { size: 'Small' }));
  return new Container(...items).withSeparator(true);
}

/** The picture by its signed link (Teams clients fetch it; a data: URI would not fit), else its words. */
function chartItems(chart: DigestChart | undefined): (TextBlock | Image)[] {
  if (!chart) return [];
  const words = oneLine(chart.altText, MAX_CHART_WORDS);
  const url = safeUrl(chart.imageUrl ?? null);
  if (url) return [new Image(url, { altText: words, size: 'Stretch' })];
  return [wrap(md`${words}`, { isSubtle: true, size: 'Small' })];
}

function delta(now: number, before: number): string {
  const d = now - before;
  return d > 0 ? `▲${d}` : d < 0 ? `▼${-d}` : '±0';
}

function range(view: DigestView): string {
  const format = (date: Date) => DateTime.fromJSDate(date, { zone: view.timeZone }).toFormat('LLL d');
  return `${format(view.periodStart)} – ${format(new Date(view.periodEnd.getTime() - 1))}`;
}
