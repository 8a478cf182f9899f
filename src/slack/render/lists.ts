import { COMMAND_USAGE } from '../../domain/command';
import type { HistoryEntry, SpecSummary } from '../../services/spec-views';
import type { SlackReply as Reply } from './blocks';
import { context, section } from './blocks';
import { code, joinMrkdwn, mrkdwn } from './mrkdwn';
import { when, who } from './text';

export function renderSpecList(specs: SpecSummary[]): Reply {
  if (specs.length === 0) {
    const text = mrkdwn`No specs yet. Import one with ${code('npx panelist specs import <file.json>')} on the Panelist server.`;
    return { text, blocks: [section(text)] };
  }
  const lines = specs.map((spec) => mrkdwn`• ${code(spec.slug)} · ${spec.title} · v${spec.version} · ${spec.competencies} competencies`);
  const blocks = chunk(lines, 40).map((group) => section(joinMrkdwn(group, '\n')));
  blocks.unshift(section(mrkdwn`*${specs.length} spec${specs.length === 1 ? '' : 's'}* · ${code('/spec show <spec>')} for one`));
  return { text: mrkdwn`${specs.length} specs: ${specs.map((s) => s.slug).join(', ')}`, blocks: blocks.slice(0, 50) };
}

export function renderHistory(history: { slug: string; entries: HistoryEntry[]; total: number }): Reply {
  const blocks = [
    section(mrkdwn`*History of ${code(history.slug)}* · ${history.total} version${history.total === 1 ? '' : 's'}, newest first`),
  ];
  for (const entry of history.entries) {
    const current = entry.number === history.total ? mrkdwn` _(current)_` : '';
    const note = entry.note ? mrkdwn`\n> ${entry.note}` : '';
    blocks.push(
      section(
        mrkdwn`*v${entry.number}*${current} · ${who(entry)} · ${when(entry.createdAt)} · ${entry.source}\n${entry.changes.join('; ')}${note}`,
      ),
    );
  }
  if (history.total > history.entries.length) {
    blocks.push(context(mrkdwn`${history.total - history.entries.length} older versions not shown.`));
  }
  blocks.push(context(mrkdwn`Undo a change: ${code(`/spec revert ${history.slug} <version>`)}`));
  const text = history.entries.map((e) => mrkdwn`v${e.number}: ${e.changes.join('; ')}`);
  return { text: mrkdwn`History of ${history.slug}\n${joinMrkdwn(text, '\n')}`, blocks };
}

export function renderHelp(prefix = '/spec'): Reply {
  const lines = joinMrkdwn(
    Object.values(COMMAND_USAGE).map((usage) => code(`${prefix} ${usage}`)),
    '\n',
  );
  const text = mrkdwn`*Panelist* keeps your job specs: competencies and their weights, must-haves, interview settings.
${lines}
${code('<spec>')} is a slug (${code('senior-backend-payments')}) or the start of its id. Weights: ${code('0.3')}, ${code('0.30')} or ${code('30%')}; they must total 1.00.
Everyone can read specs; workspace admins and owners, and people they ${code('grant')}, can change them. Every change is a new version you can ${code('revert')}.`;
  return { text, blocks: [section(text)] };
}

function chunk<T>(items: T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let index = 0; index < items.length; index += size) groups.push(items.slice(index, index + size));
  return groups;
}
