import type { HTTPRequest, Page } from 'puppeteer-core';

export interface AssetEvent {
  url: string;
  status: number | null;
  bytes: number | null;
  ms: number;
  error?: string;
}

export interface AssetLog {
  warn(message: string, meta: Record<string, unknown>): void;
}

/** Exact hostname match against the allow-list (never substrings: "cdn.example.com.evil.net" is not "cdn.example.com"). */
export function isAllowedHost(url: string, allowed: ReadonlySet<string>): boolean {
  try {
    const u = new URL(url);
    if (u.protocol === 'data:' || u.protocol === 'blob:') return true;
    return (u.protocol === 'http:' || u.protocol === 'https:') && allowed.has(u.host.toLowerCase());
  } catch {
    return false;
  }
}

/**
 * Runs in the page before any script: images parsed with loading="lazy" are switched to eager and data-src
 * is promoted to src, so every photo is fetched for printing (after networkidle alone, lazy photos were
 * silently missing from PDFs).
 */
export const EAGER_IMAGES_SCRIPT = `(() => {
  const fix = (img) => {
    if (img.getAttribute('loading') === 'lazy') img.setAttribute('loading', 'eager');
    const ds = img.getAttribute('data-src');
    if (ds && !img.getAttribute('src')) img.setAttribute('src', ds);
  };
  const scan = (root) => { if (root.tagName === 'IMG') fix(root); root.querySelectorAll && root.querySelectorAll('img').forEach(fix); };
  new MutationObserver((records) => records.forEach((r) => r.addedNodes.forEach((n) => n.nodeType === 1 && scan(n)))).observe(document, { childList: true, subtree: true });
})();`;

/**
 * Set up one browser context page: request interception by host allow-list, logging of every asset that
 * fails or is slow (URL, status, size, latency), and the eager-image script.
 */
export async function setupBrowserContext(
  page: Page,
  o: { allowedHosts: ReadonlySet<string>; slowMs: number; log: AssetLog; events: AssetEvent[] },
): Promise<void> {
  const started = new Map<HTTPRequest, number>();
  await page.setRequestInterception(true);
  page.on('request', (req) => {
    if (!isAllowedHost(req.url(), o.allowedHosts)) {
      o.events.push({ url: req.url(), status: null, bytes: null, ms: 0, error: 'blocked by the host allow-list' });
      void req.abort('blockedbyclient');
      return;
    }
    started.set(req, Date.now());
    void req.continue();
  });
  page.on('requestfinished', (req) => {
    const res = req.response();
    const ms = Date.now() - (started.get(req) ?? Date.now());
    const status = res?.status() ?? null;
    const bytes = Number(res?.headers()['content-length'] ?? NaN);
    if ((status !== null && status >= 400) || ms > o.slowMs) {
      const e = { url: req.url(), status, bytes: Number.isFinite(bytes) ? bytes : null, ms };
      o.events.push(e);
      o.log.warn(status !== null && status >= 400 ? 'render asset failed' : 'render asset slow', {
        ...e,
        url: redactToken(e.url),
      });
    }
  });
  page.on('requestfailed', (req) => {
    const e = {
      url: req.url(),
      status: null,
      bytes: null,
      ms: Date.now() - (started.get(req) ?? Date.now()),
      error: req.failure()?.errorText ?? 'failed',
    };
    o.events.push(e);
    o.log.warn('render asset failed', { ...e, url: redactToken(e.url) });
  });
  await page.evaluateOnNewDocument(EAGER_IMAGES_SCRIPT);
}

/** Render tokens are credentials for a few minutes: keep them out of logs. */
export const redactToken = (url: string): string => url.replace(/([?&]token=)[^&]+/, '$1[REDACTED]');
