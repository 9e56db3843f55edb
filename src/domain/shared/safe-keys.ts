import { DomainError } from './domain-error.js';

/**
 * Keys that must never be used to index an object built from client data: assigning through them reaches
 * a prototype (`obj.__proto__ = x` replaces it; `obj.constructor.prototype` is the class's). Every open map
 * a client fills is checked with these, and every path walker skips them.
 */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export const isForbiddenKey = (key: string): boolean => FORBIDDEN_KEYS.has(key);

/** How deep `findForbiddenKey` looks; deeper nesting is refused by the request schemas anyway. */
export const MAX_SCAN_DEPTH = 32;

export interface UnsafeKey {
  /** JSON pointer of the offending key or value, e.g. `/detailedAssessment/__proto__`. */
  path: string;
  reason: 'forbidden-key' | 'too-deep';
}

/**
 * The first forbidden key in a parsed JSON value (objects and arrays at any depth), or null when there is
 * none. Nesting deeper than MAX_SCAN_DEPTH is reported too: nothing this service accepts is that deep.
 */
export function findForbiddenKey(value: unknown, base = ''): UnsafeKey | null {
  const stack: Array<{ v: unknown; path: string; depth: number }> = [{ v: value, path: base, depth: 0 }];
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop() as { v: unknown; path: string; depth: number };
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_SCAN_DEPTH) return { path, reason: 'too-deep' };
    if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push({ v: item, path: `${path}/${i}`, depth: depth + 1 }));
      continue;
    }
    for (const key of Object.keys(v)) {
      const at = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (isForbiddenKey(key)) return { path: at, reason: 'forbidden-key' };
      stack.push({ v: (v as Record<string, unknown>)[key], path: at, depth: depth + 1 });
    }
  }
  return null;
}

/** Throws 400-kind DomainErrors for a value `findForbiddenKey` objects to: VALIDATION.FORBIDDEN_KEY or VALIDATION.FAILED. */
export function assertSafeKeys(value: unknown, base = ''): void {
  const unsafe = findForbiddenKey(value, base);
  if (!unsafe) return;
  if (unsafe.reason === 'forbidden-key') {
    throw new DomainError('VALIDATION.FORBIDDEN_KEY', 'validation', 'The request uses a reserved key (__proto__, constructor or prototype).', [{ path: unsafe.path, message: 'is a reserved key' }]);
  }
  throw new DomainError('VALIDATION.FAILED', 'validation', 'The request is not valid.', [{ path: unsafe.path, message: 'is nested too deeply' }]);
}
