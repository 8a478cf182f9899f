import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { encodeSpecCursor } from '../../src/domain/spec-api';
import { CLI_ACTOR } from '../../src/services/actor';
import { ApiKeyService } from '../../src/services/api-keys';
import { OrganizationService } from '../../src/services/organizations';
import { NOT_PUBLISHED } from '../../src/services/spec-publication';
import { SpecImportService } from '../../src/services/spec-import';
import { createDb } from '../../src/store/db';
import { DEMO_SPEC_ID } from '../../test/support/interview-events';
import type { EdgeInput } from './fuzz-edges';
import { status } from './http-status';
import { chance, pick, randomWord } from './fuzz-inputs';
import { type Rig, specDocuments } from './rig';

/**
 * The pull API (issue 14), fuzzed: random keys (good, another organization's, revoked, made up,
 * malformed, none), methods, paths, ids, version numbers, query strings and If-None-Match headers.
 * Each input works out the answer docs/spec-api.md promises for it, so a wrong 4xx fails the drill
 * as surely as a 5xx.
 */
export interface ApiFuzzKeys {
  ours: string;
  theirs: string;
  revoked: string;
  /** a spec of the other organization: 404 with our key */
  theirSpecId: string;
}

/** Keys made as `npx panelist api-keys create` makes them, and a second organization with a spec of its own. */
export async function prepareApiFuzz(databaseUrl: string): Promise<ApiFuzzKeys> {
  const db = createDb(databaseUrl, { max: 2 });
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  try {
    const ours = await new OrganizationService(db).ensureDefault();
    const theirs = (
      await pg.query<{ id: string }>(
        `INSERT INTO organization (id, slug, name) VALUES (gen_random_uuid(), 'fuzz-other', 'Other') RETURNING id`,
      )
    ).rows[0]!.id;
    const [theirSpec] = specDocuments(1);
    await new SpecImportService(db, NOT_PUBLISHED).importJson({ organizationId: theirs, actor: CLI_ACTOR }, theirSpec);
    const keys = new ApiKeyService(db);
    const make = async (organizationId: string, name: string) => (await keys.create({ organizationId, actor: CLI_ACTOR }, name)).key;
    const revoked = await make(ours, 'fuzz-revoked');
    await keys.revoke({ organizationId: ours, actor: CLI_ACTOR }, 'fuzz-revoked');
    return { ours: await make(ours, 'fuzz'), theirs: await make(theirs, 'fuzz-theirs'), revoked, theirSpecId: theirSpec!.id };
  } finally {
    await pg.end();
    await db.$disconnect();
  }
}

type Part = { text: string; valid: boolean };
const valid = (text: string): Part => ({ text, valid: true });
const invalid = (text: string): Part => ({ text, valid: false });
/** Printable ASCII only: fetch refuses other header bytes before anything is sent. */
const ascii = (text: string) => text.replace(/[^\x20-\x7e]/g, '');
/** A path segment that stays one segment: no lone surrogates (encodeURIComponent throws), never empty, '.' or '..'. */
const segment = (text: string) => `x${encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '?'))}`;

function authorization(keys: ApiFuzzKeys): { header?: string; accepted: boolean } {
  const roll = Math.random();
  if (roll < 0.65) return { header: `${pick(['Bearer', 'bearer', 'BEARER'])} ${keys.ours}`, accepted: true };
  if (roll < 0.7) return { header: `Bearer ${keys.revoked}`, accepted: false };
  if (roll < 0.75) return { header: `Bearer pnl_${randomUUID().replaceAll('-', '')}${'A'.repeat(11)}`, accepted: false };
  if (roll < 0.9) {
    return {
      header: ascii(
        pick(['', 'Bearer', 'Bearer ', `Basic ${keys.ours}`, `Bearer ${keys.ours}x`, `Bearer ${keys.ours.slice(0, -1)}`, randomWord(80)]),
      ),
      accepted: false,
    };
  }
  return { accepted: false };
}

