/**
 * A Teams message as the command grammar (src/domain/command.ts) reads it. Teams writes a mention
 * as `<at>Name</at>` in the text plus a `mention` entity naming who it is. The bot's own mention
 * is the way to address it in a channel and is dropped; every other mention becomes `<@AADObjectId>`
 * so `grant @user …` parses exactly as in Slack. Pure, apart from `resolve`, which finds a
 * mentioned user's AAD object id when the entity does not carry it (the roster API does).
 */
export interface MentionEntity {
  type: string;
  text?: string;
  mentioned?: { id: string; name?: string; aadObjectId?: string; role?: string; type?: string };
}

export interface CommandText {
  text: string;
  /** AAD object id → display name, for answers ("Bob can now edit …") */
  names: Map<string, string>;
}

export async function commandText(
  raw: string,
  entities: readonly MentionEntity[] | undefined,
  botId: string,
  resolve: (mentionedId: string) => Promise<string | undefined>,
): Promise<CommandText> {
  let text = raw ?? '';
  const names = new Map<string, string>();
  for (const entity of entities ?? []) {
    if (entity.type !== 'mention' || !entity.mentioned) continue;
    const tag = entity.text ?? `<at>${entity.mentioned.name ?? ''}</at>`;
    if (sameBot(entity.mentioned.id, botId)) {
      text = text.split(tag).join(' ');
      continue;
    }
    // Tags, channels and teams can be mentioned too; they are not users and cannot be granted.
    if (entity.mentioned.type && entity.mentioned.type !== 'person') continue;
    const aad = entity.mentioned.aadObjectId ?? (await resolve(entity.mentioned.id)) ?? entity.mentioned.id;
    names.set(aad, entity.mentioned.name ?? aad);
    text = text.split(tag).join(` <@${aad}> `);
  }
  // Any <at> left is the bot's, written without an entity (older clients), or unresolvable.
  text = text.replace(/<at>[^<]*<\/at>/gi, ' ');
  return { text: plainText(text), names };
}

/**
 * Whether a channel or group-chat message is written to Panelist: it mentions the bot (or, from an
 * older client, carries an `<at>` tag and no mention entities at all). With the manifest's
 * resource-specific consent Teams delivers every message of those conversations to the bot, and
 * only these are commands.
 */
export function addressesBot(raw: string | undefined, entities: readonly MentionEntity[] | undefined, botId: string): boolean {
  const mentions = (entities ?? []).filter((entity) => entity.type === 'mention' && entity.mentioned);
  if (mentions.some((entity) => sameBot(entity.mentioned!.id, botId))) return true;
  return mentions.length === 0 && /<at>[^<]*<\/at>/i.test(raw ?? '');
}

/**
 * Teams may send HTML (`<p>`, `&nbsp;`); commands are words. Keeps our `<@id>` tokens. A tag ends
 * at the next `<` too: `[^>]*` alone would rescan to the end from every `<` of a text of many.
 */
export function plainText(html: string): string {
  return html
    .replace(/<(?!@)[^<>]*>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&lt;/gi, '<')
    .replace(/&gt;/gi, '>')
    .replace(/&quot;/gi, '"')
    .replace(/&#39;/gi, "'")
    .replace(/&amp;/gi, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The bot is `28:<app id>` in activities; mentions sometimes carry the bare app id. */
export function sameBot(id: string, botId: string): boolean {
  const bare = (value: string) => value.replace(/^28:/, '');
  return bare(id) === bare(botId);
}
