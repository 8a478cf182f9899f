import { phrase, type Phrase } from './phrase';
import type { MustHave } from './spec';
import type { MustHaveChange } from './spec-part-commands';

export type MustHaveResult = { ok: true; mustHaves: MustHave[] } | { ok: false; error: Phrase };

/**
 * One one-line must-have change applied to a spec's list. Positions are 1-based, as `/spec show`
 * numbers them; the list's own rules (length, duplicates, how many) are the spec's to check.
 */
export function applyMustHaveChange(list: readonly MustHave[], change: MustHaveChange, slug: string, prefix = '/spec'): MustHaveResult {
  if (change.op === 'add') return { ok: true, mustHaves: [...list, { text: change.text, required: true }] };
  if (change.at > list.length) return { ok: false, error: noSuchMustHave(list.length, change.at, slug, prefix) };
  const index = change.at - 1;
  const next = [...list];
  switch (change.op) {
    case 'edit':
      next[index] = { ...next[index]!, text: change.text };
      break;
    case 'remove':
      next.splice(index, 1);
      break;
    case 'move': {
      if (change.to > list.length) {
        return { ok: false, error: phrase`\`${slug}\` has ${list.length} must-haves; move it to a place from 1 to ${list.length}.` };
      }
      const [moved] = next.splice(index, 1);
      next.splice(change.to - 1, 0, moved!);
      break;
    }
    case 'required':
    case 'nice':
      next[index] = { ...next[index]!, required: change.op === 'required' };
      break;
  }
  return { ok: true, mustHaves: next };
}

function noSuchMustHave(count: number, at: number, slug: string, prefix: string): Phrase {
  if (count === 0) return phrase`\`${slug}\` has no must-haves yet; add one with \`${prefix} musthave add ${slug} <text>\`.`;
  return phrase`\`${slug}\` has ${count} must-have${count === 1 ? '' : 's'}; there is no must-have ${at}. \`${prefix} show ${slug}\` numbers them.`;
}
