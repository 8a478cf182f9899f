import { isTimeZone, parseTimeOfDay, parseWeekday } from './digest-schedule';
import { nearMatches } from './near';
import { parseWeight } from './weights';
import { joinPhrases, phrase, wordsOnly, type Phrase } from './phrase';
import { quoted, unstorableCharacter } from './text';
import type { BehavioralMode } from './spec';
import {
  editPartOf,
  parseBehavioralCommand,
  parseMustHaveCommand,
  parseQuestionsCommand,
  type EditPart,
  type MustHaveChange,
} from './spec-part-commands';

/**
 * The command grammar shared by Slack's `/spec …` and messages to the Teams bot (DESIGN.md).
 * Pure: text in, a command or a sentence saying what is wrong and what would work, out.
 * Users arrive as `<@ID>` or `<@ID|name>`; the Teams adapter rewrites its mentions to that form.
 */
export type Command =
  | { name: 'help' }
  | { name: 'list' }
  | { name: 'show'; spec: string }
  | { name: 'edit'; spec: string; part: EditPart }
  | { name: 'weights'; spec: string; weights: { competencyId: string; hundredths: number }[] }
  | { name: 'musthave'; spec: string; change: MustHaveChange }
  | { name: 'questions'; spec: string; candidateSees?: number; autoPublish?: boolean }
  | { name: 'behavioral'; spec: string; prompts?: number; mode?: BehavioralMode }
  | { name: 'history'; spec: string }
  | { name: 'revert'; spec: string; version: number }
  | { name: 'grant' | 'revoke'; userId: string; spec: string | 'all' }
  | { name: 'subscribe'; spec: string | 'all'; private: boolean }
  | { name: 'unsubscribe'; spec: string | 'all' }
  | { name: 'subscriptions' }
  | { name: 'digest'; schedule: { weekday: number; minuteOfDay: number; timeZone?: string } | 'off' };

export type CommandParse = { ok: true; command: Command } | { ok: false; error: Phrase };

export const COMMAND_USAGE: Record<Command['name'], string> = {
  help: 'help',
  list: 'list',
  show: 'show <spec>',
  edit: 'edit <spec> [competencies|musthaves|settings]',
  weights: 'weights <spec> <competency>=<weight> …',
  musthave: 'musthave add|edit|remove|move|required|nice <spec> …',
  questions: 'questions <spec> [<1-10>] [autopublish on|off]',
  behavioral: 'behavioral <spec> [<1-10 prompts>] [voice|text]',
  history: 'history <spec>',
  revert: 'revert <spec> <version>',
  grant: 'grant @user <spec|all>',
  revoke: 'revoke @user <spec|all>',
  subscribe: 'subscribe <spec|all> [private]',
  unsubscribe: 'unsubscribe <spec|all>',
  subscriptions: 'subscriptions',
  digest: 'digest <day> <HH:MM> [time zone] | digest off',
};

/**
 * Longer command text is refused before any work is done on it. Slack itself caps slash-command
 * text at about 4,000 characters, and the longest real command (weights for a dozen competencies)
 * is a few hundred; a signed request can still carry megabytes, which must cost nothing.
 */
export const MAX_COMMAND_LENGTH = 4_000;

/** The refusal for text over MAX_COMMAND_LENGTH, in words, or undefined when it fits. */
export function commandTooLong(text: string, prefix = '/spec'): Phrase | undefined {
  if (text.length <= MAX_COMMAND_LENGTH) return undefined;
  return phrase`That command is ${text.length.toLocaleString('en-US')} characters long; a command can be at most ${MAX_COMMAND_LENGTH.toLocaleString('en-US')}. Name a spec by its slug or the start of its id, e.g. \`${prefix} show senior-backend-payments\`; \`${prefix} help\` lists every command.`;
}

/** `/spec show <spec>` as a span, for usage lines and help. */
export function usageOf(command: Command['name'], prefix = '/spec'): Phrase {
  return phrase`\`${prefix} ${COMMAND_USAGE[command]}\``;
}

