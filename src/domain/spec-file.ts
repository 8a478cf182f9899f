import { z } from 'zod';
import type { FieldIssue } from './errors';
import { SLUG_PATTERN, type SpecContent } from './spec';
import { formatWeight, parseWeight } from './weights';

/**
 * The interview platform's spec document (fixtures/payments-platform-spec.json): what
 * `panelist specs import` and the demo seed read. livePerformance is ignored: Panelist computes it.
 */
const weightText = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const parsed = parseWeight(String(value));
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.message });
    return z.NEVER;
  }
  return parsed.hundredths;
});

export const specDocumentSchema = z.object({
  id: z.uuid({ message: 'must be a UUID' }),
  slug: z.string().regex(SLUG_PATTERN, 'lowercase letters, digits and dashes, e.g. senior-backend-payments'),
  title: z.string().min(1),
  level: z.string().nullish(),
  version: z.string().nullish(),
  competencies: z
    .array(
      z.object({
        id: z.string(),
        name: z.string(),
        weight: weightText,
        definition: z.string().default(''),
      }),
    )
    .min(1),
  mustHaves: z.array(z.object({ text: z.string(), required: z.boolean().default(true) })).default([]),
  interviewQuestions: z
    .object({ source: z.string(), autoPublish: z.boolean(), candidateSees: z.number().int().min(0) })
    .default({ source: 'ai-generated', autoPublish: false, candidateSees: 3 }),
  behavioralRound: z
    .object({ round: z.number().int().min(1), mode: z.string(), prompts: z.number().int().min(0), interviewer: z.string() })
    .default({ round: 2, mode: 'voice', prompts: 4, interviewer: 'Cal' }),
});

export type SpecDocument = z.infer<typeof specDocumentSchema>;

export type SpecDocumentParse = { ok: true; document: SpecDocument; content: SpecContent } | { ok: false; issues: FieldIssue[] };

export function parseSpecDocument(input: unknown): SpecDocumentParse {
  const parsed = specDocumentSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({
        path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
        // zod says "expected string, received undefined" for a field that is simply not there
        message: issue.code === 'invalid_type' && issue.message.endsWith('received undefined') ? 'is missing' : issue.message,
      })),
    };
  }
  const document = parsed.data;
  return { ok: true, document, content: documentContent(document) };
}

function documentContent(document: SpecDocument): SpecContent {
  return {
    title: document.title,
    level: document.level ?? null,
    competencies: document.competencies.map((c) => ({ id: c.id, name: c.name, definition: c.definition, weight: c.weight })),
    mustHaves: document.mustHaves,
    interviewQuestions: document.interviewQuestions,
    behavioralRound: document.behavioralRound,
  };
}

/**
 * A version as the platform reads it (the outbound webhook and the pull API): the fixture's shape,
 * weights as two-decimal strings, `version` as Panelist's label ("v3"). livePerformance is left
 * out: it is not part of a version, and the platform counts its own interviews.
 */
export interface PublishedSpecDocument {
  id: string;
  slug: string;
  title: string;
  level: string | null;
  version: string;
  competencies: { id: string; name: string; weight: string; definition: string }[];
  mustHaves: { text: string; required: boolean }[];
  interviewQuestions: { source: string; autoPublish: boolean; candidateSees: number };
  behavioralRound: { round: number; mode: string; prompts: number; interviewer: string };
}

export function publishedDocument(spec: { id: string; slug: string }, number: number, content: SpecContent): PublishedSpecDocument {
  const { source, autoPublish, candidateSees } = content.interviewQuestions;
  const { round, mode, prompts, interviewer } = content.behavioralRound;
  return {
    id: spec.id,
    slug: spec.slug,
    title: content.title,
    level: content.level,
    version: `v${number}`,
    competencies: content.competencies.map((c) => ({ id: c.id, name: c.name, weight: formatWeight(c.weight), definition: c.definition })),
    mustHaves: content.mustHaves.map((m) => ({ text: m.text, required: m.required })),
    interviewQuestions: { source, autoPublish, candidateSees },
    behavioralRound: { round, mode, prompts, interviewer },
  };
}
