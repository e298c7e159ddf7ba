import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { type RunningApi, startApi } from '../support/api-app';

/** Debian's package; CI installs it (`apt-get install -y chromium`). CHROMIUM_PATH names another binary. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** A name other than localhost (browsers treat localhost as secure even over plain HTTP), mapped to loopback. */
const HOST = 'mw-server';
export const SCREENSHOT = path.resolve(__dirname, '../../.tools/screenshots/swagger-ui.png');

describe('Swagger UI in a real browser, over plain HTTP on a host other than localhost', () => {
  let api: RunningApi;
  let browser: Browser;
  let profile: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium is not installed at ${CHROMIUM}: install it with "sudo apt-get install -y chromium" ` +
          '(Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome binary',
      );
    }
    api = await startApi('e2e_swagger_ui');
    profile = mkdtempSync(path.join(tmpdir(), 'mw-chromium-'));
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      userDataDir: profile,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--host-resolver-rules=MAP ${HOST} 127.0.0.1`,
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  });

  it('renders the operations with no console error and no blocked or failed request', async () => {
    const { port } = api.app.getHttpServer().address() as AddressInfo;
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${String(error)}`));
    page.on('requestfailed', (request) =>
      problems.push(`failed: ${request.url()} (${request.failure()?.errorText ?? 'unknown'})`),
    );

    const response = await page.goto(`http://${HOST}:${port}/docs`, { waitUntil: 'networkidle0' });
    expect(response?.status()).toBe(200);
    await page.waitForSelector('.opblock', { timeout: 15_000 }).catch(() => undefined);

    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(problems).toEqual([]);
    // Evaluated in the browser (as text: this project compiles without the DOM's types).
    const operations = (await page.evaluate(
      "Array.from(document.querySelectorAll('.opblock .opblock-summary-path'), (path) => path.textContent.trim())",
    )) as string[];
    expect(operations).toEqual(expect.arrayContaining(['/api/v1/assets', '/api/v1/data/{asset_id}']));
    expect(operations.length).toBeGreaterThanOrEqual(8);
  });
});
