import { DomainError } from './domain-error.js';

/**
 * Resolves like `work`, or rejects with `code` (kind unavailable, so the job retries) once `ms` have
 * passed. The work itself is not cancelled; stages are idempotent, so a retry simply does it again.
 */
export async function withTimeout<T>(work: Promise<T>, ms: number, code: string, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DomainError(code, 'unavailable', `${what} did not finish within ${Math.round(ms / 1000)} s`)),
      ms,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
