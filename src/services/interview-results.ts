import { formatThousandths, formatTenths } from '../domain/scoring';
import type { Competency } from '../domain/spec';
import { formatWeight } from '../domain/weights';
import type { Db } from '../store/db';
import type { InterviewResultView } from './interview-views';

interface ResultRow {
  specId: string;
  specVersion: number;
  slug: string;
  title: string;
  competencies: unknown;
  candidateName: string | null;
  status: string;
  overallMilli: number | null;
  reportUrl: string | null;
  completedAt: Date | null;
  rescored: boolean;
  scores: [string, number][];
}

/**
 * An interview as a channel sees it: the pinned version's weights, names hidden where private.
 * One query, because every delivery renders it.
 */
export async function interviewResult(db: Db, interviewId: string, hideName: boolean): Promise<InterviewResultView | undefined> {
  const [interview] = await db.$queryRaw<ResultRow[]>`
    SELECT i.spec_id AS "specId", i.spec_version AS "specVersion", s.slug, v.title, v.competencies,
           i.candidate_name AS "candidateName", i.status, i.overall_milli AS "overallMilli",
           i.report_url AS "reportUrl", i.completed_at AS "completedAt", i.rescored,
           coalesce((SELECT json_agg(json_build_array(sc.competency_id, sc.score_tenths))
                     FROM interview_score sc WHERE sc.interview_id = i.id), '[]'::json) AS scores
    FROM interview i
    JOIN spec s ON s.id = i.spec_id
    JOIN spec_version v ON v.spec_id = i.spec_id AND v.number = i.spec_version
    WHERE i.id = ${interviewId}`;
  if (!interview) return undefined;
  const version = { title: interview.title, competencies: interview.competencies };
  const scores = new Map(interview.scores);
  return {
    interviewId,
    spec: { id: interview.specId, slug: interview.slug, title: version.title },
    version: interview.specVersion,
    candidateName: hideName ? null : interview.candidateName,
    status: interview.status as InterviewResultView['status'],
    overall: interview.overallMilli === null ? null : formatThousandths(interview.overallMilli),
    competencies: (version.competencies as unknown as Competency[]).map((c) => {
      const score = scores.get(c.id);
      return {
        id: c.id,
        name: c.name,
        weight: formatWeight(c.weight),
        score: score === undefined ? null : formatTenths(score),
        scoreValue: score === undefined ? null : score / 10,
      };
    }),
    reportUrl: interview.reportUrl,
    completedAt: interview.completedAt,
    rescored: interview.rescored,
  };
}
