import { AdaptiveCard, ColumnSet, Column } from '@microsoft/teams.cards';
import type { InterviewResultView } from '../../services/interview-views';
import { code, joinMarkdown, link, md } from './markdown';
import { cardMessage, type TeamsMessage } from './message';
import { oneLine, safeUrl, textBlock as wrap, when } from './text';

const ANONYMOUS = 'A candidate';

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
        : md`**${oneLine(view.overall, 10)}** / 100`
      : view.status === 'abandoned'
        ? 'Abandoned — no score'
        : 'In progress — not scored yet';
  const versionLabel = view.status === 'completed' ? `scored with v${view.version}` : `spec v${view.version}`;
  const rows = view.status === 'completed' || view.competencies.some((c) => c.score !== null) ? view.competencies : [];
  const context = [md`Interview ${code(oneLine(view.interviewId, 100))}`];
  if (view.completedAt && !Number.isNaN(view.completedAt.getTime())) context.push(md`completed ${when(view.completedAt)}`);
  const url = safeUrl(view.reportUrl);
  if (url) context.push(link(url, md`Open the full report`));
  const card = new AdaptiveCard(
    wrap(md`**${name}** · ${oneLine(view.spec.title, 150)} (${code(slug)})`, { size: 'Medium' }),
    wrap(md`${outcome} · ${versionLabel}${view.rescored ? md` · _rescored_` : ''}`),
    ...rows.map((c) =>
      new ColumnSet().withColumns(
        new Column(wrap(md`${bar(c.scoreValue)}`, { fontType: 'Monospace', wrap: false })).withWidth('auto'),
        new Column(wrap(c.score === null ? md`not scored` : md`**${oneLine(c.score, 10)}**`)).withWidth('auto'),
        new Column(wrap(md`${oneLine(c.name, 100)} · weight ${oneLine(c.weight, 10)}`)).withWidth('stretch'),
      ),
    ),
    wrap(joinMarkdown(context, ' · '), { isSubtle: true, size: 'Small', separator: true }),
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
