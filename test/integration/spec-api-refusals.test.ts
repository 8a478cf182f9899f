import { Client } from 'pg';
import { Harness } from '../support/harness';
import { metricValue } from '../support/metrics';
import { panelistCli } from '../support/panelist-cli';
import { waitUntil } from '../support/slack-events';
import { apiRequest, DEMO_SPEC_ID } from '../support/spec-api';

/**
 * Everything the pull API refuses, through the public port: no key or a bad one (401 with a
 * challenge), malformed ids, versions, times, page sizes and cursors (400), what is not there
 * (404), other methods (405). Each answer is the API's error shape in words; none changes a row,
 * logs an error, or writes a key to the log.
 */
let harness: Harness;
let sql: Client;
let key: string;
const cli = panelistCli(() => harness.database.url);
const SPEC = `/api/v1/specs/${DEMO_SPEC_ID}`;
const UNKNOWN_KEY = `pnl_${'A'.repeat(43)}`;

beforeAll(async () => {
  harness = await Harness.start({ DIGEST_CLOCK: 'false' });
  sql = new Client({ connectionString: harness.database.url });
  await sql.connect();
  await waitUntil(async () => (await sql.query('SELECT 1 FROM spec WHERE id = $1', [DEMO_SPEC_ID])).rowCount, 'the demo spec to be seeded');
  key = (await cli.run('api-keys', 'create', 'platform'))[0]!;
});
afterAll(async () => {
  await sql?.end();
  await harness?.stop();
});

async function snapshot(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['spec', 'spec_version', 'api_key', 'audit_event', 'organization']) {
    counts[table] = Number((await sql.query(`SELECT count(*) FROM ${table}`)).rows[0].count);
  }
  return counts;
}

const refusedCount = (reason: string) =>
  metricValue(harness.metricsUrl, `panelist_http_refused_total{route="/api/v1/specs",reason="${reason}"}`);

describe('authentication', () => {
  it.each<[string, Record<string, string>, string]>([
    ['no Authorization header', {}, 'Bearer realm="panelist"'],
    [
      'another scheme',
      { authorization: `Basic ${Buffer.from('user:pass').toString('base64')}` },
      'Bearer realm="panelist", error="invalid_token"',
    ],
    ['Bearer and nothing', { authorization: 'Bearer' }, 'Bearer realm="panelist", error="invalid_token"'],
    ['a key too short', { authorization: 'Bearer pnl_abc' }, 'Bearer realm="panelist", error="invalid_token"'],
    ['a key with a character too many', { authorization: `Bearer ${UNKNOWN_KEY}x` }, 'Bearer realm="panelist", error="invalid_token"'],
    ['not a Panelist key', { authorization: `Bearer xoxb-${'1'.repeat(43)}` }, 'Bearer realm="panelist", error="invalid_token"'],
    ['a well-formed key nobody made', { authorization: `Bearer ${UNKNOWN_KEY}` }, 'Bearer realm="panelist", error="invalid_token"'],
  ])('answers %s with 401, a Bearer challenge and how to get a key', async (_what, headers, challenge) => {
    const before = await refusedCount('unauthorized');
    for (const route of ['/api/v1/specs', SPEC, `${SPEC}/versions/1`, '/api/v1/specs/not-a-uuid']) {
      const answer = await apiRequest(harness.baseUrl, route, { headers });
      expect([route, answer.status]).toEqual([route, 401]);
      expect(answer.headers.get('www-authenticate')).toBe(challenge);
      expect(answer.json.error).toEqual({ code: 'unauthorized', message: expect.stringContaining('npx panelist api-keys create') });
    }
    expect(await refusedCount('unauthorized')).toBe(before + 4);
  });

  it('takes the scheme in any case', async () => {
    expect((await apiRequest(harness.baseUrl, SPEC, { headers: { authorization: `bearer ${key}` } })).status).toBe(200);
  });
});

