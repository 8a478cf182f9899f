import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PublishedVersion } from '../../src/domain/spec-api';

/** The demo spec (fixtures/payments-platform-spec.json), which the app seeds into the default organization. */
export const FIXTURE_FILE = path.resolve(__dirname, '../../fixtures/payments-platform-spec.json');
export const DEMO_SPEC_ID = '58fd32b5-4151-4e1b-aa1c-ab2538f8b850';
export const DEMO_SLUG = 'senior-backend-payments';

/** Whatever the API answered with: one version, a page, or an error. */
export interface ApiBody extends Partial<PublishedVersion> {
  specs?: PublishedVersion[];
  next?: string | null;
  error?: { code: string; message: string };
}

export interface FixtureDocument {
  id: string;
  slug: string;
  competencies: { id: string; name: string; weight: string; definition: string }[];
  [field: string]: unknown;
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  /** the raw body ('' for a 304) */
  text: string;
  /** the body as JSON ({} when it is empty) */
  json: ApiBody;
}

/** GET (or `method`) on the pull API with `key` as the bearer, or with `headers` as given. */
export async function apiRequest(
  baseUrl: string,
  route: string,
  options: { key?: string; headers?: Record<string, string>; method?: string } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { ...(options.key ? { authorization: `Bearer ${options.key}` } : {}), ...options.headers };
  const response = await fetch(`${baseUrl}${route}`, { method: options.method ?? 'GET', headers });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: text ? (JSON.parse(text) as ApiBody) : {} };
}

export async function fixtureDocument(): Promise<FixtureDocument> {
  return JSON.parse(await readFile(FIXTURE_FILE, 'utf8')) as FixtureDocument;
}

/** Writes a spec document (the fixture with `changes`) into `dir`; returns the file. */
export async function writeSpecFile(dir: string, name: string, changes: Record<string, unknown>): Promise<string> {
  const file = path.join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify({ ...(await fixtureDocument()), ...changes }));
  return file;
}

/** The fixture's competencies with other weights (hundredths as "0.35" strings), keyed by competency id. */
export async function reweighted(weights: Record<string, string>): Promise<unknown[]> {
  return (await fixtureDocument()).competencies.map((c) => ({ ...c, weight: weights[c.id] ?? c.weight }));
}
