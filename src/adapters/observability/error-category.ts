import { isDomainError } from '../../domain/shared/domain-error.js';

/** Bounded error categories of a dependency call on /metrics. */
export type ErrorCategory = 'network' | 'timeout' | 'auth' | 'quota' | 'not_found' | 'other';

const RULES: Array<[ErrorCategory, RegExp]> = [
  ['not_found', /\b(NoSuchKey|NotFound|NOT_FOUND|ENOENT)\b/],
  ['auth', /\b(AccessDenied|InvalidAccessKeyId|SignatureDoesNotMatch|Unauthorized|Forbidden|ExpiredToken|40[13])\b/],
  ['quota', /\b(QuotaExceeded|SlowDown|TooManyRequests|EntityTooLarge|ENOSPC|EDQUOT|storage_cap_exceeded|429)\b/i],
  ['timeout', /\b(TIMEOUT|ETIMEDOUT|TimeoutError|RequestTimeout|timed out)\b/i],
  [
    'network',
    /\b(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|EPIPE|socket hang up|fetch failed|UNAVAILABLE)\b/i,
  ],
];

/** The text an error is classified by: its stable code, its driver code, its message and its cause's. */
function describe(e: unknown): string {
  const parts: string[] = [];
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 3; depth++) {
    const x = cur as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
    if (isDomainError(cur)) parts.push(cur.code);
    for (const v of [x.code, x.name, x.message]) if (typeof v === 'string') parts.push(v);
    cur = x.cause;
  }
  return parts.join(' ');
}

/**
 * The category of a failed call to an external dependency (storage, IPFS): what an operator acts on. A
 * missing object, a refused credential, a full bucket or rate limit, a timeout and a network failure each
 * have their own; anything else is `other`.
 */
export function errorCategory(e: unknown): ErrorCategory {
  const text = describe(e);
  for (const [category, re] of RULES) if (re.test(text)) return category;
  return 'other';
}
