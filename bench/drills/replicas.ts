import { waitUntil } from '../perf/util';
import { chooseDigestTime, digestOutcome, digestsClaimed, makeDigestsDue, PostsPerDelivery } from './digests';
import { killAndRestart } from './kill';
import {
  completedInterviews,
  deliveryStatuses,
  makeEvent,
  sendAsPlatform,
  setupDelivery,
  type DeliverySetup,
  type DrillEvent,
} from './load';
import type { Rig } from './rig';
import { arrivals, compare, deliveryLines, expectedPairs, samples, shuffle, statusLine, waitForDrain, type DrillResult } from './tally';

/** follows every spec: its digest has two parts (five specs per message) */
const ALL_CHANNEL = 'CDRILLALL';
const KILLS = 5;

/**
 * Three replicas: three app processes on one PostgreSQL and one fake Slack, each with its digest
 * clock on. The storm's load (every event three times, shuffled, copies spread over the three apps)
 * runs while one app is killed with SIGKILL five times and restarted, and while the channels'
 * weekly digests fall due one after another (claimed by the clocks' ticks on the minute, which the
 * three run at the same moment, and by the killed app's ticks at start). Passes with every interview
 * once per channel, every digest once (one row per schedule and period) and one chat.postMessage
 * per digest part.
 */
export async function replicas(options: { quick: boolean; log: (line: string) => void }): Promise<DrillResult> {
  const started = Date.now();
  const setup = await setupDelivery({ specCount: 6, channelsPerSpec: 1, env: { DIGEST_CLOCK: 'true' }, name: 'replicas' });
  try {
    await setup.rig.subscribe([ALL_CHANNEL], 'all');
    const apps = [setup.rig, await setup.rig.addReplica('b'), await setup.rig.addReplica('c')];
    const victim = apps[2]!;
    const channels = [...setup.specs.flatMap((spec) => spec.channels), ALL_CHANNEL];
    const occurrence = await chooseDigestTime(setup.rig, channels);
    options.log(
      `  3 apps (ports ${apps.map((app) => app.appPort).join(', ')}) on one database; digests of ${channels.length} channels for the week to ${occurrence.toISOString()}`,
    );
    // interviews completed inside the week the digests cover, so that every digest has something to show
    const storm = stormAcross(setup, apps, options.quick ? 8 : 16, new Date(occurrence.getTime() - 80 * 60_000));
    const posts = new PostsPerDelivery(setup.rig.slack);
    await waitUntil('every spec to have interviews', 60_000, () => storm.accepted() >= 3 * setup.specs.length || undefined);

    const loadStart = Date.now();
    const log = (line: string) => options.log(`${line} (+${((Date.now() - loadStart) / 1000).toFixed(1)} s)`);
    // due one after another from now until the first minute's tick at least 20 s away (full: the one
    // after), so that some are claimed by start-up ticks of the killed app and some by the three at once
    const lastDue = Math.ceil((loadStart + 20_000) / 60_000) * 60_000 - 1_000 + (options.quick ? 0 : 60_000);
    const due = channels.map((channel, i) => ({ channel, at: new Date(loadStart + ((lastDue - loadStart) * i) / (channels.length - 1)) }));
    await makeDigestsDue(setup.rig.databaseUrl, due);
    log(`  digests due from now until ${new Date(lastDue).toISOString()}; killing app c ${KILLS} times meanwhile`);
    const span = lastDue + 5_000 - loadStart;
    const meanGap = Math.max(1_500, (span - 4_000) / KILLS - 2_000);
    const [killLines, claimed] = await Promise.all([
      killAndRestart(victim, { kills: KILLS, gapMs: [1_000, 2 * meanGap - 1_000], log }),
      waitUntil(
        'every digest claimed',
        span + 120_000,
        async () => ((await digestsClaimed(setup.rig.databaseUrl)) >= channels.length ? true : undefined),
        500,
      ).catch(() => false),
    ]);
    const crashes = apps.flatMap((app, i) => app.crashes.map((crash) => `app ${'abc'[i]}: ${crash}`));
    for (const app of apps) if (!app.alive) await app.startApp(); // a crash is a finding; restart it as a supervisor would
    log(`  digests ${claimed ? 'all claimed' : 'NOT all claimed'}; stopping the load (${storm.events.size} events so far)`);
    await storm.stop();

    const accepted = [...storm.events.values()]
      .filter((event) => storm.answers.get(event.eventId)?.some((s) => s === 202 || s === 200))
      .map((e) => e.interviewId);
    const interviewPairs = expectedPairs(accepted, (id) => [...setup.specs[storm.events.get(id)!.specIndex]!.channels, ALL_CHANNEL]);
    const digestParts = (await digestOutcome(setup.rig.databaseUrl, channels, occurrence)).parts;
    const counts = () => {
      const all = arrivals(setup.rig.slack);
      for (const [key, n] of posts.update()) if (digestParts.has(key)) all.set(key, n);
      return all;
    };
    options.log(
      `  ${accepted.length} events accepted; waiting for ${interviewPairs.size} interview messages and ${digestParts.size} digest parts`,
    );
    const { drainSeconds } = await waitForDrain(counts, new Set([...interviewPairs, ...digestParts]), {
      timeoutMs: 200_000,
      log: options.log,
    });
    const final = counts();
    const interviews = compare(interviewPairs, new Map([...final].filter(([key]) => !digestParts.has(key))));
    const digestPosts = compare(digestParts, new Map([...final].filter(([key]) => digestParts.has(key))));
    const digests = await digestOutcome(setup.rig.databaseUrl, channels, occurrence);
    const stored = await completedInterviews(setup.rig.databaseUrl, accepted);
    const lost = accepted.filter((id) => !stored.has(id));
    const finals = [...storm.answers.values()];
    const twice202 = [...storm.answers]
      .filter(([, list]) => list.filter((s) => s === 202).length > 1)
      .map(([id, list]) => `${id}: ${list.join('/')}`);
    const otherAnswers = finals.flat().filter((s) => s !== 202 && s !== 200);
    const health = await Promise.all(apps.map((app) => app.get('/healthz').catch(() => 0)));
    const pass =
      [interviews, digestPosts].every((d) => d.missing.length === 0 && d.twice.length === 0) &&
      interviews.unexpected === 0 &&
      accepted.length === storm.events.size &&
      twice202.length === 0 &&
      otherAnswers.length === 0 &&
      lost.length === 0 &&
      claimed &&
      digests.wrongRows.length + digests.notAdvanced.length + digests.partsWithoutDelivery.length + digests.partsNotSent.length === 0 &&
      crashes.length === 0 &&
      health.every((status) => status === 200);
    const since = (at: Date) => `+${((at.getTime() - loadStart) / 1000).toFixed(1)}`;
    return {
      name: 'three replicas: storm, kill -9 ×5 of one, digests due',
      pass,
      seconds: (Date.now() - started) / 1000,
      lines: [
        ['apps on one PostgreSQL (digest clock on in each)', 3],
        ...killLines.map(([label, value]): [string, string | number] => [`app c: ${label}`, value]),
        ['answers (all tries, copies over the three apps)', statusLine(storm.statuses)],
        ['events answered 202 more than once', twice202.length],
        ['events a copy of which ended other than 202/200', otherAnswers.length],
        ...deliveryLines(storm.events.size, accepted.length, interviews),
        ['accepted events without a completed interview', lost.length],
        ['digests: channels scheduled / claimed / late', `${channels.length} / ${digests.claimedAt.length} / ${digests.late}`],
        [
          `digests claimed at (s from load start, ${new Date(loadStart).toISOString().slice(11, 19)} UTC)`,
          digests.claimedAt
            .map(since)
            .sort((a, b) => Number(a) - Number(b))
            .join(' ') || '-',
        ],
        [
          'digest parts: expected / posted once / missing / posted twice',
          `${digestParts.size} / ${digestPosts.arrived - digestPosts.twice.length} / ${digestPosts.missing.length} / ${digestPosts.twice.length}`,
        ],
        ['digest rows not one per (schedule, period)', digests.wrongRows.length],
        [
          'digest schedules not moved on / parts without delivery / not sent',
          `${digests.notAdvanced.length} / ${digests.partsWithoutDelivery.length} / ${digests.partsNotSent.length}`,
        ],
        ['drain after load stopped', `${drainSeconds.toFixed(1)} s`],
        ['deliveries in the database', await deliveryStatuses(setup.rig.databaseUrl)],
        ['/healthz at the end (a, b, c)', health.join(' ')],
        ['app crashes (exits not caused by the drill)', crashes.length === 0 ? 0 : crashes.join('; ')],
        ['app log lines at error+ (a, b, c)', apps.map((app) => app.errorLineCount).join(' ')],
        ['app logs', apps.map((app) => app.logFile).join(' ')],
      ],
      notes: [
        ...samples('answered 202 more than once', twice202),
        ...samples('accepted but no interview', lost),
        ...samples('missing', [...interviews.missing, ...digestPosts.missing]),
        ...samples('twice', [...interviews.twice, ...digestPosts.twice]),
        ...samples('digest rows', digests.wrongRows),
        ...samples('digest schedules not moved on', digests.notAdvanced),
        ...samples('digest parts', [...digests.partsWithoutDelivery, ...digests.partsNotSent]),
        ...apps.flatMap((app, i) => samples(`app ${'abc'[i]} errors`, app.errorLines, 3)),
      ],
    };
  } finally {
    await setup.rig.close();
  }
}

