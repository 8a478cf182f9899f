import { parseJson } from '../../test/support/fake-slack';
import { viewSubmission, type SentView } from '../../test/support/slack-views';
import { FakeBotConnector } from '../../test/support/fake-bot-connector';
import { fuzzCli } from './fuzz-cli';
import { cardActionInput } from './fuzz-cards';
import { edgeInput, teamsEnv } from './fuzz-edges';
import { prepareApiFuzz } from './fuzz-api';
import { chance, modalValue, pick, randomWord, slashText, webhookBody } from './fuzz-inputs';
import { ADMIN, DEMO_SPEC_SLUG, MEMBER, Rig, sleep } from './rig';
import { bump, pool, samples, statusLine, type DrillResult } from './tally';

const WENT_WRONG = "went wrong on Panelist's side";
/** The words every command over 4,000 characters is refused with (src/domain/command.ts). */
const TOO_LONG = 'a command can be at most 4,000';

/**
 * 10k fuzzed inputs, each signed so it reaches the parsers: `/spec` texts, edit-modal submissions
 * with random field values, mutated webhook bodies, and (a tenth) issue 12's edges (fuzz-edges.ts:
 * out-of-range numbers, skewed timestamps, oversized bodies, signed Teams junk, public /metrics; and
 * issue 14's pull API, fuzz-api.ts: keys, methods, paths, query strings),
 * which must each get their expected answer. Every answer must be < 500, no command may be answered
 * with the "something went wrong" reference, a command over 4,000 characters must be refused in its
 * ack, and the app must be alive at the end. Then hostile operator CLI runs (fuzz-cli.ts): each must
 * exit 1 or 2 with words, never a driver's text or a stack.
 */
