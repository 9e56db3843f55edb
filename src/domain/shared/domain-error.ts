/**
 * Kinds of expected failure. Only the HTTP adapter maps a kind to a status code; the domain and the use
 * cases speak in kinds and stable codes.
 */
export type ErrorKind =
  | 'validation'
  | 'unauthenticated'
  | 'payment_required'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'locked'
  | 'rate_limited'
  | 'unprocessable'
  | 'too_large'
  | 'unsupported_media'
  | 'unavailable';

export interface ErrorDetail {
  /** JSON pointer-ish path of the offending field, e.g. "/email". */
  path: string;
  message: string;
}

/** An expected failure with a stable `code` such as `USER.EMAIL_TAKEN`. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;

/** 400 VALIDATION.FAILED for one field that the request schema cannot judge (a rule across fields, a count). */
export const invalidInput = (path: string, message: string): DomainError =>
  new DomainError('VALIDATION.FAILED', 'validation', 'The request is not valid.', [{ path, message }]);
