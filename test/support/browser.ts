import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Debian's Chromium, headless, for the page tests. playwright-core brings no browser of its own;
 * each launch gets a fresh profile (a new temporary user-data-dir, removed on close), and the
 * flags keep it from talking to anything but the test server on 127.0.0.1.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  // Never a skip: without the browser these tests must fail and say why (CI installs it, .ci/run).
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH.`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 30_000, env: browserEnvironment() });
}

/**
 * The person's browser runs on the real clock: CI's date-moved run (.ci/run) preloads faketime
 * into every process it starts, and Chromium's crash handler cannot start under it.
 */
function browserEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && name !== 'LD_PRELOAD' && !name.startsWith('FAKETIME')) env[name] = value;
  }
  return env;
}

/** Collects every alert/confirm/prompt the page opens (an XSS payload that ran), and dismisses it. */
export function watchDialogs(page: Page): string[] {
  const seen: string[] = [];
  page.on('dialog', (dialog) => {
    seen.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  return seen;
}

/**
 * The share of a screenshot's pixels that carry ink, counted by drawing it on a canvas in the
 * browser: `dark` counts text-dark pixels (every channel below 128), `not-white` anything but
 * (near) white (a channel below 235), for pictures with light colours.
 */
export async function inkShare(browser: Browser, png: Buffer, ink: 'dark' | 'not-white'): Promise<number> {
  const page = await browser.newPage();
  const counts = ink === 'dark' ? 'data[i] < 128 && data[i + 1] < 128 && data[i + 2] < 128' : 'data[i] < 235 || data[i + 1] < 235 || data[i + 2] < 235';
  try {
    // A string, not a function: the project compiles without the DOM's types.
    const share = await page.evaluate(`(async () => {
      const img = new Image();
      img.src = 'data:image/png;base64,${png.toString('base64')}';
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const g = canvas.getContext('2d');
      g.drawImage(img, 0, 0);
      const { data } = g.getImageData(0, 0, canvas.width, canvas.height);
      let ink = 0;
      for (let i = 0; i < data.length; i += 4) if (${counts}) ink++;
      return ink / (data.length / 4);
    })()`);
    return Number(share);
  } finally {
    await page.close();
  }
}
