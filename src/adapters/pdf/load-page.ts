import type { Page } from 'puppeteer-core';

export interface LoadOptions {
  gotoTimeoutMs: number;
  /** Navigation attempts in total (bounded retry). */
  attempts: number;
}

/**
 * Navigate and wait for the page to be complete: the `load` event, then network idle (a short quiet
 * period: goto's networkidle0 always waits a fixed 500 ms), falling back to `load` alone when the network
 * never goes quiet (a slow request must not fail a report: images are checked one by one afterwards),
 * retrying a failed navigation a bounded number of times, then document.readyState === 'complete'.
 */
export async function loadInspectionPage(
  page: Page,
  url: string,
  o: LoadOptions,
): Promise<{ status: number; networkIdle: boolean }> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= o.attempts; attempt++) {
    try {
      const response = await page.goto(url, { waitUntil: 'load', timeout: o.gotoTimeoutMs });
      const status = response?.status() ?? 0;
      if (status >= 400) throw new Error(`the report page answered ${status}`);
      const networkIdle = await page
        .waitForNetworkIdle({ idleTime: 100, concurrency: 0, timeout: Math.min(o.gotoTimeoutMs, 10_000) })
        .then(() => true)
        .catch(() => false);
      await page.waitForFunction(() => document.readyState === 'complete', { timeout: o.gotoTimeoutMs });
      return { status, networkIdle };
    } catch (e) {
      lastError = e;
    }
  }
  throw lastError;
}
