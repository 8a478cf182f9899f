import type { Competency } from '../domain/spec';
import type { SqlRunner } from './sql-runner';

/** What a digest's message is made from, read in one statement (the delivery worker runs it for every part). */
export interface DigestMessageRow {
  parts: number;
  period_start: Date;
  period_end: Date;
  late: boolean;
  time_zone: string;
  /** a channel with no subscription left, or any private one, shows no candidate names */
  hide_names: boolean;
  /** the specs the channel follows in the schedule's organization, by slug, at their current versions */
  specs: { id: string; slug: string; version: number; title: string; competencies: Competency[] }[];
}

/**
 * $1 digest id. The channel's subscriptions (any organization's) name the specs it follows; only the
 * schedule's organization's specs are shown. A spec whose current version is missing shows its slug.
 */
export const READ_DIGEST_MESSAGE = `
  SELECT d.parts, d.period_start, d.period_end, d.late, s.time_zone,
    NOT coalesce((SELECT bool_and(NOT sub.private) FROM subscription sub
                  WHERE sub.platform = s.platform AND sub.channel_id = s.channel_id), false) AS hide_names,
    (SELECT coalesce(json_agg(json_build_object(
              'id', sp.id, 'slug', sp.slug, 'version', sp.current_version,
              'title', coalesce(v.title, sp.slug), 'competencies', coalesce(v.competencies, '[]'::jsonb))
            ORDER BY sp.slug), '[]'::json)
     FROM spec sp LEFT JOIN spec_version v ON v.spec_id = sp.id AND v.number = sp.current_version
     WHERE sp.organization_id = s.organization_id
       AND EXISTS (SELECT 1 FROM subscription sub
                   WHERE sub.platform = s.platform AND sub.channel_id = s.channel_id
                     AND (sub.scope = $2 OR sub.scope = sp.id::text))) AS specs
  FROM digest d JOIN digest_schedule s ON s.id = d.schedule_id
  WHERE d.id = $1::uuid`;

export async function readDigestMessage(sql: SqlRunner, digestId: string, allSpecsScope: string): Promise<DigestMessageRow | undefined> {
  return (await sql.query<DigestMessageRow>(READ_DIGEST_MESSAGE, [digestId, allSpecsScope]))[0];
}
