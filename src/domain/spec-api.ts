import { createHash } from 'node:crypto';
import type { SpecContent } from './spec';
import { type PublishedSpecDocument, publishedDocument } from './spec-file';

/**
 * What the pull API answers for one version (docs/spec-api.md), the same `data` the outbound
 * webhook sends: the platform's document, and who made the version, when and why.
 */
export interface PublishedVersion {
  spec: PublishedSpecDocument;
  version: { number: number; author: string; note: string | null; created_at: string };
}

export interface VersionAuthorship {
  number: number;
  authorPlatform: string;
  authorId: string;
  authorName: string | null;
  note: string | null;
  createdAt: Date;
}

export function publishedVersion(spec: { id: string; slug: string }, version: VersionAuthorship, content: SpecContent): PublishedVersion {
  return {
    spec: publishedDocument(spec, version.number, content),
    version: {
      number: version.number,
      author: version.authorName ?? `${version.authorPlatform}:${version.authorId}`,
      note: version.note,
      created_at: version.createdAt.toISOString(),
    },
  };
}

/**
 * A version's entity tag. Its content never changes, but the document carries the spec's slug,
 * which an import can rename without a new version: the slug is part of the tag, so a renamed spec
 * is a new representation. Everything in it is on the spec row, so a 304 needs no version read.
 */
export function specEntityTag(spec: { id: string; slug: string }, number: number): string {
  return `"${spec.id}.v${number}.${spec.slug}"`;
}

/**
 * A page of the list's tag: what is on it (each spec's tag) and where the next page starts. Any
 * change to a listed document or to the page's extent gives another tag.
 */
export function specPageEntityTag(entityTags: string[], next: string | null): string {
  const digest = createHash('sha256')
    .update(`${entityTags.join(',')}|${next ?? ''}`)
    .digest('base64url')
    .slice(0, 27);
  return `"page.${digest}"`;
}

/** RFC 9110 §13.1.2: `*`, or a list of tags compared weakly (a `W/` prefix is ignored). */
export function ifNoneMatchHits(header: string | undefined, entityTag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === entityTag);
}

/** Where a page of the list ends: the last spec's (updated_at, id), the order the list is read in. */
export interface SpecCursor {
  updatedAt: Date;
  id: string;
}

const CURSOR_TEXT = /^(\d{1,16})\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
/** The last millisecond a JavaScript Date can hold */
const MAX_TIME_MS = 8.64e15;

/** Opaque to the client (base64url), so its layout can change without breaking anyone. */
export function encodeSpecCursor(cursor: SpecCursor): string {
  return Buffer.from(`${cursor.updatedAt.getTime()}.${cursor.id}`, 'utf8').toString('base64url');
}

/** The cursor a page handed out, or undefined for anything else. */
export function decodeSpecCursor(text: string): SpecCursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(text)) return undefined;
  const match = CURSOR_TEXT.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (!match) return undefined;
  const ms = Number(match[1]);
  if (ms > MAX_TIME_MS) return undefined;
  return { updatedAt: new Date(ms), id: match[2]! };
}
