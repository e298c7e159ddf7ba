import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'puppeteer-core';
import request from 'supertest';
import { buildConsole } from '../../scripts/build-console';
import { type RunningApi, startApi } from '../support/api-app';
import { writeApiKeysFile } from '../support/api-keys-file';
import { launchChromium } from '../support/chromium';
import { CONSOLE_SERIES, CONSOLE_ZONE, consoleLocalDate, seedConsoleSeries } from '../support/console-seed';

/** A name other than localhost (browsers treat localhost as secure even over plain HTTP), mapped to loopback. */
const HOST = 'mw-server';
const ARTEFACTS = path.resolve(__dirname, '../../.tools/screenshots');
const ZONE = CONSOLE_ZONE;
const { id: ID, from: FROM, to: TO, missingSession: MISSING_SESSION, partialSession: PARTIAL_SESSION } = CONSOLE_SERIES;
const PARTIAL_MINUTES = CONSOLE_SERIES.partialMinutes;

/** The page's state, as `window.__console` hands it out. */
interface ConsoleState {
  ready: boolean;
  series: { kind: string; id: string } | null;
  params: { timeframe: string; adjustment: string; tz: string; from: string | null; to: string | null } | null;
  candles: number;
  pages: number;
  hasOlder: boolean;
  firstBar: string | null;
  lastBar: string | null;
  visibleRange: { from: string; to: string; bars: number } | null;
  gaps: Array<{ date: string; status: string; missingBars: number; left: number; right: number }>;
  requests: Array<{ purpose: string; url: string; status: number }>;
  error: { title: string; detail: string } | null;
  credentialsAsked: boolean;
  quote: { ts: string; price: string } | null;
  lastDownload: { format: string; url: string; fileName: string; bytes: number } | null;
}

/** The text of the element `selector` names (evaluated as text: this project compiles without the DOM's types). */
const textOf = (page: Page, selector: string): Promise<string> =>
  page.evaluate(`document.querySelector(${JSON.stringify(selector)}).textContent`) as Promise<string>;

/** Bytes on the wire (headers included), for the console's own files and for the API calls it made. */
interface Transferred {
  console: number;
  api: number;
  total: number;
}

const state = (page: Page): Promise<ConsoleState> => page.evaluate('window.__console') as Promise<ConsoleState>;

async function settled(page: Page, condition = 'true'): Promise<ConsoleState> {
  await page.waitForFunction(`window.__console !== undefined && window.__console.ready && (${condition})`, {
    timeout: 30_000,
    polling: 100,
  });
  // The chart draws on the next animation frame.
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
  return state(page);
}

const localDate = consoleLocalDate;

/**
 * The web console in headless Chromium against the real API on Cassandra: two weeks of
 * one-minute bars with one session deleted and half an hour of the next, then what a user
 * does — read candles, switch timeframe, scroll back, see the gaps, download, and sign in.
 */
