import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { type RunningApi, startApi } from '../support/api-app';
import { launchChromium } from '../support/chromium';

/** A name other than localhost (browsers treat localhost as secure even over plain HTTP), mapped to loopback. */
const HOST = 'mw-server';
export const SCREENSHOT = path.resolve(__dirname, '../../.tools/screenshots/swagger-ui.png');

describe('Swagger UI in a real browser, over plain HTTP on a host other than localhost', () => {
  let api: RunningApi;
  let browser: Browser;
  let profile: string;

  beforeAll(async () => {
    api = await startApi('e2e_swagger_ui');
    profile = mkdtempSync(path.join(tmpdir(), 'mw-chromium-'));
    browser = await launchChromium({ userDataDir: profile, host: HOST });
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