function listQuery(): Part {
  const parts: Part[] = [];
  if (chance(0.5)) {
    parts.push(
      pick([
        valid(`updated_since=${encodeURIComponent(new Date(Date.now() - Math.random() * 1e10).toISOString())}`),
        valid('updated_since=0000-01-01T00:00:00Z'),
        valid('updated_since=2026-11-23T09:00:00%2B01:00'),
        invalid('updated_since=2026-11-23T09:00:00+01:00'),
        invalid(`updated_since=${segment(randomWord())}`),
        invalid('updated_since='),
      ]),
    );
  }
  if (chance(0.4))
    parts.push(
      pick([valid('limit=1'), valid('limit=500'), invalid('limit=0'), invalid('limit=501'), invalid(`limit=${segment(randomWord(6))}`)]),
    );
  if (chance(0.3)) {
    const cursor = encodeSpecCursor({ updatedAt: new Date(Math.random() * 2e12), id: randomUUID() });
    parts.push(pick([valid(`cursor=${cursor}`), invalid(`cursor=${cursor.slice(0, -2)}`), invalid(`cursor=${segment(randomWord())}`)]));
  }
  if (chance(0.05)) parts.push(invalid('limit=5&limit=6'));
  if (chance(0.2)) parts.push(valid(`${segment(randomWord(10))}=${segment(randomWord(10))}`));
  return { text: parts.map((p) => p.text).join('&'), valid: parts.every((p) => p.valid) };
}

export function apiInput(rig: Rig, keys: ApiFuzzKeys): EdgeInput {
  const auth = authorization(keys);
  const ourId = pick([DEMO_SPEC_ID, DEMO_SPEC_ID.toUpperCase()]);
  const [idText, idKind] = pick<[string, 'ours' | 'missing' | 'invalid']>([
    [ourId, 'ours'],
    [ourId, 'ours'],
    [keys.theirSpecId, 'missing'],
    [randomUUID(), 'missing'],
    [segment(randomWord(40)), 'invalid'],
    [`${DEMO_SPEC_ID}0`, 'invalid'],
  ]);
  const shape = pick(['list', 'current', 'current', 'version', 'version', 'unknown'] as const);
  const version = pick<[string, 'first' | 'later' | 'invalid']>([
    ['1', 'first'],
    ['v1', 'first'],
    [String(2 + Math.floor(Math.random() * 5)), 'later'],
    ['2147483647', 'later'],
    [pick(['0', '-1', '1.5', 'v', '2147483648', '9'.repeat(30)]), 'invalid'],
    [segment(randomWord(12)), 'invalid'],
  ]);
  const query = listQuery();
  const path = {
    list: `/api/v1/specs${query.text ? `?${query.text}` : ''}`,
    current: `/api/v1/specs/${idText}`,
    version: `/api/v1/specs/${idText}/versions/${version[0]}`,
    unknown: `/api/v1/${segment(randomWord())}`,
  }[shape];
  const method = chance(0.85) ? pick(['GET', 'GET', 'HEAD']) : pick(['POST', 'PUT', 'DELETE', 'PATCH']);
  const conditional = chance(0.3);
  const headers: Record<string, string> = {
    ...(auth.header !== undefined ? { authorization: auth.header } : {}),
    ...(conditional
      ? { 'if-none-match': ascii(pick([`"${DEMO_SPEC_ID}.v1.senior-backend-payments"`, '*', `W/"${randomWord()}"`, randomWord(200)])) }
      : {}),
  };
  return {
    kind: `pull API ${method} ${shape}`,
    expect: expected(),
    send: () => status(`${rig.baseUrl}${path}`, { method, headers }),
  };

  /** docs/spec-api.md's order: unknown endpoint, method, key, the request's parts, then what exists. */
  function expected(): number[] {
    if (shape === 'unknown') return [404];
    if (method !== 'GET' && method !== 'HEAD') return [405];
    if (!auth.accepted) return [401];
    // a page has an ETag too: `If-None-Match: *` is a 304 there as well
    if (shape === 'list') return query.valid ? (conditional ? [200, 304] : [200]) : [400];
    if (idKind === 'invalid') return [400];
    if (shape === 'version' && version[1] === 'invalid') return [400];
    if (idKind === 'missing') return [404];
    // the drill's own commands edit the demo spec meanwhile: later versions come and go from view
    const found = shape === 'version' && version[1] === 'later' ? [200, 304, 404] : [200];
    return conditional ? [...found, 304] : found;
  }
}
