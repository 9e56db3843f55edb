/**
 * Configuration section of the report renderer: the Chromium pool that prints report pages to PDF.
 */
import type { EnvSection } from './env.js';
import type { EnvValues } from './schema.js';

/** Chromium, its pool and its timeouts. */
export const RENDER_ENV = {
  CHROMIUM_PATH: {
    type: 'string',
    minLength: 1,
    description:
      'Chromium executable for reports; found automatically when unset (Debian chromium-headless-shell first).',
  },
  RENDER_CONCURRENCY: {
    type: 'integer',
    minimum: 1,
    maximum: 16,
    default: 2,
    description: 'Reports rendered at once (one warm Chromium pool).',
  },
  RENDER_GOTO_TIMEOUT_MS: {
    type: 'integer',
    minimum: 1000,
    default: 60000,
    description: 'Navigation timeout of the report page.',
  },
  RENDER_PDF_TIMEOUT_MS: { type: 'integer', minimum: 1000, default: 120000, description: 'page.pdf() timeout.' },
  RENDER_TIMEOUT_MS: {
    type: 'integer',
    minimum: 10000,
    default: 600000,
    description: 'Limit of one render (load, assets, print) in the pool: the render stage timeout.',
  },
  RENDER_ASSET_TIMEOUT_MS: {
    type: 'integer',
    minimum: 1000,
    default: 30000,
    description: 'How long to wait for every image of the page to finish loading.',
  },
  RENDER_SLOW_ASSET_MS: {
    type: 'integer',
    minimum: 100,
    default: 3000,
    description: 'Assets slower than this are logged.',
  },
  RENDER_ATTEMPTS: {
    type: 'integer',
    minimum: 1,
    maximum: 5,
    default: 2,
    description: 'Render attempts when the image quality gate fails.',
  },
  RENDER_ALLOWED_HOSTS: {
    type: 'string',
    default: '',
    description: 'Extra hosts (host[:port], comma-separated, e.g. a CDN) the renderer may load besides the API itself.',
  },
} as const satisfies EnvSection;

/** The renderer part of Config. */
export interface RenderConfig {
  render: {
    chromiumPath?: string;
    concurrency: number;
    gotoTimeoutMs: number;
    pdfTimeoutMs: number;
    taskTimeoutMs: number;
    assetTimeoutMs: number;
    slowAssetMs: number;
    attempts: number;
    allowedHosts: string[];
  };
}

/** Maps the validated environment into Config.render. */
export function renderConfig(env: EnvValues): RenderConfig {
  return {
    render: {
      chromiumPath: env.CHROMIUM_PATH,
      concurrency: env.RENDER_CONCURRENCY,
      gotoTimeoutMs: env.RENDER_GOTO_TIMEOUT_MS,
      pdfTimeoutMs: env.RENDER_PDF_TIMEOUT_MS,
      taskTimeoutMs: env.RENDER_TIMEOUT_MS,
      assetTimeoutMs: env.RENDER_ASSET_TIMEOUT_MS,
      slowAssetMs: env.RENDER_SLOW_ASSET_MS,
      attempts: env.RENDER_ATTEMPTS,
      allowedHosts: env.RENDER_ALLOWED_HOSTS.split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    },
  };
}
