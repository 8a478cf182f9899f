import { formatThousandths, formatTenths } from '../domain/scoring';
import type { Competency } from '../domain/spec';
import { formatWeight } from '../domain/weights';
import type { Db } from '../store/db';
import type { InterviewResultView } from './interview-views';

/** An interview as a channel sees it: the pinned version's weights, names hidden where private. */
export async function interviewResult(db: Db, interviewId: string, hideName: boolean): Promise<InterviewResultView | undefined> {
  const interview = await db.interview.findUnique({ where: { id: interviewId }, include: { scores: true, spec: true } });
  if (!interview) return undefined;
  const version = await db.specVersion.findUniqueOrThrow({
    where: { specId_number: { specId: interview.specId, number: interview.specVersion } },
  });
  const scores = new Map(interview.scores.map((s) => [s.competencyId, s.scoreTenths]));
  return {
    interviewId,
    spec: { id: interview.specId, slug: interview.spec.slug, title: version.title },
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
