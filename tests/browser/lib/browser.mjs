// Debian's chromium driven by playwright-core (no browser download): one browser per test
// file, a fresh context per test, and every console error or uncaught exception collected
// so a test can assert there were none.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// playwright-core comes from npm (tests/browser/package-lock.json); say how to get it.
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (e) {
  throw new Error(`playwright-core is not installed: run scripts/install-deps (npm ci --prefix tests/browser)\n${e.message}`);
}

export const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
export const screenshotDir = process.env.FOODTRACE_SCREENSHOT_DIR || path.join(os.tmpdir(), 'foodtrace-screenshots');

export async function launch() {
  if (!fs.existsSync(executablePath)) {
    throw new Error(`${executablePath} not found: install Debian's chromium (scripts/install-deps)`);
  }
  fs.mkdirSync(screenshotDir, { recursive: true });
  // playwright-core gives launch() its own fresh, temporary --user-data-dir.
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// A new context and page at `viewport`; page.problems lists console errors and page errors.
// The browser's zone is pinned (UTC by default): the pages must take the market's dates from
// the server, and a test must not pass or fail with the machine's zone or the hour.
export async function openPage(browser, { viewport = { width: 1280, height: 900 }, locale = 'zh-CN', timezoneId = 'UTC' } = {}) {
  const context = await browser.newContext({ viewport, locale, timezoneId });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') page.problems.push(`console error on ${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => page.problems.push(`uncaught on ${page.url()}: ${e.message}`));
  page.setDefaultTimeout(20000);
  return page;
}

export async function screenshot(page, name) {
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// Signs in on a regulator or vendor page through its token form.
export async function signIn(page, token) {
  await page.locator('#token').fill(token);
  await page.locator('#signin button[type=submit]').click();
  await page.locator('#signin').waitFor({ state: 'detached' });
}
