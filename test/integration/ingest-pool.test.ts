import type http from 'node:http';
import pino from 'pino';
import { parseInterviewEvent } from '../../src/domain/interview-event';
import { closeServer, createHttpApp, listen } from '../../src/http/server';
import { InterviewIngestService } from '../../src/services/interview-ingest';
import { createPool } from '../../src/store/db';
import { interviewWebhookRouter } from '../../src/webhooks/interviews';
import { signInterviewBody } from '../../src/webhooks/signature';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { completed } from '../support/interview-events';

const SECRET = 'pool-test-secret';
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

/** The webhook wired as the app wires it, over a pool of one connection that gives up waiting after 200 ms. */
async function start() {
  const pool = createPool(database.url, { max: 1 });
  Object.assign(pool.options, { connectionTimeoutMillis: 200 });
  const ingest = new InterviewIngestService(pool);
  const logger = pino({ level: 'silent' });
  const router = interviewWebhookRouter({ secrets: [SECRET], ingest, logger });
  const server: http.Server = await listen(createHttpApp({ logger, isReady: async () => true, routers: [router] }), 0);
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/webhooks/interviews`;
  const post = async (body: unknown) => {
    const raw = JSON.stringify(body);
    const signature = signInterviewBody(SECRET, raw, Math.floor(Date.now() / 1000));
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'interview-signature': signature },
      body: raw,
    });
    return response.status;
  };
  return {
    pool,
    ingest,
    post,
    stop: async () => {
      await closeServer(server);
      await pool.end();
    },
  };
}

describe('a webhook that cannot get a connection in time', () => {
  it('answers 503 (never 500) while the pool is exhausted, and 202 once a connection is free', async () => {
    const app = await start();
    try {
      const held = await app.pool.connect();
      try {
        expect(await app.post(completed())).toBe(503);
      } finally {
        held.release();
      }
      // The test database has no specs: a new event is parked, which is a 202 all the same.
      expect(await app.post(completed())).toBe(202);
    } finally {
      await app.stop();
    }
  });

  it('still counts as unreachable when a connection frees up between the failure and the check', async () => {
    const app = await start();
    try {
      const held = await app.pool.connect();
      const failure = app.ingest.ingest(parsed(completed()), 'hash', {}).catch((error: Error) => error);
      expect(await failure).toBeInstanceOf(Error);
      held.release();
      expect(await app.ingest.isDatabaseReachable()).toBe(false);
    } finally {
      await app.stop();
    }
  });
});

function parsed(body: unknown) {
  const result = parseInterviewEvent(body);
  if (!result.ok) throw new Error('bad test event');
  return result.event;
}
