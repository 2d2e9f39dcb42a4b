import { chromium, type Browser, type Page } from 'playwright-core';
// The HTTP-level UI client lives in the test kit, for plugins' suites too.
export { UiSession, text } from '@plinth/testing';

/** Debian's Chromium; playwright never downloads a browser here. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.PLINTH_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * A page of `browser` logged in to the web UI at `baseUrl`; page errors and console errors
 * (other than failed resource loads) are collected into `errors`.
 */
export async function loggedInPage(
  browser: Browser,
  baseUrl: string,
  errors: string[],
  username = 'admin',
  password = 'admin-password-1',
): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
  });
  await page.goto(`${baseUrl}/login/`);
  await page.fill('#id_username', username);
  await page.fill('#id_password', password);
  await page.click('button[type=submit]');
  await page.waitForURL(`${baseUrl}/`);
  return page;
}

/**
 * Picks the option showing `text` in the searchable select of form field `field`, after searching
 * for `search` in it, as a user does: it waits for the answer to that search before picking, and
 * leaves the select closed. (An answer arriving after the pick reopens the dropdown while the
 * select keeps the focus; headless Chromium's document may not have the focus, in which case Tom
 * Select ignores blurs, so the dropdown would stay open over the next field.)
 */
export async function pickSearchable(
  page: Page,
  field: string,
  search: string,
  text: string,
  /** Where the select sits, when it is not a `[data-field]` of an object form. */
  rootSelector = `[data-field="${field}"]`,
): Promise<void> {
  const root = page.locator(rootSelector);
  await root.locator('.ts-control').click();
  // Filled rather than typed: keys typed while the control is still taking the focus get lost.
  await root.locator('.ts-control input').fill(search);
  await page.waitForFunction(
    ([selector, query]) => {
      // Runs in the page; the tests compile without DOM types.
      type TomSelectState = {
        settings: { load?: unknown };
        loadedSearches: Record<string, true>;
        loading: number;
      };
      const doc = (
        globalThis as unknown as {
          document: { querySelector(s: string): { tomselect?: TomSelectState } | null };
        }
      ).document;
      const ts = doc.querySelector(selector)?.tomselect;
      return !ts || !ts.settings.load || (ts.loadedSearches[query] === true && ts.loading === 0);
    },
    [`${rootSelector} select`, search] as const,
  );
  await root.locator('.ts-dropdown .option', { hasText: text }).first().click();
  await page.keyboard.press('Escape');
  await root.locator('.ts-control input').blur();
  await root.locator('.ts-dropdown').waitFor({ state: 'hidden' });
}
