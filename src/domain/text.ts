/**
 * PostgreSQL stores neither U+0000 (in text or JSON) nor an unpaired UTF-16 surrogate (in JSON, and
 * as text it would silently become U+FFFD). Input carrying either is refused where it comes in, with
 * a field to point at, instead of failing deep inside a query.
 */
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What in `value` cannot be stored, in words, or undefined when all of it can. */
export function unstorableCharacter(value: string): string | undefined {
  if (value.includes('\u0000')) return 'a NUL character (U+0000)';
  if (UNPAIRED_SURROGATE.test(value)) return 'a broken character (half of a UTF-16 surrogate pair)';
  return undefined;
}

/** Deeper than this, a JSON document is refused (PostgreSQL's jsonb parser has a stack limit too). */
export const MAX_JSON_DEPTH = 64;

interface PathNode {
  parent: PathNode | undefined;
  key: string | number;
}

/**
 * The first string (or object key) in a JSON value that cannot be stored, and where it is; also
 * nesting deeper than MAX_JSON_DEPTH. Iterative, and paths are only built for the answer, so a
 * megabyte of `[[[[…` costs one pass, not a stack overflow or a path copy per level.
 */
export function findUnstorableText(root: unknown): { path: (string | number)[]; problem: string } | undefined {
  const stack: { value: unknown; at: PathNode | undefined; depth: number }[] = [{ value: root, at: undefined, depth: 0 }];
  while (stack.length > 0) {
    const { value, at, depth } = stack.pop()!;
    if (typeof value === 'string') {
      const problem = unstorableCharacter(value);
      if (problem) return { path: pathOf(at), problem };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) return { path: pathOf(at), problem: `more than ${MAX_JSON_DEPTH} levels of nesting` };
    const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
    // Pushed in reverse so the first field is looked at first, as a reader would.
    for (let i = entries.length - 1; i >= 0; i -= 1) {
      const [key, item] = entries[i]!;
      const node = { parent: at, key };
      const keyProblem = typeof key === 'string' ? unstorableCharacter(key) : undefined;
      if (keyProblem) return { path: pathOf(node), problem: keyProblem };
      stack.push({ value: item, at: node, depth: depth + 1 });
    }
  }
  return undefined;
}

function pathOf(node: PathNode | undefined): (string | number)[] {
  const path: (string | number)[] = [];
  for (let at = node; at; at = at.parent) path.unshift(at.key);
  return path;
}

/** The sentence a user or the platform is given for it. */
export function unstorableMessage(problem: string): string {
  return `It contains ${problem}, which cannot be stored; remove it and send again.`;
}

/** A word from the user, shortened for quoting back: an answer never repeats kilobytes. */
export function quoted(word: string, max = 60): string {
  if (word.length <= max) return word;
  // By code point, so a cut never splits an emoji into half a surrogate pair.
  return `${Array.from(word.slice(0, max * 2))
    .slice(0, max)
    .join('')}…`;
}
