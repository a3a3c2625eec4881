import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { phonePage, screenshot, seriousViolations, type Watched } from './browser.ts';

/** The widths every console screen is checked at; the first is the one the tests work at. */
export const WIDTHS = [1280, 768];
const SHOTS = resolve(import.meta.dirname, '../../docs/screenshots');

/** A staff member's own browser context on the console. */
export interface Staff extends Watched {
  name: string;
}

/** Waits until the screen has finished loading. */
export const settled = async (page: Page): Promise<void> => {
  await page.locator('main h1').first().waitFor();
  await page.locator('[role=status].loading').waitFor({ state: 'detached' });
};

/** A form field of the console by its API name, within `scope`. */
export const field = (s: Staff, name: string, scope = 'main') => s.page.locator(`${scope} [data-field="${name}"]`);

/** Types `value` into the field's input or text area. */
export const fill = (s: Staff, name: string, value: string, scope?: string): Promise<void> =>
  field(s, name, scope).locator('input, textarea').fill(value);

/**
 * The steps a console test takes with its staff. The product and the browser start in the
 * test's `beforeAll`, so they are read when a step runs; `shotPrefix` names its screenshots.
 */
export const consoleSteps = (started: () => { baseUrl: string; browser: Browser }, shotPrefix: string) => {
  /** Serious or critical axe findings, console errors and CSP reports: none, at each width. */
  const checkScreen = async (s: Staff, name: string) => {
    for (const width of WIDTHS) {
      await s.page.setViewportSize({ width, height: 900 });
      const violations = await seriousViolations(s.page);
      expect(
        violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
        `${name} at ${width}px`,
      ).toEqual([]);
      expect(s.errors, `${name} at ${width}px`).toEqual([]);
      await screenshot(s.page, `${shotPrefix}-${name}-${width}`);
    }
    await s.page.setViewportSize({ width: WIDTHS[0], height: 900 });
  };

  /** Opens the console in a fresh browser context and signs in as the demo account of `unit`. */
  const signIn = async (name: string, unit: string, role: string): Promise<Staff> => {
    const { baseUrl, browser } = started();
    const w = await phonePage(browser);
    await w.page.setViewportSize({ width: WIDTHS[0], height: 900 });
    await w.page.goto(`${baseUrl}/console/`);
    await w.page.locator('main h1').waitFor();
    await w.page.locator('button.account', { hasText: unit }).filter({ hasText: role }).click();
    await w.page.locator('header .who-name').waitFor();
    await settled(w.page);
    return { ...w, name };
  };

  /** Opens a screen afresh, as a staff member coming back to it after someone else acted. */
  const go = async (s: Staff, hash: string) => {
    await s.page.goto(`${started().baseUrl}/console/${hash}`);
    await s.page.reload();
    await s.page.locator('header .who-name').waitFor();
    await settled(s.page);
  };

  /** Keeps the screen as a README figure, `docs/screenshots/<file>.png`. */
  const saveHome = async (s: Staff, file: string) => {
    mkdirSync(SHOTS, { recursive: true });
    copyFileSync(await screenshot(s.page, `${shotPrefix}-${file}`), join(SHOTS, `${file}.png`));
  };

  return { checkScreen, signIn, go, saveHome };
};
