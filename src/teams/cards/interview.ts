import { AdaptiveCard, ColumnSet, Column, TextBlock } from '@microsoft/teams.cards';
import type { InterviewResultView } from '../../services/interview-views';
import { cardMessage, type TeamsMessage } from './message';
import { inert, oneLine, safeUrl, when } from './text';

const ANONYMOUS = 'A candidate';
const wrap = (text: string, options: ConstructorParameters<typeof TextBlock>[1] = {}) => new TextBlock(text, { wrap: true, ...options });

function bar(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const cells = Math.floor((Math.min(100, Math.max(0, value)) + 5) / 10);
  return '▰'.repeat(cells) + '▱'.repeat(10 - cells);
}

/** One interview's result: posted to each following channel, replaced in place when rescored. */
export function interviewCard(view: InterviewResultView): TeamsMessage {
  const name = view.candidateName === null || oneLine(view.candidateName, 100) === '' ? ANONYMOUS : oneLine(view.candidateName, 100);
  const slug = oneLine(view.spec.slug, 100);
  const outcome =
    view.status === 'completed'
      ? view.overall === null
        ? 'Completed — not scored yet'
        : `**${view.overall}** / 100`
      : view.status === 'abandoned'
        ? 'Abandoned — no score'
        : 'In progress — not scored yet';
  const versionLabel = view.status === 'completed' ? `scored with v${view.version}` : `spec v${view.version}`;
  const rows = view.status === 'completed' || view.competencies.some((c) => c.score !== null) ? view.competencies : [];
  const context = [`Interview \`${inert(oneLine(view.interviewId, 100))}\``];
  if (view.completedAt && !Number.isNaN(view.completedAt.getTime())) context.push(`completed ${when(view.completedAt)}`);
  const url = safeUrl(view.reportUrl);
  if (url) context.push(`[Open the full report](${url})`);
  const card = new AdaptiveCard(
    wrap(`**${inert(name)}** · ${inert(oneLine(view.spec.title, 150))} (\`${inert(slug)}\`)`, { size: 'Medium' }),
    wrap(`${outcome} · ${versionLabel}${view.rescored ? ' · _rescored_' : ''}`),
    ...rows.map(
      (c) =>
        new ColumnSet().withColumns(
          new Column(new TextBlock(bar(c.scoreValue), { fontType: 'Monospace' })).withWidth('auto'),
          new Column(wrap(c.score === null ? 'not scored' : `**${c.score}**`)).withWidth('auto'),
          new Column(wrap(`${inert(oneLine(c.name, 100))} · weight ${c.weight}`)).withWidth('stretch'),
        ),
    ),
    wrap(context.join(' · '), { isSubtle: true, size: 'Small', separator: true }),
  ).withVersion('1.5');
  const spec = `${slug} (v${view.version}${view.rescored ? ', rescored' : ''})`;
  const summary =
    view.status === 'completed'
      ? view.overall === null
        ? `${name} completed the interview for ${spec}; not scored yet`
        : `${name} scored ${view.overall}/100 for ${spec}`
      : view.status === 'abandoned'
        ? `${name} abandoned the interview for ${spec}`
        : `${name} started the interview for ${spec}`;
  return cardMessage(card, summary);
}
