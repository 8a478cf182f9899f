import { AdaptiveCard, Container, Fact, FactSet } from '@microsoft/teams.cards';
import { COMMAND_USAGE } from '../../domain/command';
import { completionFigure } from '../../domain/completion';
import type { MustHave } from '../../domain/spec';
import { describeImbalance, formatWeight, sumWeights } from '../../domain/weights';
import type { HistoryEntry, SpecSummary, SpecView } from '../../services/spec-views';
import { code, joinMarkdown, md, type TeamsMarkdown } from './markdown';
import { cardMessage, textMessage, type TeamsMessage } from './message';
import { oneLine, textBlock as wrap, when, who } from './text';

const fact = (title: TeamsMarkdown, value: TeamsMarkdown) => new Fact(title.toString(), value.toString());

/** `show`: the same facts as Slack's `/spec show`, as an Adaptive Card. */
export function specCard(view: SpecView): TeamsMessage {
  const { content, version, live } = view;
  const total = sumWeights(content.competencies.map((c) => c.weight));
  const imbalance = describeImbalance(total);
  const questions = content.interviewQuestions;
  const round = content.behavioralRound;
  const card = new AdaptiveCard(
    wrap(md`${oneLine(content.title, 150)}`, { size: 'Large', weight: 'Bolder' }),
    wrap(
      md`${code(view.slug)} · id ${code(view.id)}${content.level ? md` · ${content.level}` : ''} · **v${version.number}** by ${who(version)} ${when(version.createdAt)}${
        version.externalVersion ? md` · platform version ${version.externalVersion}` : ''
      }${version.note ? md` · “${oneLine(version.note, 300)}”` : ''}`,
      { isSubtle: true, size: 'Small' },
    ),
    wrap(
      md`**Competencies** · weights total **${formatWeight(total)}** ${imbalance ? md`⚠️ not balanced: ${imbalance}` : md`✅ balanced`}`,
      { separator: true },
    ),
    ...content.competencies.map(
      (c) =>
        new Container(
          wrap(md`**${oneLine(c.name, 100)}** · ${code(c.id)} · weight **${formatWeight(c.weight)}**`),
          wrap(md`${c.definition}`, { isSubtle: true, spacing: 'None' }),
        ),
    ),
    wrap(mustHaveList(content.mustHaves), { separator: true }),
    new FactSet(
      fact(
        md`Interview questions`,
        md`${oneLine(questions.source, 100)} · candidate sees ${questions.candidateSees} of the questions · auto-publish ${questions.autoPublish ? 'on' : 'off'}`,
      ),
      fact(
        md`Behavioral round`,
        md`round ${round.round} · ${oneLine(round.mode, 50)} · ${round.prompts} prompt${round.prompts === 1 ? '' : 's'} · interviewer ${oneLine(round.interviewer, 50)}`,
      ),
    ),
    wrap(
      md`Change it: ${code(`edit ${view.slug} musthaves`)} or ${code(`edit ${view.slug} settings`)}; one line: ${code(`musthave add ${view.slug} <text>`)}, ${code(`questions ${view.slug} <1-10>`)}`,
      { isSubtle: true, size: 'Small' },
    ),
    wrap(
      md`**Live performance** · interviews **${live.interviews}** · completion **${completionFigure({ started: live.interviews, completed: live.completed })}** · ${live.abandoned} abandoned · average score **${live.averageScore ?? '—'}**`,
      { separator: true },
    ),
    wrap(
      joinMarkdown(
        live.competencies.map((c) => md`${code(c.id)} ${c.average ?? '—'} (n=${c.n})`),
        ' · ',
      ),
      { isSubtle: true, size: 'Small' },
    ),
  ).withVersion('1.5');
  const summary = `${content.title} (${view.slug}, v${version.number}): ${content.competencies.map((c) => `${c.name} ${formatWeight(c.weight)}`).join(', ')}`;
  return cardMessage(card, summary);
}

