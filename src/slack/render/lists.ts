import type { types } from '@slack/bolt';
import { COMMAND_USAGE } from '../../domain/command';
import type { HistoryEntry, SpecSummary } from '../../services/spec-views';
import { clip, escapeMrkdwn, when, who } from './text';

type KnownBlock = types.KnownBlock;

export function renderSpecList(specs: SpecSummary[]): { text: string; blocks: KnownBlock[] } {
  if (specs.length === 0) {
    const text = 'No specs yet. Import one with `npx panelist specs import <file.json>` on the Panelist server.';
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
  }
  const lines = specs.map(
    (spec) => `• \`${spec.slug}\` · ${escapeMrkdwn(spec.title)} · v${spec.version} · ${spec.competencies} competencies`,
  );
  const blocks: KnownBlock[] = chunk(lines, 40).map((group) => ({ type: 'section', text: { type: 'mrkdwn', text: clip(group.join('\n')) } }));
  blocks.unshift({ type: 'section', text: { type: 'mrkdwn', text: `*${specs.length} spec${specs.length === 1 ? '' : 's'}* · \`/spec show <spec>\` for one` } });
  return { text: `${specs.length} specs: ${specs.map((s) => s.slug).join(', ')}`, blocks: blocks.slice(0, 50) };
}

export function renderHistory(history: { slug: string; entries: HistoryEntry[]; total: number }): { text: string; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `*History of \`${history.slug}\`* · ${history.total} version${history.total === 1 ? '' : 's'}, newest first` } },
  ];
  for (const entry of history.entries) {
    const current = entry.number === history.total ? ' _(current)_' : '';
    const note = entry.note ? `\n> ${escapeMrkdwn(entry.note)}` : '';
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clip(`*v${entry.number}*${current} · ${who(entry)} · ${when(entry.createdAt)} · ${entry.source}\n${escapeMrkdwn(entry.changes.join('; '))}${note}`),
      },
    });
  }
  if (history.total > history.entries.length) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `${history.total - history.entries.length} older versions not shown.` }] });
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Undo a change: \`/spec revert ${history.slug} <version>\`` }] });
  const text = history.entries.map((e) => `v${e.number}: ${e.changes.join('; ')}`).join('\n');
  return { text: `History of ${history.slug}\n${text}`, blocks };
}

export function renderHelp(prefix = '/spec'): { text: string; blocks: KnownBlock[] } {
  const lines = Object.values(COMMAND_USAGE).map((usage) => `\`${prefix} ${usage}\``);
  const text =
    `*Panelist* keeps your job specs: competencies and their weights, must-haves, interview settings.\n` +
    `${lines.join('\n')}\n` +
    '`<spec>` is a slug (`senior-backend-payments`) or the start of its id. Weights: `0.3`, `0.30` or `30%`; they must total 1.00.\n' +
    'Everyone can read specs; workspace admins and owners, and people they `grant`, can change them. Every change is a new version you can `revert`.';
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

function chunk<T>(items: T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let index = 0; index < items.length; index += size) groups.push(items.slice(index, index + size));
  return groups;
}
