import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DEMO_SPEC_FILE } from '../../src/app';
import type { FakeMember, SentActivity } from './fake-bot-connector';
import { importSpec } from './hostile';
import { OWNER, type TeamsHarness } from './teams-harness';

/**
 * Reading the edit card as Teams shows it and pressing its buttons as Teams would: an
 * Action.Execute sends the action's `data` with every input's current value (unless the action
 * says `associatedInputs: none`), and the invoke's answer is the card that takes its place.
 */
export type Card = { type: string; body: unknown[]; actions?: CardAction[] };
export type CardAction = {
  type: string;
  title: string;
  verb: string;
  data: Record<string, unknown>;
  associatedInputs?: string;
};
export type Answer = { status: number; card?: Card; message?: string };

export const cardOf = (activity: SentActivity) => (activity.body.attachments as { content: Card }[])[0]!.content;

/** Every node of a card, depth first, in the order Teams shows them. */
function nodes(card: Card): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    found.push(node as Record<string, unknown>);
    Object.values(node).forEach(walk);
  };
  walk(card.body);
  walk(card.actions ?? []);
  return found;
}

/** Every input's current value by id, in card order, as an Action.Execute sends them back. */
export function inputs(card: Card): Record<string, string> {
  const values: Record<string, string> = {};
  for (const n of nodes(card)) {
    if (typeof n.type === 'string' && n.type.startsWith('Input.') && typeof n.id === 'string') {
      // A toggle that was never set reads as its "off" value, as Teams sends it.
      values[n.id] = String(n.value ?? (n.type === 'Input.Toggle' ? (n.valueOff ?? 'false') : ''));
    }
  }
  return values;
}

export function actions(card: Card): CardAction[] {
  return nodes(card).filter((n) => n.type === 'Action.Execute') as unknown as CardAction[];
}

/** The one action that `matches` (by title, or any test on it); fails when there is none or more. */
export function actionOf(card: Card, matches: string | ((action: CardAction) => boolean)): CardAction {
  const test = typeof matches === 'string' ? (a: CardAction) => a.title === matches : matches;
  const found = actions(card).filter(test);
  if (found.length !== 1) throw new Error(`expected one action matching ${String(matches)}, found ${found.length}`);
  return found[0]!;
}

/** Presses an action with the card's inputs as they are, after `typed` changes. */
export async function press(
  h: TeamsHarness,
  card: Card,
  action: CardAction | string,
  typed: Record<string, unknown> = {},
  from: FakeMember = OWNER,
): Promise<Answer> {
  const chosen = typeof action === 'string' ? actionOf(card, action) : action;
  const sent = chosen.associatedInputs === 'none' ? {} : { ...inputs(card), ...typed };
  return invoke(h, chosen.verb, { ...chosen.data, ...sent }, from);
}

/** An Action.Execute with exactly this data, as a changed client could send it. */
export async function invoke(h: TeamsHarness, verb: string, data: Record<string, unknown>, from: FakeMember = OWNER): Promise<Answer> {
  const answer = await h.cardAction(verb, data, from);
  const body = answer.body as { type?: string; value?: unknown } | undefined;
  if (body?.type === 'application/vnd.microsoft.card.adaptive') return { status: answer.status, card: body.value as Card };
  return { status: answer.status, message: typeof body?.value === 'string' ? body.value : undefined };
}

/** The card an answer shows; fails the test with the answer's message when there is none. */
export function shown(answer: Answer): Card {
  if (!answer.card) throw new Error(`expected a card, got ${answer.status}: ${answer.message}`);
  return answer.card;
}

/** Every TextBlock's text, in card order. */
export function texts(card: Card): string[] {
  return nodes(card)
    .filter((n) => n.type === 'TextBlock')
    .map((n) => String(n.text));
}

/** The error shown right under an input (the TextBlock after it, in Attention colour), or undefined. */
export function errorUnder(card: Card, inputId: string): string | undefined {
  for (const n of [card as unknown as Record<string, unknown>, ...nodes(card)]) {
    for (const list of Object.values(n).filter(Array.isArray) as unknown[][]) {
      const at = list.findIndex((item) => (item as { id?: string })?.id === inputId);
      if (at === -1) continue;
      const next = list[at + 1] as { type?: string; color?: string; text?: string } | undefined;
      return next?.type === 'TextBlock' && next.color === 'Attention' ? next.text : undefined;
    }
  }
  throw new Error(`no input ${inputId} in the card`);
}

/** Every error the card shows, wherever it is. */
export function errors(card: Card): string[] {
  return nodes(card)
    .filter((n) => n.type === 'TextBlock' && n.color === 'Attention')
    .map((n) => String(n.text));
}

/** The form-level error: the Attention TextBlock before the first input. */
export function formError(card: Card): string | undefined {
  const all = nodes(card);
  const firstInput = all.findIndex((n) => typeof n.type === 'string' && n.type.startsWith('Input.'));
  const error = all.slice(0, firstInput).find((n) => n.type === 'TextBlock' && n.color === 'Attention');
  return error ? String(error.text) : undefined;
}

/** The demo spec's document, as `specs import` reads it. */
export const DEMO_SPEC = JSON.parse(readFileSync(DEMO_SPEC_FILE, 'utf8')) as {
  mustHaves: { text: string; required: boolean }[];
} & Record<string, unknown>;

/** A spec of a test's own (the demo spec under another slug and id), so each test starts at v1. */
export async function importDemoSpec(h: TeamsHarness, slug: string): Promise<string> {
  await importSpec(h.database.url, { ...DEMO_SPEC, id: randomUUID(), slug });
  return slug;
}
