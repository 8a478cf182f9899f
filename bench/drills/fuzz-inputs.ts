import { completed, rescored, started, abandoned, DEMO_SPEC_ID } from '../../test/support/interview-events';

/** Random inputs for the fuzz drill: slash command texts, modal field values, webhook bodies. */

export const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
export const chance = (p: number) => Math.random() < p;
const int = (max: number) => Math.floor(Math.random() * max);

const VERBS = [
  'help',
  'list',
  'show',
  'edit',
  'weights',
  'history',
  'revert',
  'grant',
  'revoke',
  'subscribe',
  'unsubscribe',
  'subscriptions',
  'digest',
  'musthave',
  'questions',
  'behavioral',
  'SHOW',
  'Weights',
  '',
  'delete',
  'drop',
];
const SPECS = [
  'senior-backend-payments',
  'senior',
  '58fd',
  '58fd32b5-4151-4e1b-aa1c-ab2538f8b850',
  'all',
  'ALL',
  'nope',
  '-',
  '%',
  '*',
  '..',
  'senior-backend-payments-x',
];
const COMPETENCIES = [
  'financial_systems_design',
  'distributed_systems_reliability',
  'postgres_schema_design',
  'production_ownership',
  'fastapi_kafka_systems',
  'x',
  '',
];
const NUMBERS = [
  '0.3',
  '.3',
  '30%',
  '0.30',
  '1e309',
  '-1e309',
  '1e-400',
  'NaN',
  'Infinity',
  '-0',
  '0x1F',
  '1_000',
  '٣٠%',
  '３０%',
  '0.333',
  '7.5%',
  '100%',
  '101%',
  '-5%',
  '1/3',
  '',
  '%',
  '.',
  '0.',
  '00000000000000000000000000.3',
  '9'.repeat(400),
  '1,5',
  '½',
  '30 %',
  '0.3e0',
];
const UNICODE = [
  'é',
  'ﬁ',
  '👩🏽‍💻',
  '\u202e',
  '\u200b',
  '\u0000',
  '\ud800',
  'Ω',
  'ß',
  '\u0301\u0301\u0301',
  '𝕏',
  '\t',
  '\n',
  '\r\n',
  '"',
  "'",
  '\\',
  '<',
  '>',
  '&amp;',
  '*bold*',
  '_it_',
  '`code`',
  '```',
  '~',
];
const MENTIONS = [
  '<@UDRILL>',
  '<@UMEMBER|bob>',
  '<@U0000000000|x>',
  '<@>',
  '<#C123|hiring>',
  '<!channel>',
  '<!here>',
  '<!subteam^S1|@team>',
  '@bob',
  '<@UDRILL',
  '<mailto:a@b.c|a>',
  '<https://evil.example/|click>',
];
/** Must-have numbers and counts: real, off by one, and not numbers at all. */
const POSITIONS = ['1', '2', '4', '5', '10', '11', '20', '21', '0', '-1', '01', '1.5', '1e3', 'NaN', '٣', '99999999999999999999'];
const SETTING_WORDS = [
  'autopublish',
  'auto-publish',
  'autopublish=on',
  'auto-publish=off',
  'on',
  'off',
  'maybe',
  'voice',
  'text',
  'TEXT',
  'video',
];
const DAYS = ['monday', 'mon', 'Sunday', 'funday', '8', ''];
const TIMES = ['09:00', '9:15', '23:45', '24:00', '09:07', '-1:00', '99:99', '12', 'noon', '09:00:00'];
const ZONES = [
  'Europe/Paris',
  'UTC',
  'America/St_Johns',
  'Asia/Kathmandu',
  'Mars/Phobos',
  'Etc/GMT+14',
  '+05:30',
  'local',
  'America/Argentina/ComodRivadavia',
];

export function randomWord(maxLength = 20): string {
  const kind = int(8);
  if (kind === 0) return pick(UNICODE).repeat(1 + int(5));
  if (kind === 1) return pick(MENTIONS);
  if (kind === 2) return `${pick(COMPETENCIES)}=${pick(NUMBERS)}`;
  if (kind === 3) return pick(NUMBERS);
  if (kind === 4) return pick(SPECS);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789_-=.%@#:/';
  return Array.from({ length: 1 + int(maxLength) }, () => alphabet[int(alphabet.length)]).join('');
}