const SUBCOMMANDS = Object.keys(COMMAND_USAGE) as Command['name'][];
const USER_TOKEN = /^<@([A-Za-z0-9_:.-]+)(?:\|[^>]*)?>$/;

export function parseCommand(text: string, prefix = '/spec'): CommandParse {
  const tooLong = commandTooLong(text, prefix);
  if (tooLong) return { ok: false, error: tooLong };
  const unstorable = unstorableCharacter(text);
  if (unstorable) return { ok: false, error: phrase`The command contains ${unstorable}; type it again without it.` };
  const words = joinAroundEquals(text.trim())
    .split(/[\s,]+/)
    .filter(Boolean);
  const [head, ...args] = words;
  if (!head) return { ok: true, command: { name: 'help' } };
  const name = head.toLowerCase();
  const usage = (command: Command['name']) => phrase`Usage: ${usageOf(command, prefix)}`;
  const fail = (error: Phrase): CommandParse => ({ ok: false, error });

  switch (name) {
    case 'help':
    case 'list':
    case 'subscriptions':
      return { ok: true, command: { name } };
    case 'subscribe': {
      const isPrivate = args[1]?.toLowerCase() === 'private';
      if (args.length === 0 || args.length > 2 || (args.length === 2 && !isPrivate)) {
        return fail(phrase`Which spec (or all)? ${usage('subscribe')}; \`private\` hides candidate names in this channel.`);
      }
      return { ok: true, command: { name, spec: specOrAll(args[0]!), private: isPrivate } };
    }
    case 'digest':
      return parseDigestCommand(args, usage('digest'));
    case 'unsubscribe':
      if (args.length !== 1) return fail(phrase`Which spec (or all)? ${usage('unsubscribe')}`);
      return { ok: true, command: { name, spec: specOrAll(args[0]!) } };
    case 'edit': {
      const part = editPartOf(args[1]);
      if (args.length === 0 || args.length > 2 || !part) {
        return fail(phrase`${args.length === 0 ? 'Which spec?' : 'Edit which part?'} ${usage('edit')}`);
      }
      return { ok: true, command: { name, spec: args[0]!, part } };
    }
    case 'musthave': {
      const parsed = parseMustHaveCommand(text.trim().replace(/^\S+\s*/, ''), usage('musthave'), prefix);
      return parsed.ok ? { ok: true, command: { name, ...parsed.value } } : fail(parsed.error);
    }
    case 'questions': {
      const parsed = parseQuestionsCommand(args, usage('questions'));
      return parsed.ok ? { ok: true, command: { name, ...parsed.value } } : fail(parsed.error);
    }
    case 'behavioral': {
      const parsed = parseBehavioralCommand(args, usage('behavioral'));
      return parsed.ok ? { ok: true, command: { name, ...parsed.value } } : fail(parsed.error);
    }
    case 'show':
    case 'history': {
      if (args.length !== 1) return fail(phrase`${args.length === 0 ? 'Which spec?' : 'Give one spec.'} ${usage(name)}`);
      return { ok: true, command: { name, spec: args[0]! } };
    }
    case 'weights':
      return parseWeightsCommand(args, usage('weights'));
    case 'revert': {
      const version = /^v?(\d{1,9})$/i.exec(args[1] ?? '');
      if (args.length !== 2 || !version)
        return fail(phrase`Which spec and which version number? ${usage('revert')}, e.g. \`${prefix} revert senior-backend-payments 2\``);
      return { ok: true, command: { name: 'revert', spec: args[0]!, version: Number(version[1]) } };
    }
    case 'grant':
    case 'revoke': {
      const user = USER_TOKEN.exec(args[0] ?? '');
      if (args.length !== 2 || !user) return fail(phrase`Mention one user and a spec (or all). ${usage(name)}`);
      return { ok: true, command: { name, userId: user[1]!, spec: specOrAll(args[1]!) } };
    }
    default: {
      const guess = nearMatches(name, SUBCOMMANDS, 1)[0] as Command['name'] | undefined;
      const hint = guess ? phrase`Did you mean ${usageOf(guess, prefix)}? ` : wordsOnly('');
      return fail(phrase`I don't know "${quoted(head)}". ${hint}\`${prefix} help\` lists every command.`);
    }
  }
}

