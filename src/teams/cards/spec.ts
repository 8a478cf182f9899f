import { AdaptiveCard, Container, Fact, FactSet, TextBlock } from '@microsoft/teams.cards';
import { COMMAND_USAGE } from '../../domain/command';
import { describeImbalance, formatWeight, sumWeights } from '../../domain/weights';
import type { HistoryEntry, SpecSummary, SpecView } from '../../services/spec-views';
import { cardMessage, textMessage, type TeamsMessage } from './message';
import { inert, oneLine, percent, when, who } from './text';

const wrap = (text: string, options: ConstructorParameters<typeof TextBlock>[1] = {}) => new TextBlock(text, { wrap: true, ...options });

/** `show`: the same facts as Slack's `/spec show`, as an Adaptive Card. */
export function specCard(view: SpecView): TeamsMessage {
  const { content, version, live } = view;
  const total = sumWeights(content.competencies.map((c) => c.weight));
  const imbalance = describeImbalance(total);
  const card = new AdaptiveCard(
    wrap(inert(oneLine(content.title, 150)), { size: 'Large', weight: 'Bolder' }),
    wrap(
      `\`${view.slug}\` · id \`${view.id}\`${content.level ? ` · ${inert(content.level)}` : ''} · **v${version.number}** by ${who(version)} ${when(version.createdAt)}` +
        (version.externalVersion ? ` · platform version ${inert(version.externalVersion)}` : '') +
        (version.note ? ` · “${inert(oneLine(version.note, 300))}”` : ''),
      { isSubtle: true, size: 'Small' },
    ),
    wrap(`**Competencies** · weights total **${formatWeight(total)}** ${imbalance ? `⚠️ not balanced: ${imbalance}` : '✅ balanced'}`, { separator: true }),
    ...content.competencies.map(
      (c) =>
        new Container(
          wrap(`**${inert(oneLine(c.name, 100))}** · \`${c.id}\` · weight **${formatWeight(c.weight)}**`),
          wrap(inert(c.definition), { isSubtle: true, spacing: 'None' }),
        ),
    ),
    wrap(
      `**Must-haves**\n\n${content.mustHaves.length ? content.mustHaves.map((m) => `- ${inert(oneLine(m.text, 300))}${m.required ? '' : ' _(nice to have)_'}`).join('\n') : '_none_'}`,
      { separator: true },
    ),
    new FactSet(
      new Fact(
        'Interview questions',
        `${oneLine(content.interviewQuestions.source, 100)} · auto-publish ${content.interviewQuestions.autoPublish ? 'on' : 'off'} · candidate sees ${content.interviewQuestions.candidateSees}`,
      ),
      new Fact(
        'Behavioral round',
        `round ${content.behavioralRound.round} · ${oneLine(content.behavioralRound.mode, 50)} · ${content.behavioralRound.prompts} prompts · interviewer ${oneLine(content.behavioralRound.interviewer, 50)}`,
      ),
    ),
    wrap(
      `**Live performance** · interviews **${live.interviews}** · completed **${live.completed}** · abandoned **${live.abandoned}** · ` +
        `completion rate **${percent(live.completionRate)}** · average score **${live.averageScore ?? '—'}**`,
      { separator: true },
    ),
    wrap(live.competencies.map((c) => `\`${c.id}\` ${c.average ?? '—'} (n=${c.n})`).join(' · '), { isSubtle: true, size: 'Small' }),
  ).withVersion('1.5');
  const summary = `${content.title} (${view.slug}, v${version.number}): ${content.competencies.map((c) => `${c.name} ${formatWeight(c.weight)}`).join(', ')}`;
  return cardMessage(card, oneLine(summary, 400));
}

export function historyCard(history: { slug: string; entries: HistoryEntry[]; total: number }): TeamsMessage {
  const card = new AdaptiveCard(
    wrap(`**History of \`${history.slug}\`** · ${history.total} version${history.total === 1 ? '' : 's'}, newest first`, { size: 'Medium' }),
    ...history.entries.map(
      (entry) =>
        new Container(
          wrap(`**v${entry.number}**${entry.number === history.total ? ' _(current)_' : ''} · ${who(entry)} · ${when(entry.createdAt)} · ${entry.source}`),
          wrap(inert(entry.changes.join('; ')), { spacing: 'None' }),
          ...(entry.note ? [wrap(`“${inert(oneLine(entry.note, 300))}”`, { isSubtle: true, spacing: 'None' })] : []),
        ).withSeparator(true),
    ),
    ...(history.total > history.entries.length ? [wrap(`${history.total - history.entries.length} older versions not shown.`, { isSubtle: true })] : []),
    wrap(`Undo a change: \`revert ${history.slug} <version>\``, { isSubtle: true, size: 'Small' }),
  ).withVersion('1.5');
  return cardMessage(card, `History of ${history.slug}: ${history.entries.map((e) => `v${e.number}`).join(', ')}`);
}

export function helpCard(): TeamsMessage {
  const card = new AdaptiveCard(
    wrap('**Panelist** keeps your job specs: competencies and their weights, must-haves, interview settings.', { size: 'Medium' }),
    wrap('Write to me in a personal chat, or mention me in a channel: `@Panelist show senior-backend-payments`.', { isSubtle: true }),
    new FactSet(...Object.values(COMMAND_USAGE).map((usage) => new Fact(usage.split(' ')[0]!, usage))),
    wrap(
      '`<spec>` is a slug (`senior-backend-payments`) or the start of its id. Weights: `0.3`, `0.30` or `30%`; they must total 1.00. ' +
        'Everyone can read specs; Panelist admins, and people they `grant`, can change them. Every change is a new version you can `revert`.',
    ),
  ).withVersion('1.5');
  return cardMessage(card, 'Panelist commands: ' + Object.keys(COMMAND_USAGE).join(', '));
}

export function specListMessage(specs: SpecSummary[]): TeamsMessage {
  if (specs.length === 0) return textMessage('No specs yet. Import one with `npx panelist specs import <file.json>` on the Panelist server.');
  const lines = specs.map((s) => `- \`${s.slug}\` · ${inert(oneLine(s.title, 150))} · v${s.version} · ${s.competencies} competencies`);
  return textMessage(`**${specs.length} spec${specs.length === 1 ? '' : 's'}** · \`show <spec>\` for one\n\n${lines.join('\n')}`);
}
