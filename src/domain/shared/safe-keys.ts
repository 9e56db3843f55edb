import { DomainError } from './domain-error.js';

/**
 * Keys that must never be used to index an object built from client data: assigning through them reaches
 * a prototype (`obj.__proto__ = x` replaces it; `obj.constructor.prototype` is the class's). Every open map
 * a client fills is checked with these, and every path walker skips them.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export const isForbiddenKey = (key: string): boolean => FORBIDDEN_KEYS.has(key);

/** How deep `findUnsafeInput` looks; deeper nesting is refused by the request schemas anyway. */
export const MAX_SCAN_DEPTH = 32;

export interface UnsafeKey {
  /** JSON pointer of the offending key or value, e.g. `/detailedAssessment/__proto__`. */
  path: string;
  reason: 'forbidden-key' | 'too-deep' | 'nul-character' | 'lone-surrogate';
}

const NUL = '\u0000';
export const NUL_MESSAGE = 'must not contain a NUL character (U+0000)';
export const SURROGATE_MESSAGE =
  'must be well-formed Unicode (a lone surrogate, U+D800 to U+DFFF without its pair, is not a character)';

/** Why a string cannot be stored (PostgreSQL refuses both in text and JSON), or null when it can. */
const badText = (s: string): 'nul-character' | 'lone-surrogate' | null =>
  s.includes(NUL) ? 'nul-character' : s.isWellFormed() ? null : 'lone-surrogate';

/**
 * The first thing in a parsed client value that must not go further, or null when there is none: a
 * forbidden key (at any depth of objects and arrays), a NUL character or a lone UTF-16 surrogate in a
 * string or a key (JSON can carry both as escapes; PostgreSQL refuses them in text and JSON, which would
 * surface as a 500), or nesting deeper than MAX_SCAN_DEPTH (nothing this service accepts is that deep).
 */
export function findUnsafeInput(value: unknown, base = ''): UnsafeKey | null {
  const stack: Array<{ v: unknown; path: string; depth: number }> = [{ v: value, path: base, depth: 0 }];
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop() as { v: unknown; path: string; depth: number };
    if (typeof v === 'string') {
      const bad = badText(v);
      if (bad) return { path, reason: bad };
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_SCAN_DEPTH) return { path, reason: 'too-deep' };
    if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push({ v: item, path: `${path}/${i}`, depth: depth + 1 }));
      continue;
    }
    for (const key of Object.keys(v)) {
      const at = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (isForbiddenKey(key)) return { path: at, reason: 'forbidden-key' };
      const bad = badText(key);
      // The path names the key with the offending characters escaped, so the answer itself is well-formed.
      if (bad) return { path: JSON.stringify(at).slice(1, -1), reason: bad };
      stack.push({ v: (v as Record<string, unknown>)[key], path: at, depth: depth + 1 });
    }
  }
  return null;
}

/** The 400-kind DomainError for what `findUnsafeInput` found: VALIDATION.FORBIDDEN_KEY, else VALIDATION.FAILED. */
export function unsafeInputError(unsafe: UnsafeKey): DomainError {
  if (unsafe.reason === 'forbidden-key') {
    return new DomainError(
      'VALIDATION.FORBIDDEN_KEY',
      'validation',
      'The request uses a reserved key (__proto__, constructor or prototype).',
      [{ path: unsafe.path, message: 'is a reserved key' }],
    );
  }
  const message =
    unsafe.reason === 'nul-character'
      ? NUL_MESSAGE
      : unsafe.reason === 'lone-surrogate'
        ? SURROGATE_MESSAGE
        : 'is nested too deeply';
  return new DomainError('VALIDATION.FAILED', 'validation', 'The request is not valid.', [
    { path: unsafe.path, message },
  ]);
}

/** Throws `unsafeInputError` for a value `findUnsafeInput` objects to. */
export function assertSafeKeys(value: unknown, base = ''): void {
  const unsafe = findUnsafeInput(value, base);
  if (unsafe) throw unsafeInputError(unsafe);
}
