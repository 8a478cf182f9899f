import type { BehavioralRound, Competency, InterviewQuestionSettings, MustHave, SpecContent } from '../domain/spec';
import type { Db, Tx } from './db';
import type { SpecVersion } from './generated/prisma/client';

/** JSON columns back into domain types; the migration's CHECKs and the domain guard what goes in. */
export function versionContent(version: SpecVersion): SpecContent {
  return {
    title: version.title,
    level: version.level,
    competencies: version.competencies as unknown as Competency[],
    mustHaves: version.mustHaves as unknown as MustHave[],
    interviewQuestions: version.interviewQuestions as unknown as InterviewQuestionSettings,
    behavioralRound: version.behavioralRound as unknown as BehavioralRound,
  };
}

export function contentColumns(content: SpecContent) {
  return {
    title: content.title,
    level: content.level,
    competencies: content.competencies.map(({ id, name, definition, weight }) => ({ id, name, definition, weight })),
    mustHaves: content.mustHaves.map(({ text, required }) => ({ text, required })),
    interviewQuestions: { ...content.interviewQuestions },
    behavioralRound: { ...content.behavioralRound },
  };
}

/** Ids of the organization's specs that start with `prefix` (lower-case hex and dashes), at most `limit`. */
export async function specIdsStartingWith(db: Db | Tx, organizationId: string, prefix: string, limit: number): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT id FROM spec WHERE organization_id = ${organizationId}::uuid AND id::text LIKE ${`${prefix}%`} LIMIT ${limit}`;
  return rows.map((row) => row.id);
}
