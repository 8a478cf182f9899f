import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from '../store/db';
import { oldestPendingDeliveryAge, unsentDeliveryCounts } from '../store/deliveries';
import { queueDepth } from '../store/queue';

/**
 * What the engineer on call watches (GET /metrics, Prometheus text). Counters and histograms are
 * updated where things happen; gauges that describe the database (queue depth, dead letters) are
 * read from Postgres at scrape time, so every replica reports the same truth.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly ingest = new Counter({
    name: 'panelist_webhook_events_total',
    help: 'Interview webhook requests by outcome (accepted, parked, duplicate, conflict, invalid_json, invalid_schema, unauthorized, impossible, too_large, unavailable)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly deliveryAttempts = new Counter({
    name: 'panelist_delivery_attempts_total',
    help: 'Calls to a chat platform for a delivery, by platform and result (sent, updated, found, rate_limited, transient, unknown_outcome, gone, permanent)',
    labelNames: ['platform', 'result'] as const,
    registers: [this.registry],
  });

  readonly teamsSearches = new Counter({
    name: 'panelist_teams_post_searches_total',
    help: 'Searches through Microsoft Graph for a Teams post whose answer was lost: found, absent, or unsearchable (personal chat, no consent: the post is repeated)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly teamsAdminGroupChecks = new Counter({
    name: 'panelist_teams_admin_group_checks_total',
    help: 'Microsoft Graph checks (checkMemberGroups) of a Teams user in the organization’s Entra admin group, cache misses only: member, not_member, refused (403: no User.Read.All and GroupMember.Read.All consent, or another 4xx), unavailable (5xx, 429, timeout, network); refused and unavailable leave the user no admin for that command',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly deadLetters = new Counter({
    name: 'panelist_delivery_dead_letters_total',
    help: 'Deliveries that failed for good (retry with `npx panelist deliveries retry`)',
    labelNames: ['platform', 'kind'] as const,
    registers: [this.registry],
  });

  readonly deliveryLag = new Histogram({
    name: 'panelist_delivery_lag_seconds',
    help: 'From the delivery being queued (event committed) to the platform accepting the message',
    labelNames: ['platform', 'kind'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });

  readonly digestRuns = new Counter({
    name: 'panelist_digests_claimed_total',
    help: 'Digests claimed by this replica, by whether they were late',
    labelNames: ['late'] as const,
    registers: [this.registry],
  });

  readonly digestLateness = new Histogram({
    name: 'panelist_digest_lateness_seconds',
    help: 'From a digest’s scheduled time to its claim',
    buckets: [1, 10, 30, 60, 120, 300, 900, 3600, 86400, 604800],
    registers: [this.registry],
  });

  readonly httpRefused = new Counter({
    name: 'panelist_http_refused_total',
    help: 'Requests refused at the edge before reaching Panelist (bad signature or token, stale or future timestamp, malformed or oversized body, cancelled install), by route and reason',
    labelNames: ['route', 'reason'] as const,
    registers: [this.registry],
  });

  readonly deliverySweeps = new Counter({
    name: 'panelist_delivery_sweeps_total',
    help: 'Rounds of the delivery sweeper (lost deliveries re-queued, stalled channels woken, dead letters alerted), by outcome: ok or failed. A flat line means the sweeper stopped',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly slackPlatformEvents = new Counter({
    name: 'panelist_slack_platform_events_total',
    help: 'Slack platform events handled (app_uninstalled, tokens_revoked, channel events), by type and outcome: applied, or stale (sent before the installation was last written, so ignored)',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly digestCharts = new Counter({
    name: 'panelist_digest_charts_total',
    help: 'Digest charts by outcome, once per digest and spec: rendered (drawn and stored), shared (the same picture was already stored, for another channel or by another replica), failed (not drawn or not stored: the digest went without it); and refused (Slack could not fetch the picture: the message went without it)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly digestChartWaits = new Counter({
    name: 'panelist_digest_chart_waits_total',
    help: 'Digest messages that gave their worker slot back to wait for a chart being drawn (woken when it is stored)',
    registers: [this.registry],
  });

  readonly platformsServed = new Gauge({
    name: 'panelist_delivery_platform_served',
    help: 'Whether this replica takes the platform’s deliveries (1) or leaves them queued for a replica with its credentials (0)',
    labelNames: ['platform'] as const,
    registers: [this.registry],
  });

  constructor(db: Db | undefined) {
    // prom-client's default names already start with process_ or nodejs_: the prefix only namespaces them.
    collectDefaultMetrics({ register: this.registry, prefix: 'panelist_' });
    if (!db) return;
    new Gauge({
      name: 'panelist_queue_jobs',
      help: 'Jobs waiting in the delivery queue (state=waiting), and how many of them are due now (state=due)',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        const depth = await queueDepth(db);
        this.set({ state: 'waiting' }, depth.waiting);
        this.set({ state: 'due' }, depth.due);
      },
    });
    new Gauge({
      name: 'panelist_deliveries',
      help: 'Deliveries by status (failed = dead letters waiting for a retry; paused = channel unreachable)',
      labelNames: ['status'] as const,
      registers: [this.registry],
      async collect() {
        const counts = await unsentDeliveryCounts(db);
        this.reset();
        for (const status of ['pending', 'failed', 'paused']) this.set({ status }, counts.get(status) ?? 0);
      },
    });
    new Gauge({
      name: 'panelist_oldest_pending_delivery_seconds',
      help: 'Age of the oldest delivery still pending: delivery lag as it builds up',
      registers: [this.registry],
      async collect() {
        this.set(await oldestPendingDeliveryAge(db));
      },
    });
  }
}