/**
 * The heading, then "1. … _(required)_", "2. … _(nice to have)_": commands name a must-have by its
 * number. One line each, so a must-have's own text cannot forge a number.
 */
function mustHaveList(mustHaves: readonly MustHave[]): TeamsMarkdown {
  if (mustHaves.length === 0) return md`**Must-haves**\n\n_none_`;
  const required = mustHaves.filter((m) => m.required).length;
  const rows = mustHaves.map(
    (m, index) => md`${index + 1}. ${oneLine(m.text, 300)} ${m.required ? md`_(required)_` : md`_(nice to have)_`}`,
  );
  return md`**Must-haves** · ${required} required · ${mustHaves.length - required} nice to have\n\n${joinMarkdown(rows, '\n')}`;
}

export function historyCard(history: { slug: string; entries: HistoryEntry[]; total: number }): TeamsMessage {
  const card = new AdaptiveCard(
    wrap(md`**History of** ${code(history.slug)} · ${history.total} version${history.total === 1 ? '' : 's'}, newest first`, {
      size: 'Medium',
    }),
    ...history.entries.map((entry) =>
      new Container(
        wrap(
          md`**v${entry.number}**${entry.number === history.total ? md` _(current)_` : ''} · ${who(entry)} · ${when(entry.createdAt)} · ${entry.source}`,
        ),
        wrap(md`${entry.changes.join('; ')}`, { spacing: 'None' }),
        ...(entry.note ? [wrap(md`“${oneLine(entry.note, 300)}”`, { isSubtle: true, spacing: 'None' })] : []),
      ).withSeparator(true),
    ),
    ...(history.total > history.entries.length
      ? [wrap(md`${history.total - history.entries.length} older versions not shown.`, { isSubtle: true })]
      : []),
    wrap(md`Undo a change: ${code(`revert ${history.slug} <version>`)}`, { isSubtle: true, size: 'Small' }),
  ).withVersion('1.5');
  return cardMessage(card, `History of ${history.slug}: ${history.entries.map((e) => `v${e.number}`).join(', ')}`);
}

export function helpCard(): TeamsMessage {
  const card = new AdaptiveCard(
    wrap(md`**Panelist** keeps your job specs: competencies and their weights, must-haves, interview settings.`, { size: 'Medium' }),
    wrap(md`Write to me in a personal chat, or mention me in a channel: ${code('@Panelist show senior-backend-payments')}.`, {
      isSubtle: true,
    }),
    // Facts, not code spans (cards have none): each usage as written, `<spec>` included.
    new FactSet(...Object.values(COMMAND_USAGE).map((usage) => fact(md`${usage.split(' ')[0]!}`, md`${usage}`))),
    wrap(
      joinMarkdown(
        [
          md`${code('<spec>')} is a slug (${code('senior-backend-payments')}) or the start of its id. Weights: ${code('0.3')}, ${code('0.30')} or ${code('30%')}; they must total 1.00.`,
          md`Everyone can read specs; Panelist admins, and people they ${code('grant')}, can change them. Every change is a new version you can ${code('revert')}.`,
        ],
        ' ',
      ),
    ),
  ).withVersion('1.5');
  return cardMessage(card, `Panelist commands: ${Object.keys(COMMAND_USAGE).join(', ')}`);
}

export function specListMessage(specs: SpecSummary[]): TeamsMessage {
  if (specs.length === 0)
    return textMessage(md`No specs yet. Import one with ${code('npx panelist specs import <file.json>')} on the Panelist server.`);
  const lines = specs.map((s) => md`- ${code(s.slug)} · ${oneLine(s.title, 150)} · v${s.version} · ${s.competencies} competencies`);
  return textMessage(
    md`**${specs.length} spec${specs.length === 1 ? '' : 's'}** · ${code('show <spec>')} for one\n\n${joinMarkdown(lines, '\n')}`,
  );
}