describe('web console in a real browser (/console)', () => {
  let api: RunningApi;
  let secured: RunningApi;
  let keys: Record<'analyst' | 'catalogOnly', string>;
  let browser: Browser;
  let profile: string;
  let downloads: string;
  let stored: number[];

  const origin = (running: RunningApi): string =>
    `http://${HOST}:${(running.app.getHttpServer().address() as AddressInfo).port}`;

  /** A new tab that records console errors, page errors, failed requests and CSP violations. */
  async function openPage(): Promise<{ page: Page; problems: string[]; transferred: () => Transferred }> {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 760 });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${String(error)}`));
    page.on('requestfailed', (request) => {
      // A download hands its blob to the browser and never "finishes" as a page request.
      if (!request.url().startsWith('blob:'))
        problems.push(`failed: ${request.url()} (${request.failure()?.errorText ?? 'unknown'})`);
    });
    await page.exposeFunction('__reportCspViolation', (text: string) => problems.push(`CSP violation: ${text}`));
    await page.evaluateOnNewDocument(
      "document.addEventListener('securitypolicyviolation', (event) => window.__reportCspViolation(event.violatedDirective + ' ' + event.blockedURI))",
    );
    const cdp = await page.createCDPSession();
    await cdp.send('Network.enable');
    const urls = new Map<string, string>();
    const bytes = { console: 0, api: 0 };
    cdp.on('Network.responseReceived', (event) => urls.set(event.requestId, event.response.url));
    cdp.on('Network.loadingFinished', (event) => {
      const url = urls.get(event.requestId) ?? '';
      bytes[new URL(url, 'http://x').pathname.startsWith('/console') ? 'console' : 'api'] += event.encodedDataLength;
    });
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads, eventsEnabled: true });
    return { page, problems, transferred: () => ({ ...bytes, total: bytes.console + bytes.api }) };
  }

  beforeAll(async () => {
    // The console as the sources are now, where the API reads it at start-up.
    await buildConsole();
    api = await startApi('e2e_console');
    const issued = writeApiKeysFile({ analyst: ['read:data', 'read:assets'], catalogOnly: ['read:assets'] });
    keys = issued.keys;
    secured = await startApi('e2e_console', { AUTH_ENABLED: 'true', AUTH_API_KEYS_FILE: issued.file }, api);

    stored = await seedConsoleSeries(api);

    profile = mkdtempSync(path.join(tmpdir(), 'mw-chromium-'));
    downloads = mkdtempSync(path.join(tmpdir(), 'mw-downloads-'));
    browser = await launchChromium({
      userDataDir: profile,
      host: HOST,
      extraArgs: ['--force-color-profile=srgb'],
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await secured?.close();
    await api?.close();
    for (const dir of [profile, downloads]) if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('serves the built files under the API security headers, cached by ETag, outside the OpenAPI document', async () => {
    const page = await api.http.get('/console').expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const etag = page.headers.etag as string;
    expect(etag).toMatch(/^"[\w-]+"$/);
    await api.http.get('/console').set('If-None-Match', etag).expect(304);
    const script = /src="\/console\/(console-[A-Z0-9]+\.js)"/.exec(page.text)?.[1];
    const styles = /href="\/console\/(console-[A-Z0-9]+\.css)"/.exec(page.text)?.[1];
    expect(script).toBeDefined();
    const js = await api.http.get(`/console/${script}`).expect(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // Gzipped once at start-up for clients that take it (supertest does), as sent otherwise.
    expect(js.headers['content-encoding']).toBe('gzip');
    expect(js.headers.vary).toBe('Accept-Encoding');
    const identity = await api.http.get(`/console/${script}`).set('Accept-Encoding', 'identity').expect(200);
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.text).toBe(js.text);
    const css = await api.http.get(`/console/${styles}`).expect(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    // Nothing inline for the CSP to allow: no inline script, style element or style attribute.
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=|\son\w+=/i);

    const unknown = await api.http.get('/console/..%2Fpackage.json').expect(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    const documented = await api.http.get('/docs-json').expect(200);
    expect(Object.keys(documented.body.paths as object).filter((route) => route.includes('console'))).toEqual([]);
    // With auth on, the files (which hold no data) need no credentials; the data still does.
    await secured.http.get('/console').expect(200);
    await secured.http.get(`/api/v1/data/${ID}`).expect(401);
  });

  it('draws the expected candles for a known range, then one request redraws it at 1d', async () => {
    const { page, problems, transferred } = await openPage();
    await page.goto(`${origin(api)}/console#kind=asset&id=${ID}&tf=1h&from=${FROM}&to=${TO}`, {
      waitUntil: 'networkidle0',
    });
    const hourly = await settled(page, 'window.__console.candles > 0');
    const weight = transferred();
    const expectedHours = new Set(stored.map((ts) => Math.floor(ts / 3_600_000))).size;
    expect(hourly.params).toMatchObject({ timeframe: '1h', adjustment: 'raw', tz: ZONE.name, from: FROM, to: TO });
    expect(hourly.candles).toBe(expectedHours);
    expect(hourly.pages).toBe(1);
    expect(hourly.firstBar).toBe('2025-06-30T13:00:00.000Z');
    expect(hourly.quote?.ts).toBe('2025-07-11T19:59:00.000Z');
    expect(hourly.error).toBeNull();

    // The gaps of the visible range, shaded: the deleted session as missing, the half hour as partial.
    const missing = hourly.gaps.filter((gap) => gap.status === 'missing');
    expect(missing.map((gap) => [gap.date, gap.missingBars])).toEqual([[MISSING_SESSION, 390]]);
    expect(hourly.gaps.filter((gap) => gap.status === 'partial').map((gap) => [gap.date, gap.missingBars])).toEqual([
      [PARTIAL_SESSION, PARTIAL_MINUTES],
    ]);
    const bands = (await page.evaluate(`Array.from(document.querySelectorAll('#gaps .gap'), (band) => {
      const box = band.getBoundingClientRect();
      const chart = document.getElementById('chart').getBoundingClientRect();
      return { status: band.classList.contains('missing') ? 'missing' : 'partial', width: box.width, height: box.height,
        inside: box.left >= chart.left && box.right <= chart.right, fill: getComputedStyle(band).backgroundColor };
    })`)) as Array<{ status: string; width: number; height: number; inside: boolean; fill: string }>;
    expect(bands).toHaveLength(2);
    for (const band of bands) {
      expect(band).toMatchObject({ inside: true });
      expect(band.width).toBeGreaterThanOrEqual(2);
      expect(band.height).toBeGreaterThan(100);
      expect(band.fill).not.toBe('rgba(0, 0, 0, 0)');
    }
    mkdirSync(ARTEFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTEFACTS, 'console.png') });
    const before = await page.screenshot();

    const requestsBefore = hourly.requests.length;
    await page.click('#timeframes button[data-timeframe="1d"]');
    const daily = await settled(page, "window.__console.params.timeframe === '1d'");
    const added = daily.requests.slice(requestsBefore);
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ purpose: 'data', status: 200 });
    expect(added[0]?.url).toContain('timeframe=1d');
    expect(daily.candles).toBe(new Set(stored.map(localDate)).size);
    expect(Buffer.compare(before, await page.screenshot())).not.toBe(0);
    expect(page.url()).toContain('tf=1d');

    writeFileSync(
      path.join(ARTEFACTS, 'console-weight.json'),
      JSON.stringify({ firstLoadBytes: weight, measuredAt: new Date().toISOString() }, null, 2),
    );
    expect(weight.console).toBeGreaterThan(0);
    expect(weight.api).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('loads the previous page as the user drags the chart back in time', async () => {
    const { page, problems } = await openPage();
    await page.goto(`${origin(api)}/console#kind=asset&id=${ID}&tf=1m&from=${FROM}&to=${TO}`, {
      waitUntil: 'networkidle0',
    });
    const first = await settled(page, 'window.__console.candles > 0');
    expect(first).toMatchObject({ pages: 1, candles: 500, hasOlder: true });
    const box = await page.$eval('#chart', (chart) => {
      const rect = chart.getBoundingClientRect();
      return { x: rect.x, y: rect.y, width: rect.width, height: rect.height };
    });
    for (let drag = 0; drag < 12 && (await state(page)).pages < 2; drag += 1) {
      await page.mouse.move(box.x + 150, box.y + box.height / 3);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width - 150, box.y + box.height / 3, { steps: 12 });
      await page.mouse.up();
      await sleep(200);
    }
    const second = await settled(page, 'window.__console.pages >= 2');
    expect(second.candles).toBe(1000);
    expect(Date.parse(second.firstBar ?? '')).toBeLessThan(Date.parse(first.firstBar ?? ''));
    expect(second.lastBar).toBe(first.lastBar);
    const older = second.requests.filter((request) => request.purpose === 'data');
    expect(older).toHaveLength(2);
    expect(older[1]?.url).toContain('page_token=');
    expect(older[1]?.url).toContain('sort=desc');
    expect(problems).toEqual([]);
    await page.close();
  });

  it.each(['csv', 'parquet'] as const)(
    'downloads the visible range as %s, byte for byte the API export',
    async (format) => {
      const { page, problems } = await openPage();
      await page.goto(`${origin(api)}/console#kind=asset&id=${ID}&tf=1h&from=${FROM}&to=${TO}`, {
        waitUntil: 'networkidle0',
      });
      const shown = await settled(page, 'window.__console.candles > 0');
      const visible = shown.visibleRange;
      expect(visible).not.toBeNull();
      for (const name of readdirSync(downloads)) rmSync(path.join(downloads, name));
      await page.click(`#download-${format}`);
      const done = await settled(page, 'window.__console.lastDownload !== null');
      const fileName = done.lastDownload?.fileName ?? '';
      const file = path.join(downloads, fileName);
      for (let wait = 0; wait < 100 && !existsSync(file); wait += 1) await sleep(100);
      const downloaded = readFileSync(file);

      // Raw bytes: the contract checker of api.http reads JSON bodies only.
      const exported = await request(api.app.getHttpServer())
        .get(`/api/v1/data/${ID}`)
        .query({ timeframe: '1h', from: visible?.from, to: visible?.to, format })
        .buffer(true)
        .parse((response, callback) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => callback(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(downloaded.length).toBe(done.lastDownload?.bytes);
      expect(downloaded.equals(exported.body as Buffer)).toBe(true);
      if (format === 'csv') {
        expect(downloaded.toString('utf8').trimEnd().split('\n')).toHaveLength((visible?.bars ?? 0) + 1);
      }
      expect(problems).toEqual([]);
      await page.close();
    },
  );

  it('asks for credentials on 401 and says in words what a wrong key (401) and a missing scope (403) mean', async () => {
    const { page, problems } = await openPage();
    await page.goto(`${origin(secured)}/console#kind=asset&id=${ID}&tf=1d`, { waitUntil: 'networkidle0' });
    const asked = await settled(page, 'window.__console.credentialsAsked');
    expect(asked.error?.title).toBe('Sign-in needed for reading the catalog.');
    expect(await textOf(page, '#empty')).toContain('Sign-in needed');

    const signIn = async (key: string): Promise<void> => {
      await page.select('#credentials-kind', 'api-key');
      await page.type('#credentials-secret', key);
      await page.click('#credentials-form button[type="submit"]');
    };
    await signIn('mwk_this-key-was-never-issued');
    const refused = await settled(page, 'window.__console.credentialsAsked');
    expect(refused.error?.title).toBe('Sign-in needed for reading the catalog.');
    expect(await textOf(page, '#banner')).toMatch(/credentials/i);
    expect(await textOf(page, '#credentials-reason')).toContain('refused these credentials');

    await signIn(keys.catalogOnly);
    const forbidden = await settled(page, 'window.__console.error !== null && window.__console.series !== null');
    expect(forbidden.error?.title).toBe(`Not allowed: loading ${ID}.`);
    expect(forbidden.error?.detail).toContain('read:data');
    expect(await page.evaluate("document.getElementById('banner').hidden")).toBe(false);
    expect(await textOf(page, '#empty')).toContain('Not allowed');
    await page.screenshot({ path: path.join(ARTEFACTS, 'console-403.png') });

    await page.click('#credentials-button');
    await signIn(keys.analyst);
    const allowed = await settled(page, 'window.__console.candles > 0');
    expect(allowed.error).toBeNull();
    expect(allowed.candles).toBe(new Set(stored.map(localDate)).size);
    // The browser logs every 4xx response it fetched; those are the ones this test asked for.
    expect(problems.filter((line) => !/status of 40[13] \(/.test(line))).toEqual([]);
    await page.close();
  });
});
