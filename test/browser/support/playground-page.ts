import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`): playwright-core downloads no browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Tall enough that the spec card, the tallest message, is on screen whole (the chat pane scrolls, not the page). */
const VIEWPORT = { width: 1280, height: 1700 };
/** Cards arrive in a second or two; the first page load also compiles the Playground's bundle. */
const REPLY_MS = 30_000;

/**
 * The Agents Playground's web page, driven as a person would: type in the compose box, read the
 * Adaptive Cards (`.ac-adaptiveCard`, the renderer Teams uses) and text that come back, fill a
 * card's inputs by their labels, press its buttons.
 */
export class PlaygroundPage {
  private constructor(
    private readonly browser: Browser,
    readonly page: Page,
    private readonly shotsDir: string,
  ) {}

  /** `scale` 2 draws every CSS pixel as four, for images that stay sharp on high-density screens. */
  static async open(url: string, shotsDir: string, { scale = 1 }: { scale?: number } = {}): Promise<PlaygroundPage> {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`No Chromium at ${CHROMIUM}: install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH.`);
    }
    await mkdir(shotsDir, { recursive: true });
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: scale });
    page.setDefaultTimeout(REPLY_MS);
    await page.goto(url);
    await page.locator('[data-lexical-editor="true"]').waitFor();
    return new PlaygroundPage(browser, page, shotsDir);
  }

  /** Types a message in the personal chat with Panelist and sends it. */
  async say(text: string): Promise<void> {
    const compose = this.page.locator('[data-lexical-editor="true"]');
    const echoes = this.page.getByText(text, { exact: true });
    const before = await echoes.count();
    await compose.click();
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Enter');
    await echoes.nth(before).waitFor();
  }

  /** The newest Adaptive Card that shows `text` once it has appeared. */
  async card(text: string | RegExp): Promise<Locator> {
    const card = this.page.locator('.ac-adaptiveCard').filter({ hasText: text }).last();
    await card.waitFor();
    return card;
  }

  /** Waits for a plain-text answer (not a card) that says `text`. */
  async reply(text: string | RegExp): Promise<void> {
    await this.page.getByText(text).last().waitFor();
  }

  cards(text: string | RegExp): Locator {
    return this.page.locator('.ac-adaptiveCard').filter({ hasText: text });
  }

  /** The whole page, as a test artefact. */
  async shot(name: string): Promise<void> {
    await this.page.screenshot({ path: path.join(this.shotsDir, `${name}.png`) });
  }

  /** One message as the chat shows it: the card, with Panelist's avatar and name above it. */
  async messageShot(card: Locator, file: string): Promise<void> {
    await card.scrollIntoViewIfNeeded();
    const box = await card.boundingBox();
    if (!box) throw new Error('the card is not on screen');
    const clip = { x: box.x - 76, y: box.y - 34, width: box.width + 96, height: box.height + 50 };
    await mkdir(path.dirname(file), { recursive: true });
    await this.page.screenshot({ path: file, clip });
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
