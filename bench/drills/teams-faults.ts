import { BOT_APP_ID, FakeBotConnector, TENANT_ID, type ConnectorFault, type FakeMember } from '../../test/support/fake-bot-connector';
import { makeEvent, deliveryStatuses, sendAsPlatform, type DeliverySetup, type DrillEvent } from './load';
import { Rig, sleep, specDocuments } from './rig';
import { bump, deliveryLines, expectedPairs, pool, samples, statusLine, waitForDrain, type DrillResult } from './tally';

const TEAM_ID = '19:drill-team@thread.tacv2';
const OWNER: FakeMember = { id: '29:drill-owner', aadObjectId: 'aad-drill-owner', name: 'Drill Owner', userRole: 'owner' };
const BOT = `28:${BOT_APP_ID}`;
const REPORT = /interviews\.example\.com\/r\/([A-Za-z0-9_-]+)/;

/**
 * Teams' lost answers at volume: the fake Bot Connector takes a post and then answers 502 (10%) or
 * cuts the connection (5%), refuses a post with 504 (5%, nothing landed) or 429 (5%); Graph, asked
 * for the posts whose answer was lost, answers 503 5% of the time. Every (interview, channel) must
 * show exactly one card.
 */
export function teamsFaults(options: DrillOptions): Promise<DrillResult> {
  return teamsDrill({
    ...options,
    name: 'Teams taking posts and losing the answer (15%), refusing 10%, Graph 503 5%',
    tag: 'teams-faults',
    count: options.quick ? 200 : 600,
    faults: true,
    kills: 0,
  });
}

/**
 * kill -9 of the app with Teams on, three times while events come in: posts cut off between the
 * Connector's answer and the pipeline's record are found again (teams_sent_activity, or Graph for a
 * post whose answer the process never read), after their lease runs out.
 */
export function teamsKill(options: DrillOptions): Promise<DrillResult> {
  return teamsDrill({
    ...options,
    name: 'Teams: kill -9 ×3 while posting',
    tag: 'teams-kill',
    count: options.quick ? 150 : 400,
    faults: false,
    kills: 3,
  });
}

type DrillOptions = { quick: boolean; log: (line: string) => void };

async function teamsDrill(
  options: DrillOptions & { name: string; tag: string; count: number; faults: boolean; kills: number },
): Promise<DrillResult> {
  const started = Date.now();
  const { count } = options;
  const connector = await new FakeBotConnector().start();
  connector.members.set(OWNER.id, OWNER);
  connector.teamGroups.set(TEAM_ID, 'drill-group');
  const documents = specDocuments(5);
  const rig = await Rig.start({
    name: options.tag,
    specs: documents,
    env: {
      TEAMS_CLIENT_ID: BOT_APP_ID,
      TEAMS_CLIENT_SECRET: 'drill-secret',
      TEAMS_TENANT_ID: TENANT_ID,
      TEAMS_LOGIN_ENDPOINT: connector.loginEndpoint,
      TEAMS_OPENID_METADATA_URL: connector.openIdMetadataUrl,
      TEAMS_SERVICE_URL: connector.serviceUrl,
      TEAMS_GRAPH_URL: connector.graphUrl,
      TEAMS_SEARCH_DELAY_MS: '1000',
    },
  });
  try {
    const specs = documents.map((doc, s) => ({
      id: doc.id,
      slug: doc.slug,
      channels: [0, 1].map((c) => `19:drill-${s}-${c}@thread.tacv2`),
    }));
    for (const spec of specs) for (const channel of spec.channels) await subscribe(rig, connector, channel, spec.slug);
    const served = new Map<string, number>();
    connector.chaos = () => {
      const fault = options.faults ? randomFault() : undefined;
      bump(served, fault ? (fault.accepted ? `${fault.drop ? 'cut' : fault.status} after taking it` : String(fault.status)) : 'ok');
      return fault;
    };
    if (options.faults) connector.graph.chaos = () => (Math.random() < 0.05 ? 503 : undefined);

    const setup: DeliverySetup = { rig, specs };
    const events = new Map<string, DrillEvent>();
    const statuses = new Map<number, number>();
    let accepted = 0;
    const sending = pool(count, 8, async (index) => {
      const event = makeEvent(setup, 'teams', index);
      events.set(event.interviewId, event);
      const status = await sendAsPlatform(rig, event, statuses);
      if (status === 202 || status === 200) accepted += 1;
    });
    const downtimes = await killWhile(rig, options);
    await sending;
    const expected = expectedPairs(events.keys(), (interview) => specs[events.get(interview)!.specIndex]!.channels);
    const { delivered, drainSeconds } = await waitForDrain(() => arrivals(connector), expected, {
      // after a kill, a post cut off mid-flight waits out its 2-minute lease before it is looked for
      timeoutMs: options.kills > 0 ? 240_000 : options.quick ? 150_000 : 240_000,
      settleMs: 5_000,
      log: options.log,
    });
    const searches = connector.graph.requests.length;
    const found = await metric(rig, 'panelist_delivery_attempts_total{platform="teams",result="found"}');
    const crashes = [...rig.crashes];
    const pass =
      accepted === count &&
      delivered.missing.length === 0 &&
      delivered.twice.length === 0 &&
      delivered.unexpected === 0 &&
      crashes.length === 0;
    return {
      name: options.name,
      pass,
      seconds: (Date.now() - started) / 1000,
      lines: [
        ...(options.kills > 0 ? ([['SIGKILLs, down each time', `${downtimes.length}: ${downtimes.join(' ')}`]] as [string, string][]) : []),
        ['webhook answers', statusLine(statuses)],
        ...deliveryLines(count, accepted, delivered),
        ['posts answered', [...served].map(([kind, n]) => `${kind} ×${n}`).join(', ')],
        ['Graph searches (requests) / posts found again (after the last start)', `${searches} / ${found}`],
        ['drain after the last event', `${drainSeconds.toFixed(1)} s`],
        ['deliveries in the database', await deliveryStatuses(rig.databaseUrl)],
        ['app crashes (exits not caused by the drill)', crashes.length === 0 ? 0 : crashes.join('; ')],
        ['app log lines at error+', rig.errorLineCount],
        ['app log', rig.logFile],
      ],
      notes: [...samples('missing', delivered.missing), ...samples('twice', delivered.twice), ...samples('app errors', rig.errorLines, 3)],
    };
  } finally {
    await rig.close();
    await connector.stop();
  }
}