/** A `/spec` text: a verb (mostly real), then arguments shaped like that verb's or random. */
export function slashText(): string {
  if (chance(0.03))
    return pick(UNICODE)
      .repeat(1 + int(3_000))
      .slice(0, 4_000);
  if (chance(0.03)) return `${pick(VERBS)} ${'x'.repeat(3_900 + int(100))}`;
  // Over the 4,000-character limit (refused in the ack), and a near-miss of a slug at the longest a word is compared.
  if (chance(0.03)) return `${pick(VERBS)} ${pick(SPECS).repeat(1 + int(2_000))}`.slice(0, 4_001 + int(40_000));
  if (chance(0.02)) return `${pick(['show', 'history', 'weights'])} senior-backend-payments-${'y'.repeat(56)}`;
  const verb = pick(VERBS);
  const words: string[] = [verb];
  if (verb === 'weights' || verb === 'Weights') {
    words.push(pick(SPECS));
    for (let i = int(8); i > 0; i -= 1) words.push(chance(0.8) ? `${pick(COMPETENCIES)}=${pick(NUMBERS)}` : randomWord());
  } else if (verb === 'digest') {
    words.push(chance(0.2) ? 'off' : pick(DAYS), pick(TIMES));
    if (chance(0.7)) words.push(pick(ZONES));
  } else if (verb === 'grant' || verb === 'revoke') {
    words.push(pick(MENTIONS), pick(SPECS));
  } else if (verb === 'revert') {
    words.push(pick(SPECS), pick(['1', '0', '-1', 'v1', '99999999999999999999', '1e309', '1.5', 'NaN']));
  } else if (verb === 'musthave') {
    words.push(pick(['add', 'edit', 'remove', 'move', 'required', 'nice', 'ADD', 'delete', '']), pick(SPECS));
    for (let i = int(3); i > 0; i -= 1) words.push(pick(POSITIONS));
    for (let i = int(8); i > 0; i -= 1) words.push(randomWord(40));
    if (chance(0.05)) words.push('m'.repeat(400 + int(200)));
  } else if (verb === 'questions' || verb === 'behavioral') {
    words.push(pick(SPECS));
    for (let i = 1 + int(3); i > 0; i -= 1) words.push(pick([...POSITIONS, ...SETTING_WORDS]));
  } else if (verb === 'edit') {
    words.push(pick(SPECS));
    if (chance(0.6))
      words.push(pick(['musthaves', 'must-haves', 'settings', 'questions', 'behavioral', 'competencies', 'weights', randomWord()]));
  } else if (verb === 'subscribe' || verb === 'unsubscribe') {
    words.push(pick(SPECS));
    if (chance(0.3)) words.push(pick(['private', 'PRIVATE', 'public', randomWord()]));
  } else {
    for (let i = int(4); i > 0; i -= 1) words.push(randomWord());
  }
  const separator = pick([' ', ' ', ' ', '  ', '\t', '\u00a0', '\n']);
  return words.join(separator);
}

/** A value for one modal field: often plausible, sometimes hostile. */
export function modalValue(field: string): string | null {
  if (chance(0.05)) return null;
  if (chance(0.05))
    return pick(UNICODE)
      .repeat(1 + int(3_000))
      .slice(0, 3_000);
  if (field.endsWith(':weight')) return pick(NUMBERS);
  // The settings modal's selects and the must-haves' radio buttons: a tampered client sends anything.
  if (field.endsWith(':required')) return pick(['required', 'nice', '', 'maybe', randomWord()]);
  if (field === 'q:candidate_sees' || field === 'b:prompts') return pick(POSITIONS);
  if (field === 'b:mode') return pick(['voice', 'text', 'video', '', randomWord()]);
  if (field === 'q:auto_publish') return pick(['on', '', 'off', randomWord()]);
  if (field.endsWith(':id')) return pick([...COMPETENCIES, randomWord(), 'Has Spaces', 'UPPER', 'a'.repeat(300), 'ü']);
  if (chance(0.3)) return '';
  return Array.from({ length: 1 + int(6) }, () => randomWord(40)).join(' ');
}