/**
 * The storm's load over several apps until stop(): every event three times, the copies of 10 events
 * shuffled together; copy c of event i goes to app (i + c) mod n, and a try with no answer or a 503
 * goes again, to the next app, as a load balancer in front of replicas would.
 */
function stormAcross(setup: DeliverySetup, apps: Rig[], inFlight: number, completedAt: Date) {
  const events = new Map<string, DrillEvent>();
  /** event id → the last answer of each copy */
  const answers = new Map<string, number[]>();
  const statuses = new Map<number, number>();
  const queue: { event: DrillEvent; index: number; copy: number }[] = [];
  let next = 0;
  let stopping = false;
  const take = () => {
    if (queue.length === 0 && !stopping) {
      const window: typeof queue = [];
      for (let index = next; index < next + 10; index += 1) {
        const event = makeEvent(setup, 'replicas', index, completedAt);
        events.set(event.interviewId, event);
        for (let copy = 0; copy < 3; copy += 1) window.push({ event, index, copy });
      }
      next += 10;
      queue.push(...shuffle(window));
    }
    return queue.shift();
  };
  const senders = Array.from({ length: inFlight }, async () => {
    for (let send = take(); send; send = take()) {
      let tries = send.index + send.copy;
      const balancer = { webhook: (raw: string) => apps[tries++ % apps.length]!.webhook(raw) };
      const status = await sendAsPlatform(balancer, send.event, statuses);
      answers.set(send.event.eventId, [...(answers.get(send.event.eventId) ?? []), status]);
    }
  });
  return {
    events,
    answers,
    statuses,
    accepted: () => [...answers.values()].filter((list) => list.some((s) => s === 202 || s === 200)).length,
    async stop() {
      stopping = true;
      await Promise.all(senders);
    },
  };
}
