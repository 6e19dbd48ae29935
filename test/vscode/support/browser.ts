// Debian's Chromium driven by playwright-core (which downloads no browser), headless, with a fresh
// profile (Playwright makes one per launch) and none of the background traffic this machine's
// closed network refuses.
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export type TestBrowser = { readonly browser: Browser; readonly context: BrowserContext; close(): Promise<void> };

export async function launchBrowser(options: { webgpu?: boolean } = {}): Promise<TestBrowser> {
  const args = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
    ...(options.webgpu ? ['--enable-unsafe-webgpu'] : []),
  ];
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args });
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
  return { browser, context, close: () => browser.close() };
}