/**
 * SIGKILLs the app `options.kills` times, a second or two apart, from the start of the load (the
 * posts run on well after the last event is accepted), restarting it each time; the downtimes.
 */
async function killWhile(rig: Rig, options: DrillOptions & { kills: number }): Promise<string[]> {
  const downtimes: string[] = [];
  for (let kill = 1; kill <= options.kills; kill += 1) {
    await sleep(1_000 + Math.random() * 1_500);
    await rig.killApp();
    const down = Date.now();
    await sleep(200 + Math.random() * 800);
    await rig.startApp();
    downtimes.push(`${((Date.now() - down) / 1000).toFixed(1)}s`);
    options.log(`  kill ${kill}: back after ${downtimes[downtimes.length - 1]}`);
  }
  return downtimes;
}

function randomFault(): ConnectorFault | undefined {
  const roll = Math.random();
  if (roll < 0.1) return { status: 502, accepted: true };
  if (roll < 0.15) return { status: 0, accepted: true, drop: true };
  if (roll < 0.2) return { status: 504 };
  if (roll < 0.25) return { status: 429, retryAfter: 1 };
  return undefined;
}

/** (interview, conversation) → interview cards in it, whatever the answer to their post was. */
function arrivals(connector: FakeBotConnector): Map<string, number> {
  const counts = new Map<string, number>();
  for (const activity of connector.activities) {
    const interview = REPORT.exec(JSON.stringify(activity.body.attachments ?? ''))?.[1];
    if (interview) bump(counts, `${interview} ${activity.conversationId}`);
  }
  return counts;
}

/** `@Panelist subscribe <slug>` in a channel, as Teams sends it, checked by the bot's answer. */
async function subscribe(rig: Rig, connector: FakeBotConnector, channel: string, slug: string): Promise<void> {
  const conversationId = `${channel};messageid=1700000000000`;
  const before = connector.in(conversationId).length;
  const response = await fetch(`${rig.baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${connector.sign()}` },
    body: JSON.stringify({
      type: 'message',
      id: `drill-${channel}`,
      channelId: 'msteams',
      serviceUrl: connector.serviceUrl,
      text: `<at>Panelist</at> subscribe ${slug}`,
      from: { id: OWNER.id, name: OWNER.name, aadObjectId: OWNER.aadObjectId },
      recipient: { id: BOT, name: 'Panelist' },
      conversation: { id: conversationId, conversationType: 'channel', tenantId: TENANT_ID, isGroup: true },
      entities: [{ type: 'mention', text: '<at>Panelist</at>', mentioned: { id: BOT, name: 'Panelist' } }],
      channelData: { tenant: { id: TENANT_ID }, team: { id: TEAM_ID, name: 'Drill' }, channel: { id: channel, name: channel } },
    }),
  });
  if (response.status !== 200) throw new Error(`subscribing ${channel} answered ${response.status}`);
  const answer = await connector.waitFor(() => connector.in(conversationId)[before], 15_000);
  if (!JSON.stringify(answer.body).includes('now follows'))
    throw new Error(`subscribing ${channel} to ${slug} failed: ${JSON.stringify(answer.body)}`);
}

async function metric(rig: Rig, series: string): Promise<number> {
  const text = await rig.metrics();
  const line = text.split('\n').find((l) => l.startsWith(series));
  return line ? Number(line.split(' ').pop()) : 0;
}
