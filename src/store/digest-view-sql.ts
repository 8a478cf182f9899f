import type { Competency } from '../domain/spec';
import { ALL_SPECS_SCOPE } from './scopes';
import type { SqlRunner } from './sql-runner';

/** What a digest's message is made from, read in one statement (the delivery worker reads it with its lease). */
export interface DigestMessageRow {
  parts: number;
  periodStart: Date;
  periodEnd: Date;
  late: boolean;
  timeZone: string;
  /** a channel with no subscription left, or any private one, shows no candidate names */
  hideNames: boolean;
  /** the specs the channel follows in the schedule's organization, by slug, at their current versions */
  specs: { id: string; slug: string; version: number; title: string; competencies: Competency[] }[];
}

/** DigestMessageRow as json carries it: dates as ISO text. */
export type DigestMessageJson = Omit<DigestMessageRow, 'periodStart' | 'periodEnd'> & { periodStart: string; periodEnd: string };

/**
 * The digest message of the digest whose id (text) `idExpression` gives, as json; null when there is no
 * such digest, or the text is not a digest id. The channel's subscriptions (any organization's) name
 * the specs it follows; only the schedule's organization's specs are shown. A spec whose current
 * version is missing shows its slug.
 */
export function digestMessageJson(idExpression: string): string {
  // aliases of their own (dg, ds): the expression may name the caller's `d` and `s`
  return `(SELECT json_build_object(
      'parts', dg.parts, 'periodStart', dg.period_start, 'periodEnd', dg.period_end, 'late', dg.late, 'timeZone', ds.time_zone,
      'hideNames', NOT coalesce((SELECT bool_and(NOT sub.private) FROM subscription sub
                                 WHERE sub.platform = ds.platform AND sub.channel_id = ds.channel_id), false),
      'specs', (SELECT coalesce(json_agg(json_build_object(
                  'id', sp.id, 'slug', sp.slug, 'version', sp.current_version,
                  'title', coalesce(v.title, sp.slug), 'competencies', coalesce(v.competencies, '[]'::jsonb))
                ORDER BY sp.slug), '[]'::json)
         FROM spec sp LEFT JOIN spec_version v ON v.spec_id = sp.id AND v.number = sp.current_version
         WHERE sp.organization_id = ds.organization_id
           AND EXISTS (SELECT 1 FROM subscription sub
                       WHERE sub.platform = ds.platform AND sub.channel_id = ds.channel_id
                         AND (sub.scope = '${ALL_SPECS_SCOPE}' OR sub.scope = sp.id::text))))
    FROM digest dg JOIN digest_schedule ds ON ds.id = dg.schedule_id
    WHERE dg.id = CASE WHEN (${idExpression}) ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN (${idExpression})::uuid END)`;
}

/** $1 digest id. */
export const READ_DIGEST_MESSAGE = `SELECT ${digestMessageJson('$1::text')} AS message`;

export async function readDigestMessage(sql: SqlRunner, digestId: string): Promise<DigestMessageRow | undefined> {
  const message = (await sql.query<{ message: DigestMessageJson | null }>(READ_DIGEST_MESSAGE, [digestId]))[0]?.message;
  return message ? digestMessageRow(message) : undefined;
}

export function digestMessageRow(json: DigestMessageJson): DigestMessageRow {
  return { ...json, periodStart: new Date(json.periodStart), periodEnd: new Date(json.periodEnd) };
}
