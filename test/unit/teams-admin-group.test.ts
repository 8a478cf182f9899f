import { createLogger } from '../../src/logger';
import { Metrics } from '../../src/observability/metrics';
import { AdminGroupCheck, type GraphPoster } from '../../src/teams/admin-group';

/**
 * The Entra admin group check on its own, against a scripted Graph client: what the integration
 * tests cannot cheaply make happen (a timeout, a network error, concurrent commands, the bound).
 */
const GROUP = '7d3c2b1a-9e8f-4a6b-8c5d-0f1e2d3c4b5a';
const user = (n: number) => `${String(n).padStart(8, '0')}-1111-4222-8333-444444444444`;
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.secret-token';

function setUp(answer: (url: string) => Promise<{ data: unknown }>, maxUsers?: number) {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('warn', { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  const calls: string[] = [];
  const graph: GraphPoster = {
    post: (url) => {
      calls.push(url);
      return answer(url);
    },
  };
  const metrics = new Metrics(undefined);
  const check = new AdminGroupCheck(graph, { ttlMs: 60_000, logger, metrics, maxUsers, timeoutMs: 50 });
  const counted = async (result: string) =>
    (await metrics.teamsAdminGroupChecks.get()).values.find((v) => v.labels.result === result)?.value ?? 0;
  return { check, calls, lines, counted };
}

/** An axios error as the SDK's client throws it: its config carries the bearer token. */
function axiosError(fields: Record<string, unknown>): Error {
  return Object.assign(new Error(String(fields.message ?? 'Request failed')), {
    isAxiosError: true,
    config: { headers: { Authorization: `Bearer ${TOKEN}` } },
    ...fields,
  });
}

describe('AdminGroupCheck', () => {
  it('concurrent commands of one user share one Graph call', async () => {
    let release!: () => void;
    const answered = new Promise<void>((resolve) => (release = resolve));
    const { check, calls } = setUp(async () => {
      await answered;
      return { data: { value: [GROUP.toUpperCase()] } };
    });
    const asks = [1, 2, 3].map(() => check.isMember('tenant-1', GROUP, user(1)));
    release();
    expect(await Promise.all(asks)).toEqual([{ member: true }, { member: true }, { member: true }]);
    expect(calls).toEqual([`/users/${user(1)}/checkMemberGroups`]);
  });

  it('a timeout and a network error leave the user no admin, unverified, logged in words without the token', async () => {
    const failures = [
      axiosError({ code: 'ECONNABORTED', message: 'timeout of 50ms exceeded' }),
      axiosError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' }),
    ];
    const { check, lines, counted } = setUp(async () => {
      throw failures.shift();
    });
    expect(await check.isMember('tenant-1', GROUP, user(1))).toEqual({ member: false, unverified: true });
    expect(await check.isMember('tenant-2', GROUP, user(1))).toEqual({ member: false, unverified: true });
    expect(lines.map((l) => l.reason)).toEqual([
      'Microsoft Graph did not answer within 0.05 s',
      'could not reach Microsoft Graph (ECONNREFUSED)',
    ]);
    expect(lines.every((l) => l.level === 40)).toBe(true);
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
    expect(await counted('unavailable')).toBe(2);
  });

  it('a user Graph does not know (404) is no member, and the answer is kept; an id that is no GUID is never sent', async () => {
    const { check, calls, counted } = setUp(async () => {
      throw axiosError({ response: { status: 404 } });
    });
    expect(await check.isMember('tenant-1', GROUP, user(7))).toEqual({ member: false });
    expect(await check.isMember('tenant-1', GROUP, user(7))).toEqual({ member: false });
    expect(await check.isMember('tenant-1', GROUP, '29:bot-framework-id')).toEqual({ member: false });
    expect(calls).toHaveLength(1);
    expect(await counted('not_member')).toBe(1);
  });

  it('keeps at most maxUsers answers', async () => {
    const { check, calls } = setUp(async () => ({ data: { value: [] } }), 3);
    for (let i = 0; i < 20; i += 1) await check.isMember('tenant-1', GROUP, user(i));
    expect(check.size).toBe(3);
    await check.isMember('tenant-1', GROUP, user(19));
    expect(calls).toHaveLength(20);
  });
});
