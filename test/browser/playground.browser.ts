import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { RESULT_KIND } from '../../src/services/interview-apply';
import { createDb, type Db } from '../../src/store/db';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { waitUntil } from '../support/slack-events';
import { PlaygroundLauncher } from './support/playground-launcher';
import { PlaygroundPage } from './support/playground-page';

/**
 * `npm run playground` end to end: the launcher starts Panelist in Teams local mode and the
 * Microsoft 365 Agents Playground; Chromium types into the Playground's page what a hiring lead
 * would, and each step waits for what it means (a card on the page, a row in the database).
 * Screenshots go to test-artifacts/playground/; with README_IMAGES=true (npm run screenshots) the
 * spec card and an interview card also go to docs/images/.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const SHOTS = path.join(ROOT, 'test-artifacts', 'playground');
const README_IMAGES = process.env.README_IMAGES === 'true';
const SPEC = 'senior-backend-payments';
/** the personal chat's id in scripts/playground/agents-playground.yml */
const PERSONAL_CHAT = 'a:panelist-playground-personal-chat';
const NEW_TITLE = 'Senior Backend Engineer, Payments Platform';

let database: TestDatabase;
let db: Db;
let launcher: PlaygroundLauncher;
let playground: PlaygroundPage;

beforeAll(async () => {
  database = await createTestDatabase();
  db = createDb(database.url, { max: 2 });
  launcher = await PlaygroundLauncher.start({ DATABASE_URL: database.url, INTERVIEW_WEBHOOK_SECRET: 'browser-test-secret' });
  playground = await PlaygroundPage.open(launcher.playgroundUrl, SHOTS, { scale: README_IMAGES ? 2 : 1 });
});

afterAll(async () => {
  await playground?.close();
  await launcher?.stop();
  // what Panelist, the launcher and the Playground printed, beside the screenshots
  if (launcher) await writeFile(path.join(SHOTS, 'launcher.log'), launcher.output);
  await db?.$disconnect();
  await database?.drop();
});

describe('Panelist in the Agents Playground, no tenant', () => {
  it('answers help with the command card', async () => {
    await playground.say('help');
    await playground.card('subscribe <spec|all> [private]');
    await playground.shot('01-help');
  });

  it('shows the demo spec as a card', async () => {
    await playground.say(`show ${SPEC}`);
    const card = await playground.card('Live performance');
    await card.getByText('financial_systems_design').first().waitFor();
    await playground.shot('02-show');
  });

  it('opens the edit card, and its Save makes version 2', async () => {
    await playground.say(`edit ${SPEC}`);
    const form = playground.page.locator('.ac-adaptiveCard').filter({ has: playground.page.getByRole('button', { name: 'Save' }) });
    await form.waitFor();
    await form.getByLabel('Title', { exact: true }).fill(NEW_TITLE);
    await form.getByLabel(/What changed/).fill('Comma instead of a dash, as on the job board');
    await playground.shot('03-edit-form');
    await form.getByRole('button', { name: 'Save' }).click();
    await playground.card(/Saved v2 of senior-backend-payments/);
    const saved = await waitUntil(
      () => db.specVersion.findFirst({ where: { spec: { slug: SPEC }, number: 2 } }),
      'version 2 of the spec in the database',
    );
    expect(saved).toMatchObject({ title: NEW_TITLE, authorPlatform: 'teams', authorName: 'Priya Raman' });
    await playground.shot('04-saved');
  });

  it('subscribes the chat, and an interview from npx panelist demo arrives as a card', async () => {
    await playground.say(`subscribe ${SPEC}`);
    await playground.reply(/now follows/);
    await waitUntil(() => db.subscription.findFirst({ where: { platform: 'teams', channelId: PERSONAL_CHAT } }), 'the subscription row');

    await promisify(execFile)(
      process.execPath,
      [path.join(ROOT, 'bin', 'panelist.js'), 'demo', '--weeks', '2', '--rate', '50', '--url', launcher.panelistUrl],
      { env: launcher.env },
    );
    // Every completed interview is one delivery; a rescore changes its card in place.
    let rows: { status: string; renderedVersion: number; contentVersion: number; lastError: string | null }[] = [];
    const sent = await waitUntil(
      async () => {
        rows = await db.delivery.findMany({ where: { channelId: PERSONAL_CHAT, kind: RESULT_KIND } });
        const settled = rows.length > 0 && rows.every((row) => row.status === 'sent' && row.renderedVersion === row.contentVersion);
        return settled ? rows : undefined;
      },
      'every interview card delivered',
      60_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}: ${JSON.stringify(rows)}`);
    });
    const cards = playground.cards('Open the full report');
    await cards.nth(sent.length - 1).waitFor();
    expect(await cards.count()).toBe(sent.length);
    await playground.shot('05-interview-cards');
    if (README_IMAGES) await playground.messageShot(cards.last(), path.join(ROOT, 'docs', 'images', 'playground-interview-card.png'));
  });

  it('shows the spec again with the week’s live performance', async () => {
    await playground.say(`show ${SPEC}`);
    const card = await playground.card(/interviews [1-9]/);
    await card.getByText(NEW_TITLE).first().waitFor();
    await playground.shot('06-show-after-demo');
    if (README_IMAGES) await playground.messageShot(card, path.join(ROOT, 'docs', 'images', 'playground-spec-card.png'));
  });
});
