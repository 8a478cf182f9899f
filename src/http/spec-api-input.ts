import { z } from 'zod';
import { API_KEY_PATTERN } from '../domain/api-key';
import { decodeSpecCursor, type SpecCursor } from '../domain/spec-api';
import { type ApiRefusal, badRequest, CREATE_KEY_HINT, unauthorized } from './api-answers';

/** The pull API's request parts, each checked with words for whoever sent it wrong (docs/spec-api.md). */

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;

type Parsed<T> = { ok: true; value: T } | { ok: false; refusal: ApiRefusal };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const refused = <T>(refusal: ApiRefusal): Parsed<T> => ({ ok: false, refusal });

/** `Authorization: Bearer pnl_…`; the key is never echoed back, in part or whole. */
export function bearerKey(header: string | undefined): Parsed<string> {
  if (!header) {
    return refused(unauthorized(`This API needs a Panelist API key, sent as "Authorization: Bearer <key>". ${CREATE_KEY_HINT}`, false));
  }
  const match = /^Bearer +(\S+) *$/i.exec(header);
  if (!match || !API_KEY_PATTERN.test(match[1]!)) {
    return refused(
      unauthorized(
        `The Authorization header is not "Bearer <key>" with a Panelist API key (pnl_ followed by 43 letters, digits, - or _). Send the key exactly as it was printed. ${CREATE_KEY_HINT}`,
        true,
      ),
    );
  }
  return ok(match[1]!);
}

// Any UUID PostgreSQL's uuid type reads in its canonical form; z.uuid() would refuse some that exist (non-RFC variants).
const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function specIdParam(text: string): Parsed<string> {
  if (UUID_TEXT.test(text)) return ok(text.toLowerCase());
  return refused(
    badRequest(
      `"${clip(text)}" is not a spec id: a spec is named by its UUID, e.g. /api/v1/specs/58fd32b5-4151-4e1b-aa1c-ab2538f8b850 (the list at /api/v1/specs gives every id).`,
    ),
  );
}

/** The largest version number the database holds (a 4-byte integer). */
const MAX_VERSION_NUMBER = 2_147_483_647;

/** `3` or `v3` (the document's label); versions are numbered from 1. */
export function versionParam(text: string): Parsed<number> {
  const match = /^v?(\d{1,10})$/i.exec(text);
  const number = match ? Number(match[1]) : 0;
  if (number >= 1 && number <= MAX_VERSION_NUMBER) return ok(number);
  return refused(
    badRequest(
      `"${clip(text)}" is not a version number: versions are whole numbers from 1 (v1, the first) to ${MAX_VERSION_NUMBER}, e.g. /versions/3.`,
    ),
  );
}

const isoTime = z.iso.datetime({ offset: true });

export interface ListQuery {
  updatedSince?: Date;
  after?: SpecCursor;
  limit: number;
}

export function listQuery(query: Record<string, unknown>): Parsed<ListQuery> {
  for (const name of ['updated_since', 'limit', 'cursor']) {
    if (Array.isArray(query[name])) return refused(badRequest(`${name} is given more than once; give it once.`));
  }
  const { updated_since: since, limit, cursor } = query as Record<string, string | undefined>;
  let updatedSince: Date | undefined;
  if (since !== undefined) {
    const time = isoTime.safeParse(since).success ? new Date(since) : undefined;
    if (!time || Number.isNaN(time.getTime())) {
      return refused(
        badRequest(
          `updated_since "${clip(since)}" is not a time: write ISO 8601 with a zone, e.g. 2026-11-23T09:00:00Z (in a URL, + as %2B).`,
        ),
      );
    }
    // Nothing in Panelist predates 1970; an earlier time (year 0000, which PostgreSQL cannot hold) means everything.
    updatedSince = time.getTime() > 0 ? time : undefined;
  }
  let pageSize = DEFAULT_PAGE_SIZE;
  if (limit !== undefined) {
    pageSize = /^\d{1,4}$/.test(limit) ? Number(limit) : 0;
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      return refused(
        badRequest(
          `limit "${clip(limit)}" is not a page size: give a whole number from 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).`,
        ),
      );
    }
  }
  let after: SpecCursor | undefined;
  if (cursor !== undefined) {
    after = decodeSpecCursor(cursor);
    if (!after) {
      return refused(
        badRequest(
          'cursor is not one this API handed out: pass the "next" of the previous page exactly as it came, or leave cursor out to start over.',
        ),
      );
    }
  }
  return ok({ updatedSince, after, limit: pageSize });
}

/** A client's text, shortened, for an answer that quotes it back. */
function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
