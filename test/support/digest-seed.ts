import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Pool } from 'pg';
import { ALL_SPECS } from '../../src/services/permissions';

/**
 * Channels with weekly digests all due at one instant, written straight into the tables (thousands
 * of them, for the claim tests and bench/perf/digest-claims.ts). The seed knows what each channel's
 * digest must be (how many specs it follows, which subscription it goes to) from how it built the
 * channel, not from the claim's SQL, so a test can hold the claim to it.
 */
export interface DigestSeedOptions {
  organizations: number;
  specsPerOrganization: number;
  channels: number;
  /** every schedule's next run, and the time they are all scheduled for (local times in several zones) */
  dueAt: Date;
  /** every nth channel has a schedule but no subscriptions (0: none such) */
  withoutSubscriptionsEvery?: number;
  /** tells this seed's channels and organizations from another's in the same database */
  prefix?: string;
}

export interface SeededChannel {
  channelId: string;
  scheduleId: string;
  specCount: number;
  /** the subscription the digest must go to: private first, then oldest; null for a channel without any */
  target: string | null;
}

/** Zones without daylight saving, so the due instant's local time is the same every week. */
const ZONES = ['UTC', 'Asia/Kolkata', 'America/Sao_Paulo', 'Africa/Lagos'];

interface SubscriptionRow {
  id: string;
  organizationId: string;
  channelId: string;
  scope: string;
  private: boolean;
  createdAt: Date;
}

export async function seedDigestChannels(pool: Pool, options: DigestSeedOptions): Promise<SeededChannel[]> {
  const prefix = options.prefix ?? 'seed';
  // the channel shapes below follow up to three distinct specs of their organization
  if (options.specsPerOrganization < 3) throw new Error('seedDigestChannels needs at least 3 specs per organization');
  const organizations = Array.from({ length: options.organizations }, () => randomUUID());
  const specs = organizations.map(() => Array.from({ length: options.specsPerOrganization }, () => randomUUID()));
  const subscriptions: SubscriptionRow[] = [];
  const schedules: { id: string; organizationId: string; channelId: string; zone: string; weekday: number; minuteOfDay: number }[] = [];
  const channels: SeededChannel[] = [];
  const every = options.withoutSubscriptionsEvery ?? 0;
  const created = (i: number, k: number) => new Date(Date.UTC(2026, 0, 1) + i * 10_000 + k * 1_000);

  for (let i = 0; i < options.channels; i += 1) {
    const org = i % organizations.length;
    const own = specs[org]!;
    const channelId = `C${prefix}${i}`;
    const subscribe = (k: number, scope: string, isPrivate = false, organizationId = organizations[org]!) => {
      const row = { id: randomUUID(), organizationId, channelId, scope, private: isPrivate, createdAt: created(i, k) };
      subscriptions.push(row);
      return row.id;
    };
    const spec = (k: number) => own[(i + k) % own.length]!;
    let target: string | null = null;
    let specCount = 0;
    if (every > 0 && i % every === every - 1) {
      // a schedule whose channel unsubscribed from everything
    } else if (i % 4 === 0) {
      target = subscribe(0, ALL_SPECS);
      specCount = own.length;
    } else if (i % 4 === 1) {
      subscribe(0, spec(0));
      target = subscribe(1, ALL_SPECS, true);
      specCount = own.length;
    } else if (i % 4 === 2) {
      target = subscribe(0, spec(0));
      subscribe(1, spec(1));
      subscribe(2, spec(2));
      specCount = new Set([spec(0), spec(1), spec(2)]).size;
    } else {
      // the older subscription is the target whatever the insert order; another organization's spec is not counted
      subscribe(2, spec(1));
      target = subscribe(1, spec(0));
      const other = (org + 1) % organizations.length;
      if (other !== org) subscribe(3, specs[other]![0]!, false, organizations[other]!);
      specCount = new Set([spec(0), spec(1)]).size;
    }
    const zone = ZONES[Math.floor(i / 4) % ZONES.length]!;
    const local = DateTime.fromJSDate(options.dueAt, { zone });
    const scheduleId = randomUUID();
    schedules.push({
      id: scheduleId,
      organizationId: organizations[org]!,
      channelId,
      zone,
      weekday: local.weekday,
      minuteOfDay: local.hour * 60 + local.minute,
    });
    channels.push({ channelId, scheduleId, specCount, target });
  }

  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO organization (id, slug, name) SELECT id, $2 || '-org-' || n, 'Organization ' || n FROM unnest($1::uuid[]) WITH ORDINALITY AS o(id, n)`,
      [organizations, prefix],
    );
    const specRows = specs.flatMap((ids, org) => ids.map((id) => ({ id, organizationId: organizations[org]! })));
    await client.query(
      `INSERT INTO spec (id, organization_id, slug, current_version) SELECT id, organization_id, 'spec-' || n, 1
       FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS s(id, organization_id, n)`,
      [specRows.map((s) => s.id), specRows.map((s) => s.organizationId)],
    );
    await client.query(
      `INSERT INTO spec_version (id, spec_id, number, title, competencies, must_haves, interview_questions, behavioral_round,
                                 content_hash, source, author_platform, author_id)
       SELECT gen_random_uuid(), id, 1, 'Spec ' || id, '[{"id":"c","name":"C","definition":"d","weight":100}]', '[]', '{}', '{}',
              'seed', 'seed', 'cli', 'seed'
       FROM unnest($1::uuid[]) AS s(id)`,
      [specRows.map((s) => s.id)],
    );
    await client.query(
      `INSERT INTO subscription (id, organization_id, platform, workspace_id, channel_id, scope, private, created_by, created_at)
       SELECT id, organization_id, 'slack', 'T' || organization_id, channel_id, scope, private, 'UADMIN', created_at
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::bool[], $6::timestamptz[])
         AS s(id, organization_id, channel_id, scope, private, created_at)`,
      [
        subscriptions.map((s) => s.id),
        subscriptions.map((s) => s.organizationId),
        subscriptions.map((s) => s.channelId),
        subscriptions.map((s) => s.scope),
        subscriptions.map((s) => s.private),
        subscriptions.map((s) => s.createdAt.toISOString()),
      ],
    );
    await client.query(
      `INSERT INTO digest_schedule (id, organization_id, platform, workspace_id, channel_id, weekday, minute_of_day, time_zone, next_run_at)
       SELECT id, organization_id, 'slack', 'T' || organization_id, channel_id, weekday, minute_of_day, time_zone, $7::timestamptz
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[], $5::int[], $6::text[])
         AS s(id, organization_id, channel_id, weekday, minute_of_day, time_zone)`,
      [
        schedules.map((s) => s.id),
        schedules.map((s) => s.organizationId),
        schedules.map((s) => s.channelId),
        schedules.map((s) => s.weekday),
        schedules.map((s) => s.minuteOfDay),
        schedules.map((s) => s.zone),
        options.dueAt.toISOString(),
      ],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
  return channels;
}
