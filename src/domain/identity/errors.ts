import { DomainError } from '../shared/domain-error.js';

/** Stable error factories for identity and access. */
export const AuthErrors = {
  invalidCredentials: () =>
    new DomainError(
      'AUTH.INVALID_CREDENTIALS',
      'unauthenticated',
      'The credentials are not valid, or the account is locked for a while after repeated failures.',
    ),
  accountLocked: (until: Date) =>
    new DomainError(
      'AUTH.ACCOUNT_LOCKED',
      'locked',
      `Too many failed attempts; try again after ${until.toISOString()}.`,
    ),
  accountInactive: () => new DomainError('AUTH.ACCOUNT_INACTIVE', 'unauthenticated', 'This account is deactivated.'),
  invalidToken: () =>
    new DomainError('AUTH.INVALID_TOKEN', 'unauthenticated', 'The token is missing, invalid or expired.'),
  sessionRevoked: () =>
    new DomainError('AUTH.SESSION_REVOKED', 'unauthenticated', 'This session has ended; log in again.'),
  refreshReused: () =>
    new DomainError(
      'AUTH.REFRESH_TOKEN_REUSED',
      'unauthenticated',
      'This refresh token was already used; the session has been revoked.',
    ),
  wrongPassword: () => new DomainError('AUTH.WRONG_PASSWORD', 'unprocessable', 'The current password is not correct.'),
  noPassword: () =>
    new DomainError('AUTH.NO_PASSWORD', 'unprocessable', 'This account has no password; it logs in with a PIN.'),
};

export const UserErrors = {
  notFound: () => new DomainError('USER.NOT_FOUND', 'not_found', 'No such user.'),
  roleNotAllowed: () =>
    new DomainError('USER.ROLE_NOT_ALLOWED', 'validation', 'Staff accounts are SUPERADMIN, ADMIN or REVIEWER.', [
      { path: '/role', message: 'must be SUPERADMIN, ADMIN or REVIEWER' },
    ]),
  emailTaken: () => new DomainError('USER.EMAIL_TAKEN', 'conflict', 'This email is already registered.'),
  usernameTaken: () => new DomainError('USER.USERNAME_TAKEN', 'conflict', 'This username is already taken.'),
  notInspector: () => new DomainError('USER.NOT_INSPECTOR', 'unprocessable', 'Only inspectors have a PIN.'),
  selfChange: () =>
    new DomainError('USER.SELF_CHANGE_FORBIDDEN', 'forbidden', 'You cannot change your own role or active flag.'),
  lastSuperadmin: () =>
    new DomainError('USER.LAST_SUPERADMIN', 'conflict', 'The last active SUPERADMIN cannot be demoted or deactivated.'),
  branchRequired: () =>
    new DomainError('USER.BRANCH_REQUIRED', 'validation', 'An inspector needs an active branch city.', [
      { path: '/branchCityId', message: 'must reference an active branch city' },
    ]),
};
