import { formatThousandths, formatTenths } from '../domain/scoring';
import type { Competency } from '../domain/spec';
import { formatWeight } from '../domain/weights';
import type { InterviewResultJson } from '../store/delivery-sql';
import type { InterviewResultView } from './interview-views';

/**
 * An interview as a channel sees it: the pinned version's weights, names hidden where private.
 * The row comes with the delivery's lease (src/store/delivery-sql.ts), because every delivery renders it.
 */
export function interviewResultView(interviewId: string, row: InterviewResultJson, hideName: boolean): InterviewResultView {
  const scores = new Map(row.scores);
  const completedAt = row.completedAt === null ? null : new Date(row.completedAt);
  return {
    interviewId,
    spec: { id: row.specId, slug: row.slug, title: row.title },
    version: row.specVersion,
    candidateName: hideName ? null : row.candidateName,
    status: row.status as InterviewResultView['status'],
    overall: row.overallMilli === null ? null : formatThousandths(row.overallMilli),
    competencies: (row.competencies as Competency[]).map((c) => {
      const score = scores.get(c.id);
      return {
        id: c.id,
        name: c.name,
        weight: formatWeight(c.weight),
        score: score === undefined ? null : formatTenths(score),
        scoreValue: score === undefined ? null : score / 10,
      };
    }),
    reportUrl: row.reportUrl,
    completedAt,
    rescored: row.rescored,
  };
}
