import type { PublishedSpecDocument } from '../domain/spec-file';
import type { PublishedVersion } from '../services/spec-publication';

/**
 * The body Panelist POSTs to the interview platform for each new spec version
 * (docs/spec-webhook.md). Its shape mirrors the platform's own events to Panelist: an id to
 * dedupe on, a type, when it happened, and the data.
 */
export const SPEC_VERSION_PUBLISHED = 'spec.version.published';

export interface SpecVersionEvent {
  /** the delivery's id: the same for every attempt at this version, retries by an operator included */
  id: string;
  type: typeof SPEC_VERSION_PUBLISHED;
  /** when the version was saved */
  occurred_at: string;
  data: {
    spec: PublishedSpecDocument;
    version: { number: number; author: string; note: string | null; created_at: string };
  };
}

export function specVersionEvent(eventId: string, published: PublishedVersion): SpecVersionEvent {
  const createdAt = published.version.createdAt.toISOString();
  return {
    id: eventId,
    type: SPEC_VERSION_PUBLISHED,
    occurred_at: createdAt,
    data: {
      spec: published.spec,
      version: { number: published.version.number, author: published.version.author, note: published.version.note, created_at: createdAt },
    },
  };
}