// ---------------------------------------------------------------- webhook bodies

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const WEIRD_VALUES: (() => Json | string)[] = [
  () => null,
  () => true,
  () => 0,
  () => -1,
  () => 100.05,
  () => 1e-7,
  () => Number.MAX_SAFE_INTEGER + 2,
  // PostgreSQL integer's edge (sequence): the largest that fits, and one more
  () => 2_147_483_647,
  () => 2_147_483_648,
  () => '',
  () => pick(UNICODE).repeat(1 + int(50)),
  () => 'x'.repeat(int(200_000)),
  () => [],
  () => ({}),
  () => [1, 'a', null],
  () => ({ nested: { deeper: [{}] } }),
  () => '2026-13-45T99:99:99Z',
  () => '1970-01-01T00:00:00Z',
  () => '+275760-09-13T00:00:00.000Z',
  () => DEMO_SPEC_ID,
  () => '00000000-0000-0000-0000-000000000000',
];
/** Raw JSON number literals JSON.stringify cannot produce (1e309 parses to Infinity). */
const RAW_NUMBERS = ['1e309', '-1e309', '1e-400', '123456789012345678901234567890', '-0', '0.1e1', '1E2'];

function randomEvent(): Record<string, Json> {
  const interviewId = `int_fuzz_${int(300)}`;
  const options = { interviewId, sequence: 1 + int(10), id: chance(0.1) ? `evt_fuzz_${int(50)}` : undefined };
  const make = pick([completed, completed, rescored, started, abandoned]);
  return JSON.parse(JSON.stringify(make(options))) as Record<string, Json>;
}

/** Every path (as keys) in a JSON value. */
function paths(value: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      paths(item, [...prefix, i], out);
    });
  } else if (value && typeof value === 'object') for (const key of Object.keys(value)) paths(value[key]!, [...prefix, key], out);
  return out;
}

function mutate(event: Record<string, Json>): { body: Json; placeholders: Map<string, string> } {
  const placeholders = new Map<string, string>();
  const all = paths(event).filter((p) => p.length > 0);
  for (let n = 1 + int(3); n > 0; n -= 1) {
    const path = pick(all);
    let parent: Json = event;
    for (const key of path.slice(0, -1)) {
      if (!parent || typeof parent !== 'object') break;
      parent = (parent as Record<string, Json>)[key as string] ?? null;
    }
    if (!parent || typeof parent !== 'object') continue;
    const last = path[path.length - 1]!;
    const action = int(4);
    if (action === 0) delete (parent as Record<string, Json>)[last as string];
    else if (action === 1 && chance(0.5)) {
      const marker = `__RAW_${placeholders.size}__`;
      placeholders.set(marker, pick(RAW_NUMBERS));
      (parent as Record<string, Json>)[last as string] = marker;
    } else (parent as Record<string, Json>)[last as string] = pick(WEIRD_VALUES)() as Json;
    if (action === 3) (parent as Record<string, Json>)[randomWord()] = pick(WEIRD_VALUES)() as Json;
  }
  return { body: event, placeholders };
}

function deepNesting(depth: number): string {
  return `{"id":"evt_deep","type":"interview.completed","data":${'['.repeat(depth)}${']'.repeat(depth)}}`;
}

/** A webhook body: valid, mutated, deeply nested, non-JSON, or invalid UTF-8. */
export function webhookBody(): Buffer {
  const kind = int(20);
  if (kind === 0) return Buffer.from(deepNesting(1 + int(100_000)));
  if (kind === 1)
    return Buffer.concat([Buffer.from('{"id":"evt_'), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from('","type":"interview.started"}')]);
  if (kind === 2) return Buffer.from(JSON.stringify(randomEvent()).slice(0, int(200)));
  if (kind === 3)
    return Buffer.from(pick(['', 'null', '[]', '"x"', '1e309', '{}', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{}}}']));
  if (kind === 4) return Buffer.from(JSON.stringify(randomEvent()));
  if (kind === 5) {
    const event = randomEvent() as { data: { scores?: Json } };
    event.data.scores = Array.from({ length: int(5_000) }, (_, i) => ({ competency_id: `c${i}`, score: int(101) }));
    return Buffer.from(JSON.stringify(event));
  }
  const { body, placeholders } = mutate(randomEvent());
  let text = JSON.stringify(body);
  for (const [marker, raw] of placeholders) text = text.replace(`"${marker}"`, raw);
  return Buffer.from(text);
}
