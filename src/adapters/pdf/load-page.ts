import type { Page } from 'puppeteer-core';

export interface LoadOptions {
  gotoTimeoutMs: number;
  /** Navigation attempts in total (bounded retry). */
  attempts: number;
}

/**
 * Navigate and wait for the page to be complete: `load` plus network idle, falling back to `load` alone when
 * the network never goes idle (a slow analytics-like request must not fail a report), retrying a failed
 * navigation a bounded number of times, then wait for document.readyState === 'complete'.
 */
export async function loadInspectionPage(page: Page, url: string, o: LoadOptions): Promise<{ status: number }> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= o.attempts; attempt++) {
    try {
      let response;
      try {
        response = await page.goto(url, { waitUntil: ['load', 'networkidle0'], timeout: o.gotoTimeoutMs });
      } catch (e) {
        if (!/timeout/i.test(String((e as Error).name) + String((e as Error).message))) throw e;
        // Network never idle: settle for the load event (assets are checked one by one afterwards).
        response = await page.goto(url, { waitUntil: 'load', timeout: o.gotoTimeoutMs });
      }
      const status = response?.status() ?? 0;
      if (status >= 400) throw new Error(`the report page answered ${status}`);
      await page.waitForFunction(() => document.readyState === 'complete', { timeout: o.gotoTimeoutMs });
      return { status };
    } catch (e) {
      lastError = e;
    }
  }
  throw lastError;
}