function parseDigestCommand(args: string[], usage: Phrase): CommandParse {
  if (args.length === 1 && args[0]!.toLowerCase() === 'off') return { ok: true, command: { name: 'digest', schedule: 'off' } };
  const [dayWord, timeWord, zone, ...extra] = args;
  if (!dayWord || !timeWord || extra.length > 0) {
    return {
      ok: false,
      error: phrase`When should this channel's weekly digest come? ${usage}, e.g. \`/spec digest monday 09:00 Europe/Berlin\``,
    };
  }
  const weekday = parseWeekday(dayWord);
  if (!weekday) return { ok: false, error: phrase`"${quoted(dayWord)}" is not a day of the week; write monday … sunday (or mon … sun).` };
  const time = parseTimeOfDay(timeWord);
  if (!time.ok) return { ok: false, error: phrase`${time.message}.` };
  if (zone !== undefined && !isTimeZone(zone)) {
    return {
      ok: false,
      error: phrase`"${quoted(zone)}" is not a time zone I know; use an IANA name such as Europe/Berlin, America/New_York or Asia/Kolkata.`,
    };
  }
  return {
    ok: true,
    command: { name: 'digest', schedule: { weekday, minuteOfDay: time.minuteOfDay, ...(zone ? { timeZone: zone } : {}) } },
  };
}

/**
 * `a = 30%` reads as `a=30%`. A scan rather than a regular expression for "spaces, =, spaces",
 * whose backtracking over a long run of spaces without an `=` is quadratic.
 */
function joinAroundEquals(text: string): string {
  const out: string[] = [];
  let skipSpace = false;
  for (const character of text) {
    const space = /\s/.test(character);
    if (space && skipSpace) continue;
    if (character === '=') {
      while (out.length > 0 && /\s/.test(out[out.length - 1]!)) out.pop();
      skipSpace = true;
    } else if (!space) skipSpace = false;
    out.push(character);
  }
  return out.join('');
}

function specOrAll(word: string): string | 'all' {
  return word.toLowerCase() === 'all' ? 'all' : word;
}

const MAX_PROBLEMS_NAMED = 5;

function parseWeightsCommand(args: string[], usage: Phrase): CommandParse {
  const [spec, ...pairs] = args;
  if (!spec || pairs.length === 0) {
    return {
      ok: false,
      error: phrase`Which spec and which weights? ${usage}, e.g. \`financial_systems_design=0.35 fastapi_kafka_systems=5%\``,
    };
  }
  const weights: { competencyId: string; hundredths: number }[] = [];
  const problems: Phrase[] = [];
  for (const pair of pairs) {
    const match = /^([^=]+)=(.+)$/.exec(pair);
    if (!match) {
      problems.push(phrase`"${quoted(pair)}" is not <competency>=<weight>`);
      continue;
    }
    const weight = parseWeight(match[2]!);
    if (!weight.ok) problems.push(phrase`${quoted(match[1]!)}: ${weight.message}`);
    else if (weights.some((w) => w.competencyId === match[1])) problems.push(phrase`${quoted(match[1]!)} is given twice`);
    else weights.push({ competencyId: match[1]!, hundredths: weight.hundredths });
  }
  if (problems.length > 0) {
    // Named up to a few, so the answer stays one readable message (and inside Slack's block limit).
    const named =
      problems.length > MAX_PROBLEMS_NAMED
        ? [...problems.slice(0, MAX_PROBLEMS_NAMED), wordsOnly(`and ${problems.length - MAX_PROBLEMS_NAMED} more`)]
        : problems;
    return { ok: false, error: phrase`${joinPhrases(named, '; ')}. ${usage}` };
  }
  return { ok: true, command: { name: 'weights', spec, weights } };
}
