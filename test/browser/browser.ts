import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium (apt-get install chromium fonts-wqy-microhei); never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const ARTIFACTS = resolve(import.meta.dirname, 'artifacts');

/** A phone: the narrowest screen the board is designed for. */
export const PHONE = { width: 360, height: 740 };

export const launch = async (): Promise<Browser> => {
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM}: install it with apt-get (see .ci/run)`);
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
};

export interface Watched {
  page: Page;
  /** Console errors and CSP violations seen so far. */
  errors: string[];
  /** Gzipped bytes of every script the page loaded, by URL. */
  scripts: Map<string, number>;
}

/** A fresh phone-sized page that records errors and the JavaScript it loads. */
export const phonePage = async (browser: Browser): Promise<Watched> => {
  const context = await browser.newContext({
    viewport: PHONE,
    deviceScaleFactor: 1,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = await context.newPage();
  const errors: string[] = [];
  const scripts = new Map<string, number>();
  page.on('console', (m) => {
    // Failed loads are recorded below with their URL.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('response', async (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
    if (r.request().resourceType() !== 'script') return;
    try {
      scripts.set(r.url(), gzipSync(await r.body()).length);
    } catch {
      // A navigation away can discard a body; the page that loaded it is measured again on reload.
    }
  });
  return { page, errors, scripts };
};

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core in the page (evaluated over the DevTools protocol, so the page's strict CSP
 * needs no exception) and returns its serious and critical violations.
 */
export const seriousViolations = async (page: Page): Promise<AxeViolation[]> => {
  await page.evaluate(axeSource);
  const result = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as {
    violations: AxeViolation[];
  };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
};

/** Saves a full-page screenshot under test/browser/artifacts and returns its path. */
export const screenshot = async (page: Page, name: string): Promise<string> => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
};
