import { existsSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';

/** Debian's package; CI installs it (`apt-get install -y chromium`). CHROMIUM_PATH names another binary. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless Chromium for the browser suites, with `host` mapped to loopback: a name other than
 * localhost, which browsers treat as secure even over plain HTTP, so the pages see the
 * security headers a real deployment sends.
 */
export async function launchChromium(options: {
  readonly userDataDir: string;
  readonly host: string;
  readonly extraArgs?: readonly string[];
}): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: install it with "sudo apt-get install -y chromium" ` +
        '(Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome binary',
    );
  }
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: options.userDataDir,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.extraArgs ?? []),
      `--host-resolver-rules=MAP ${options.host} 127.0.0.1`,
    ],
  });
}
