/**
 * Every string a chat payload shows, with how the platform reads it, for the hostile-text tests:
 * Slack reads `mrkdwn` texts and a message's top-level `text` as markup and shows `plain_text` as
 * written; Teams reads TextBlocks, Fact titles and values and a markdown message's text as markdown,
 * and a summary is one plain line.
 */
export type TextKind = 'markup' | 'plain';

export interface FoundText {
  /** where in the payload, e.g. `blocks[2].text.text` */
  path: string;
  kind: TextKind;
  text: string;
}

/** Slack: a message (text + blocks), a response_url body, an ack body, or a view. */
export function slackTexts(payload: Record<string, unknown>): FoundText[] {
  const found: FoundText[] = [];
  if (typeof payload.text === 'string') found.push({ path: 'text', kind: 'markup', text: payload.text });
  walkObjects(payload.blocks ?? [], 'blocks', (object, path) => {
    if ((object.type === 'mrkdwn' || object.type === 'plain_text') && typeof object.text === 'string') {
      found.push({ path: `${path}.text`, kind: object.type === 'mrkdwn' ? 'markup' : 'plain', text: object.text });
      return [];
    }
    return Object.keys(object);
  });
  return found;
}

/** Teams: an activity as the Bot Connector received it (text, summary, card attachments), or a card alone. */
export function teamsTexts(activity: Record<string, unknown>): FoundText[] {
  const found: FoundText[] = [];
  if (typeof activity.text === 'string') found.push({ path: 'text', kind: 'markup', text: activity.text });
  if (typeof activity.summary === 'string') found.push({ path: 'summary', kind: 'plain', text: activity.summary });
  walkObjects(
    activity.attachments ?? (activity.type === 'AdaptiveCard' ? activity : []),
    activity.attachments ? 'attachments' : 'card',
    (object, path) => {
      if (object.type === 'TextBlock' && typeof object.text === 'string')
        found.push({ path: `${path}.text`, kind: 'markup', text: object.text });
      if (object.type === 'FactSet' && Array.isArray(object.facts)) {
        (object.facts as { title: string; value: string }[]).forEach((fact, index) => {
          found.push({ path: `${path}.facts[${index}].title`, kind: 'markup', text: fact.title });
          found.push({ path: `${path}.facts[${index}].value`, kind: 'markup', text: fact.value });
        });
      }
      if (typeof object.type === 'string' && object.type.startsWith('Action.') && typeof object.title === 'string') {
        found.push({ path: `${path}.title`, kind: 'plain', text: object.title });
      }
      return Object.keys(object).filter((key) => key !== 'facts');
    },
  );
  return found;
}

/** The found texts that contain `needle`, as `path: text` lines for a readable failure. */
export function containing(found: FoundText[], needle: string | RegExp): string[] {
  return found
    .filter((f) => (typeof needle === 'string' ? f.text.includes(needle) : needle.test(f.text)))
    .map((f) => `${f.path} (${f.kind}): ${f.text.slice(0, 300)}`);
}

/**
 * Visits every object under `root` (arrays walked through, with their paths); `visit` returns the
 * keys to go on into, so a text once found is not walked again.
 */
function walkObjects(root: unknown, rootPath: string, visit: (object: Record<string, unknown>, path: string) => string[]): void {
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) walk(item, `${path}[${index}]`);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const object = node as Record<string, unknown>;
    for (const key of visit(object, path)) walk(object[key], `${path}.${key}`);
  };
  walk(root, rootPath);
}
