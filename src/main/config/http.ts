/**
 * Configuration section of the HTTP adapter: browser origins (CORS), body size, which proxies may set the
 * client address, and the rate limits per client.
 */
import type { EnvSection, Profile } from './env.js';
import type { EnvValues } from './schema.js';

/** CORS, body size and proxies. */
export const HTTP_ENV = {
  CORS_ORIGINS: {
    type: 'string',
    default: '',
    description: 'Comma-separated allowed browser origins; empty disables CORS; "*" only outside production.',
  },
  BODY_LIMIT_KB: {
    type: 'integer',
    minimum: 1,
    maximum: 10240,
    default: 100,
    description: 'Maximum JSON body size.',
  },
  TRUST_PROXY: {
    type: 'string',
    default: 'false',
    description:
      'Which proxies may set the client address (X-Forwarded-For), as Express reads it: false (no proxy: the address is the peer), a hop count (1 behind one load balancer), or a comma-separated list of proxy addresses/CIDRs (loopback, uniquelocal, 10.0.0.0/8, ...). true is refused: it would let every client choose its own address and rate-limit bucket.',
  },
} as const satisfies EnvSection;

/**
 * The rate limits. VERIFY_CACHE_SECONDS is documented here, next to the public verification bucket it
 * relieves, but is Config.chain.verifyCacheSeconds (see chain.ts).
 */
export const RATE_LIMIT_ENV = {
  RATE_LIMIT_WINDOW_SECONDS: {
    type: 'integer',
    minimum: 1,
    default: 60,
    description: 'Window of the general rate limit.',
  },
  RATE_LIMIT_MAX: {
    type: 'integer',
    minimum: 1,
    default: 300,
    description:
      'Requests per window per client on the whole API (the report pages and photos the renderer fetches with a render token have their own bucket of 100 times this).',
  },
  AUTH_RATE_LIMIT_WINDOW_SECONDS: {
    type: 'integer',
    minimum: 1,
    default: 900,
    description: 'Window of the strict limit on login, register and refresh.',
  },
  AUTH_RATE_LIMIT_MAX: {
    type: 'integer',
    minimum: 1,
    default: 20,
    description: 'Auth requests per window per client.',
  },
  VERIFY_CACHE_SECONDS: {
    type: 'integer',
    minimum: 0,
    maximum: 3600,
    default: 60,
    description:
      'Public verifications that asked the chain are answered again from memory for this long per hash (0: never), so one hash cannot hammer the chain provider; chain.checkedAt says when it was asked.',
  },
  VERIFY_RATE_LIMIT_MAX: {
    type: 'integer',
    minimum: 1,
    default: 30,
    description:
      'Public verifications (POST /public/verify) per RATE_LIMIT_WINDOW_SECONDS per client, in a bucket of their own: each may read a 50 MB upload and ask the chain.',
  },
} as const satisfies EnvSection;

/** The HTTP part of Config. */
export interface HttpConfig {
  http: { corsOrigins: string[]; bodyLimitKb: number; trustProxy: boolean | number | string };
  rateLimit: { windowSeconds: number; max: number; authWindowSeconds: number; authMax: number; verifyMax: number };
}

/** CORS_ORIGINS as a list (empty: CORS off). */
function corsOriginsOf(env: EnvValues): string[] {
  return String(env.CORS_ORIGINS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** TRUST_PROXY as Express's `trust proxy` setting: off, a hop count, or a list of addresses. */
function parseTrustProxy(v: string): boolean | number | string {
  if (v === 'true') return true;
  if (v === 'false' || v === '') return false;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

/** Maps the validated environment into Config.http and Config.rateLimit. */
export function httpConfig(env: EnvValues): HttpConfig {
  return {
    http: {
      corsOrigins: corsOriginsOf(env),
      bodyLimitKb: env.BODY_LIMIT_KB,
      trustProxy: parseTrustProxy(env.TRUST_PROXY),
    },
    rateLimit: {
      windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS,
      max: env.RATE_LIMIT_MAX,
      authWindowSeconds: env.AUTH_RATE_LIMIT_WINDOW_SECONDS,
      authMax: env.AUTH_RATE_LIMIT_MAX,
      verifyMax: env.VERIFY_RATE_LIMIT_MAX,
    },
  };
}

/** TRUST_PROXY must not let clients choose their own address: no `true`, a realistic hop count, real addresses. */
function trustProxyProblems(env: EnvValues): string[] {
  const trust = String(env.TRUST_PROXY ?? 'false').trim();
  if (trust === 'true')
    return [
      'TRUST_PROXY: true lets every client choose its address (and rate-limit bucket) with X-Forwarded-For; give the hop count (e.g. 1) or the proxy addresses',
    ];
  if (/^\d+$/.test(trust))
    return Number(trust) > 10 ? [`TRUST_PROXY: ${trust} hops is not a realistic proxy chain (at most 10)`] : [];
  if (trust === 'false' || trust === '') return [];
  const named = new Set(['loopback', 'linklocal', 'uniquelocal']);
  const bad = trust
    .split(',')
    .map((t) => t.trim())
    .filter((t) => !named.has(t) && !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(t));
  if (bad.length === 0) return [];
  return [
    `TRUST_PROXY: ${bad.map((b) => JSON.stringify(b)).join(', ')} is not an address, a CIDR or loopback/linklocal/uniquelocal`,
  ];
}

/** No wildcard CORS origin in production, a safe TRUST_PROXY, and every CORS origin a real origin. */
export function httpRules(env: EnvValues, profile: Profile): string[] {
  const problems: string[] = [];
  const corsOrigins = corsOriginsOf(env);
  if (profile.production && corsOrigins.includes('*'))
    problems.push(`CORS_ORIGINS: "*" is not allowed when ${profile.name}`);
  problems.push(...trustProxyProblems(env));
  for (const o of corsOrigins)
    if (o !== '*' && !/^https?:\/\/[^/]+$/.test(o))
      problems.push(`CORS_ORIGINS: "${o}" is not an origin like https://app.example.com`);
  return problems;
}
