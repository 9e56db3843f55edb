import { existsSync } from 'node:fs';

export interface ChromiumExecutable {
  path: string;
  /** puppeteer's headless mode: 'shell' for chromium-headless-shell (about half the CPU per report). */
  headless: 'shell' | true;
}

const CANDIDATES: ChromiumExecutable[] = [
  { path: '/usr/lib/chromium/chromium-headless-shell', headless: 'shell' },
  // The /usr/bin/chromium wrapper script does not exec: puppeteer would track the wrapper's pid.
  { path: '/usr/lib/chromium/chromium', headless: true },
  { path: '/usr/bin/chromium', headless: true },
  { path: '/usr/bin/chromium-browser', headless: true },
  { path: '/usr/bin/google-chrome', headless: true },
  { path: '/Applications/Chromium.app/Contents/MacOS/Chromium', headless: true },
];

/** CHROMIUM_PATH when given, else the first installed candidate (headless shell first); null when none. */
export function findChromium(configured?: string): ChromiumExecutable | null {
  if (configured) return { path: configured, headless: /headless-shell/.test(configured) ? 'shell' : true };
  return CANDIDATES.find((c) => existsSync(c.path)) ?? null;
}

/** Flags for a sandbox-less, quiet, offline-friendly Chromium (see field notes). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--font-render-hinting=none',
];