describe('bad requests, in words, changing nothing', () => {
  const cases: [string, number, string][] = [
    ['/api/v1/specs/not-a-uuid', 400, 'is not a spec id'],
    ['/api/v1/specs/58fd32b5-4151-4e1b-aa1c-ab2538f8b85', 400, 'is not a spec id'],
    ['/api/v1/specs/58fd32b5-4151-4e1b-aa1c-ab2538f8b850x/versions/1', 400, 'is not a spec id'],
    ["/api/v1/specs/1'%20OR%201=1--", 400, 'is not a spec id'],
    ['/api/v1/specs/%E0%A4%A', 400, 'malformed'],
    ['/api/v1/specs/11111111-2222-4333-8444-555555555555', 404, 'There is no spec 11111111-2222-4333-8444-555555555555'],
    ['/api/v1/specs/11111111-2222-4333-8444-555555555555/versions/1', 404, 'There is no spec'],
    [`${SPEC}/versions/0`, 400, 'is not a version number'],
    [`${SPEC}/versions/-1`, 400, 'is not a version number'],
    [`${SPEC}/versions/1.5`, 400, 'is not a version number'],
    [`${SPEC}/versions/one`, 400, 'is not a version number'],
    [`${SPEC}/versions/v`, 400, 'is not a version number'],
    [`${SPEC}/versions/2`, 404, 'has versions 1 to 1; there is no v2'],
    [`${SPEC}/versions/2147483647`, 404, 'there is no v2147483647'],
    [`${SPEC}/versions/2147483648`, 400, 'is not a version number'],
    [`${SPEC}/versions/${'9'.repeat(40)}`, 400, 'is not a version number'],
    ['/api/v1/specs?updated_since=yesterday', 400, 'updated_since "yesterday" is not a time'],
    ['/api/v1/specs?updated_since=2026-11-23', 400, 'ISO 8601 with a zone'],
    ['/api/v1/specs?updated_since=2026-11-23T09:00:00', 400, 'ISO 8601 with a zone'],
    ['/api/v1/specs?updated_since=2026-11-23T09:00:00+01:00', 400, '%2B'],
    ['/api/v1/specs?updated_since=', 400, 'is not a time'],
    ['/api/v1/specs?updated_since=2026-11-23T09:00:00Z&updated_since=2026-11-24T09:00:00Z', 400, 'more than once'],
    ['/api/v1/specs?limit=0', 400, 'from 1 to 500'],
    ['/api/v1/specs?limit=501', 400, 'from 1 to 500'],
    ['/api/v1/specs?limit=-1', 400, 'from 1 to 500'],
    ['/api/v1/specs?limit=2.5', 400, 'from 1 to 500'],
    ['/api/v1/specs?limit=ten', 400, 'from 1 to 500'],
    ['/api/v1/specs?cursor=nonsense', 400, 'cursor is not one this API handed out'],
    [`/api/v1/specs?cursor=${Buffer.from('99999999999999999.x').toString('base64url')}`, 400, 'cursor is not one'],
    [`/api/v1/specs?cursor=${Buffer.from(`9000000000000000.${DEMO_SPEC_ID}`).toString('base64url')}`, 400, 'cursor is not one'],
    ['/api/v1/specs?cursor=%00', 400, 'cursor is not one'],
    ['/api/v1/spec', 404, 'the endpoints are /api/v1/specs'],
    ['/api/v1/specs/58fd32b5-4151-4e1b-aa1c-ab2538f8b850/history', 404, 'the endpoints are'],
  ];

  it.each(cases)('GET %s → %i, saying "%s"', async (route, status, words) => {
    const [before, logged] = [await snapshot(), harness.logs.lines.length];
    const answer = await apiRequest(harness.baseUrl, route, { key });
    expect(answer.status).toBe(status);
    expect(answer.json.error).toEqual({ code: status === 400 ? 'bad_request' : 'not_found', message: expect.stringContaining(words) });
    expect(answer.text).not.toMatch(/at \w+ \(|prisma|invalid input syntax|\bpg\b/i);
    expect(await snapshot()).toEqual(before);
    expect(harness.logs.errorsSince(logged)).toEqual([]);
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('answers %s with 405 and Allow: GET, HEAD, and changes nothing', async (method) => {
    const before = await snapshot();
    for (const route of ['/api/v1/specs', SPEC, `${SPEC}/versions/1`]) {
      const answer = await apiRequest(harness.baseUrl, route, { key, method, headers: { 'content-type': 'application/json' } });
      expect([route, answer.status, answer.headers.get('allow')]).toEqual([route, 405, 'GET, HEAD']);
      expect(answer.json.error).toEqual({ code: 'method_not_allowed', message: expect.stringContaining('use GET') });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('answers HEAD like GET without a body, and OPTIONS with what is allowed', async () => {
    const head = await apiRequest(harness.baseUrl, SPEC, { key, method: 'HEAD' });
    expect([head.status, head.text, head.headers.get('etag')]).toEqual([200, '', `"${DEMO_SPEC_ID}.v1.senior-backend-payments"`]);
    const options = await apiRequest(harness.baseUrl, SPEC, { key, method: 'OPTIONS' });
    expect([options.status, options.headers.get('allow')]).toEqual([204, 'GET, HEAD']);
  });

  it('never writes a key, or a refusal as an error, to the log', async () => {
    expect(harness.logs.lines.length).toBeGreaterThan(0); // the 401s above were logged, as warnings
    expect(JSON.stringify(harness.logs.lines)).not.toContain(key.slice(4));
    expect(JSON.stringify(harness.logs.lines)).not.toContain(UNKNOWN_KEY.slice(4));
    expect(harness.logs.errorsSince(0)).toEqual([]);
  });
});
