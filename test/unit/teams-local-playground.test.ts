import type { Request, Response } from 'express';
import pino from 'pino';
import { ConfigError, loadConfig } from '../../src/config';
import { isLoopbackAddress, isLoopbackUrl, localPlaygroundGuard } from '../../src/teams/local-playground';
import { PLAYGROUND_DEFAULT_TENANT_ID } from '../../src/teams/options';

/** Teams local mode (TEAMS_LOCAL_PLAYGROUND): its configuration and its loopback checks, without a network. */

function refusal(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error(`expected loadConfig to refuse ${JSON.stringify(env)}`);
}

describe('TEAMS_LOCAL_PLAYGROUND', () => {
  it('is off unless set, and turns Teams on without credentials, in the Playground’s tenant unless TEAMS_TENANT_ID names one', () => {
    expect(loadConfig({}).teams.kind).toBe('off');
    expect(loadConfig({ TEAMS_LOCAL_PLAYGROUND: 'false' }).teams.kind).toBe('off');
    expect(loadConfig({ TEAMS_LOCAL_PLAYGROUND: 'true' }).teams).toMatchObject({
      kind: 'on',
      localPlayground: true,
      clientId: '',
      clientSecret: '',
      tenantId: PLAYGROUND_DEFAULT_TENANT_ID,
    });
    expect(loadConfig({ TEAMS_LOCAL_PLAYGROUND: 'true', TEAMS_TENANT_ID: 'tenant-x' }).teams).toMatchObject({ tenantId: 'tenant-x' });
    const real = { TEAMS_CLIENT_ID: 'app', TEAMS_CLIENT_SECRET: 'secret', TEAMS_TENANT_ID: 'tenant' };
    expect(loadConfig(real).teams).toMatchObject({ kind: 'on', localPlayground: false });
  });

  it('is refused with NODE_ENV=production, in a sentence naming the variable', () => {
    const refused = refusal({ NODE_ENV: 'production', DATABASE_URL: 'postgresql://u:p@db:5432/panelist', TEAMS_LOCAL_PLAYGROUND: 'true' });
    expect(refused).toEqual([expect.stringMatching(/^TEAMS_LOCAL_PLAYGROUND: never allowed when NODE_ENV=production .*; unset it$/)]);
    expect(loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgresql://db/p', TEAMS_LOCAL_PLAYGROUND: 'false' }).teams.kind).toBe(
      'off',
    );
  });

  it('refuses a real bot’s credentials beside it (their tokens must never reach the Playground), and a value that is not a yes or no', () => {
    expect(refusal({ TEAMS_LOCAL_PLAYGROUND: 'true', TEAMS_CLIENT_ID: 'app', TEAMS_CLIENT_SECRET: 's', TEAMS_TENANT_ID: 't' })).toEqual([
      expect.stringMatching(/^TEAMS_LOCAL_PLAYGROUND: local mode takes no Bot Framework credentials; unset TEAMS_CLIENT_ID and/),
    ]);
    expect(refusal({ TEAMS_LOCAL_PLAYGROUND: 'on' })).toEqual(['TEAMS_LOCAL_PLAYGROUND: use true or false']);
  });
});

describe('loopback', () => {
  it('knows this machine’s addresses, IPv4-mapped ones included, and nothing else', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) {
      expect(isLoopbackAddress(address)).toBe(true);
    }
    for (const address of [
      '10.0.0.5',
      '192.168.1.20',
      '203.0.113.7',
      '::ffff:10.0.0.5',
      'fe80::1',
      '::',
      '0.0.0.0',
      'localhost',
      '',
      undefined,
    ]) {
      expect(isLoopbackAddress(address)).toBe(false);
    }
  });

  it('takes a service URL on this machine only', () => {
    for (const url of [
      'http://localhost:56150/_connector',
      'http://127.0.0.1:56150/_connector/',
      'http://[::1]:56150/x',
      'https://localhost',
    ]) {
      expect(isLoopbackUrl(url)).toBe(true);
    }
    for (const url of [
      'https://smba.trafficmanager.net/teams/',
      'http://localhost.example.com/',
      'http://127.0.0.1.example.com/',
      'http://10.0.0.5:56150/',
      'file:///etc/passwd',
      'not a url',
      42,
      undefined,
    ]) {
      expect(isLoopbackUrl(url)).toBe(false);
    }
  });
});

/**
 * The guard's first step, given a request whose socket's peer is another host. Tests may only use
 * loopback, so no real connection from elsewhere can be made: the handler is called directly.
 */
describe('the local mode guard on /api/messages', () => {
  const [callerCheck] = localPlaygroundGuard(undefined, pino({ level: 'silent' }));

  function run(remoteAddress: string, headers: Record<string, string> = {}) {
    const answer: { status?: number; body?: unknown; passed: boolean } = { passed: false };
    const res = {
      locals: {},
      headersSent: false,
      status(code: number) {
        answer.status = code;
        return this;
      },
      json(body: unknown) {
        answer.body = body;
        return this;
      },
    };
    const req = { socket: { remoteAddress }, path: '/api/messages', headers, body: { serviceUrl: 'http://localhost:56150/_connector' } };
    callerCheck!(req as unknown as Request, res as unknown as Response, () => {
      answer.passed = true;
    });
    return answer;
  }

  it('lets a caller on this machine through', () => {
    expect(run('127.0.0.1')).toEqual({ passed: true });
    expect(run('::ffff:127.0.0.1')).toEqual({ passed: true });
  });

  it('refuses a caller on another host with 403, whatever its forwarding headers claim', () => {
    expect(run('192.168.1.20')).toEqual({
      passed: false,
      status: 403,
      body: { error: 'Teams local mode (TEAMS_LOCAL_PLAYGROUND) answers only requests from this machine.' },
    });
    expect(run('203.0.113.7', { 'x-forwarded-for': '127.0.0.1', forwarded: 'for=127.0.0.1' })).toMatchObject({
      passed: false,
      status: 403,
    });
  });
});
