import { timingSafeEqual } from 'node:crypto';

/**
 * Compares a presented secret with the expected one in time independent of where they differ
 * (crypto.timingSafeEqual on equal-length buffers). A length mismatch answers false after a comparison of the
 * same cost; an empty expected secret never matches (a missing configuration must not accept an empty token).
 */
export function constantTimeEqual(presented: string | null | undefined, expected: string | null | undefined): boolean {
  const want = Buffer.from(expected ?? '', 'utf8');
  const got = Buffer.from(presented ?? '', 'utf8');
  if (want.length === 0) return false;
  if (got.length !== want.length) {
    timingSafeEqual(want, want);
    return false;
  }
  return timingSafeEqual(got, want);
}
