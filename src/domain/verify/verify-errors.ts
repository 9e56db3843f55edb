import { DomainError } from '../shared/domain-error.js';

/** Errors of public verification (the hash asked about, the file uploaded). */
export const VerifyErrors = {
  invalidHash: () =>
    new DomainError('VERIFY.INVALID_HASH', 'validation', 'sha256 must be a SHA-256 digest: 64 hexadecimal digits.', [
      { path: '/sha256', message: 'must be 64 hexadecimal digits' },
    ]),
  notAPdf: () =>
    new DomainError(
      'VERIFY.NOT_A_PDF',
      'unsupported_media',
      'The file is not a PDF (checked by content: a PDF starts with %PDF-).',
    ),
};