export async function fuzz(options: { quick: boolean; log: (line: string) => void }): Promise<DrillResult> {
  const started = Date.now();
  const total = options.quick ? 1_000 : 10_000;
  const edges = Math.round(total * 0.1);
  const counts = {
    slash: Math.round(total * 0.4),
    modal: Math.round(total * 0.2),
    webhook: total - edges - Math.round(total * 0.4) - Math.round(total * 0.2),
    edges,
  };
  const connector = await new FakeBotConnector().start();
  const rig = await Rig.start({ name: 'fuzz', env: teamsEnv(connector) });
  try {
    // the demo spec is seeded just after the port opens (later still with Teams' SDK to load)
    await waitForDemoSpec(rig);
    await rig.subscribe(['CFUZZ'], DEMO_SPEC_SLUG);
    const apiKeys = await prepareApiFuzz(rig.databaseUrl);
    const statuses = {
      slash: new Map<number, number>(),
      modal: new Map<number, number>(),
      webhook: new Map<number, number>(),
      edges: new Map<number, number>(),
    };
    const bad: string[] = [];
    const note = (kind: string, status: number, input: string) => {
      if (status >= 500 || status === 0) bad.push(`${kind} → ${status || 'no answer'}: ${JSON.stringify(input.slice(0, 160))}`);
    };

    // slash commands
    const sentTexts = new Map<string, string>();
    await pool(counts.slash, 16, async () => {
      const text = slashText();
      const ack = await rig
        .spec(text, { channelId: pick(['CFUZZ', 'CFUZZ2', 'DFUZZ']), user: chance(0.7) ? ADMIN : MEMBER })
        .catch(() => ({ status: 0, responseId: '', text: '' }));
      sentTexts.set(ack.responseId, text);
      bump(statuses.slash, ack.status);
      note('slash', ack.status, text);
      if (ack.text.includes(WENT_WRONG)) bad.push(`slash ack says something went wrong: ${JSON.stringify(text.slice(0, 160))}`);
      // 413 is the HTTP edge's own refusal of a body that large, also fine.
      if (text.length > 4_000 && ack.status === 200 && !ack.text.includes(TOO_LONG))
        bad.push(`slash ack of ${text.length} characters is not the refusal`);
    });
    options.log(`  ${counts.slash} slash commands: ${statusLine(statuses.slash)}`);

    // modal submissions, on a freshly opened edit modal every 25 submissions
    let view: SentView | undefined;
    for (let done = 0; done < counts.modal; done += 25) {
      view = (await openModal(rig)) ?? view;
      if (!view) throw new Error('/spec edit did not open a modal');
      const opened = view;
      const inputs = opened.blocks.filter((b) => b.type === 'input' && b.block_id).map((b) => b.block_id!);
      await pool(Math.min(25, counts.modal - done), 8, async () => {
        const edits: Record<string, string> = {};
        for (let n = 1 + Math.floor(Math.random() * 6); n > 0; n -= 1) {
          const block = pick(inputs);
          const value = modalValue(block);
          if (value !== null) edits[block] = value;
        }
        const payload = viewSubmission(opened, chance(0.8) ? ADMIN : MEMBER, edits) as unknown as { view: Record<string, unknown> };
        if (chance(0.05))
          payload.view.private_metadata = pick(['', '{', 'null', '{"v":"x"}', randomWord(3_000), JSON.stringify({ specId: 'nope' })]);
        if (chance(0.03))
          (payload.view.state as { values: Record<string, unknown> }).values[pick(inputs)] = pick([
            {},
            null,
            { value: { type: 'plain_text_input', value: null } },
          ]);
        const response = await rig.interact(payload).catch(() => ({ status: 0, text: '' }));
        bump(statuses.modal, response.status);
        note('modal', response.status, JSON.stringify(edits));
        if (response.text.includes(WENT_WRONG)) bad.push(`modal answer says something went wrong: ${JSON.stringify(edits).slice(0, 200)}`);
      });
    }
    options.log(`  ${counts.modal} modal submissions: ${statusLine(statuses.modal)}`);

    // webhook bodies, 5% with a bad signature
    await pool(counts.webhook, 16, async () => {
      const body = webhookBody();
      const response = await rig.webhook(
        body,
        chance(0.05) ? { signature: pick(['', 't=1,v1=00', `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`]) } : {},
      );
      bump(statuses.webhook, response.status);
      note('webhook', response.status, body.toString('utf8'));
    });
    options.log(`  ${counts.webhook} webhook bodies: ${statusLine(statuses.webhook)}`);

    // issue 12's edges: each must get its own answer, not merely a non-5xx
    await pool(counts.edges, 4, async () => {
      // A quarter are the Teams edit card's actions (issue 14's forms), the rest issue 12's edges.
      const input = chance(0.25) ? cardActionInput(rig, connector) : edgeInput(rig, connector, apiKeys);
      const status = await input.send();
      bump(statuses.edges, status);
      note('edge', status, input.kind);
      if (status !== 0 && status < 500 && !input.expect.includes(status))
        bad.push(`edge ${input.kind} → ${status}, expected ${input.expect.join(' or ')}`);
    });
    options.log(`  ${counts.edges} edge inputs: ${statusLine(statuses.edges)}`);

    const cli = await fuzzCli(rig.databaseUrl, options.quick ? 20 : 100);
    bad.push(...cli.bad);
    const exitLine = [...cli.exits]
      .sort(([a], [b]) => a - b)
      .map(([code, n]) => `exit ${code}×${n}`)
      .join(' ');
    options.log(`  ${cli.runs} CLI runs: ${exitLine}`);

    // the commands' answers by response_url arrive after their acks
    await sleep(5_000);
    const wentWrong = rig.slack.responses.filter((r) => String(r.body.text ?? '').includes(WENT_WRONG));
    for (const response of wentWrong)
      bad.push(
        `answer says something went wrong for ${JSON.stringify((sentTexts.get(response.id) ?? '?').slice(0, 160))}: ${String(response.body.text).slice(0, 120)}`,
      );
    const health = rig.alive ? await rig.get('/healthz').catch(() => 0) : 0;
    const fiveHundreds = [...Object.values(statuses)].reduce(
      (sum, map) => sum + [...map].filter(([s]) => s >= 500 || s === 0).reduce((n, [, c]) => n + c, 0),
      0,
    );
    const wrongAnswers = bad.filter((line) => line.startsWith('edge ') && line.includes('expected')).length;
    const notRefused = bad.filter((line) => line.startsWith('slash ack of')).length;
    const pass =
      fiveHundreds === 0 &&
      wrongAnswers === 0 &&
      notRefused === 0 &&
      cli.bad.length === 0 &&
      wentWrong.length === 0 &&
      health === 200 &&
      rig.alive &&
      rig.crashes.length === 0 &&
      rig.errorLineCount === 0;
    return {
      name: 'fuzzed input',
      pass,
      seconds: (Date.now() - started) / 1000,
      lines: [
        ['inputs sent', total],
        ['slash commands', `${counts.slash}: ${statusLine(statuses.slash)}`],
        ['modal submissions', `${counts.modal}: ${statusLine(statuses.modal)}`],
        ['webhook bodies', `${counts.webhook}: ${statusLine(statuses.webhook)}`],
        ['edge inputs (issues 12 and 14)', `${counts.edges}: ${statusLine(statuses.edges)}`],
        ['edge inputs answered other than expected', wrongAnswers],
        ['5xx or no answer', fiveHundreds],
        ['CLI runs (exit codes)', `${cli.runs}: ${exitLine}`],
        ['CLI answers with driver text or a stack', cli.bad.length],
        ['answers by response_url', rig.slack.responses.length],
        ["answers saying 'something went wrong'", wentWrong.length],
        ['app alive, /healthz', `${rig.alive ? 'yes' : 'NO (crashed)'}, ${health}`],
        ['app log lines at error+', rig.errorLineCount],
        ['app log', rig.logFile],
      ],
      notes: [...samples('bad', bad, 8), ...samples('app errors', rig.errorLines, 5)],
    };
  } finally {
    await rig.close();
    await connector.stop();
  }
}

async function waitForDemoSpec(rig: Rig): Promise<void> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(200)) {
    if ((await rig.spec('list')).text.includes(DEMO_SPEC_SLUG)) return;
  }
  throw new Error('the demo spec was not seeded within 30 s');
}

async function openModal(rig: Rig): Promise<SentView | undefined> {
  const before = rig.slack.callsTo('views.open').length;
  // Each part's modal in turn (and sometimes a part that does not exist, which must be refused in words).
  await rig.spec(`edit ${DEMO_SPEC_SLUG} ${pick(['', 'musthaves', 'settings', 'must-haves', 'competencies'])}`.trim());
  const call = await rig.slack.waitFor(() => rig.slack.callsTo('views.open')[before], 10_000).catch(() => undefined);
  return call ? (parseJson(call.args.view) as SentView) : undefined;
}
