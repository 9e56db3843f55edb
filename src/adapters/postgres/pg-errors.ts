import { DomainError } from '../../domain/shared/domain-error.js';
import { NUL_MESSAGE } from '../../domain/shared/safe-keys.js';

/** Narrow view of a node-postgres error. */
export interface PgError {
  code?: string;
  constraint?: string;
}

export const isPgError = (e: unknown): e is PgError => typeof e === 'object' && e !== null && 'code' in e;

export const isUniqueViolation = (e: unknown, constraint?: string): boolean =>
  isPgError(e) && e.code === '23505' && (constraint === undefined || e.constraint === constraint);

/** 23503 foreign_key_violation, or 23001 restrict_violation (ON DELETE RESTRICT). */
export const isForeignKeyViolation = (e: unknown): boolean =>
  isPgError(e) && (e.code === '23503' || e.code === '23001');

/**
 * The last line of translation for a violation no repository expected: a reference to a row that does not
 * exist (or is still referenced) is the client's mistake, not the server's; so is a NUL character. Other
 * errors are returned unchanged.
 */
export function translateUnexpected(e: unknown): unknown {
  if (!isPgError(e)) return e;
  if (e.code === '23503' || e.code === '23001') {
    return new DomainError(
      'REFERENCE.INVALID',
      'unprocessable',
      'The request refers to something that does not exist, or removes something still in use.',
      [{ path: '', message: `violates ${e.constraint ?? 'a reference'}` }],
    );
  }
  if (e.code === '22021' || e.code === '22P05')
    return new DomainError('VALIDATION.FAILED', 'validation', 'The request is not valid.', [
      { path: '', message: NUL_MESSAGE },
    ]);
  return e;
}
