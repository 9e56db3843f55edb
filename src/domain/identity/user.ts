import { DomainError, type ErrorDetail } from '../shared/domain-error.js';
import type { Role } from './role.js';

export interface User {
  id: string;
  email: string | null;
  username: string | null;
  name: string;
  role: Role;
  isActive: boolean;
  branchCityId: string | null;
  /** argon2id hash; null for accounts that log in with a PIN only. */
  passwordHash: string | null;
  /** argon2id hash of the inspector's 6-digit PIN. */
  pinHash: string | null;
  failedLoginCount: number;
  lockedUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What the outside world may see of a user (never hashes). */
export type PublicUser = Omit<User, 'passwordHash' | 'pinHash' | 'failedLoginCount' | 'lockedUntil'>;

export const toPublicUser = (u: User): PublicUser => ({
  id: u.id,
  email: u.email,
  username: u.username,
  name: u.name,
  role: u.role,
  isActive: u.isActive,
  branchCityId: u.branchCityId,
  createdAt: u.createdAt,
  updatedAt: u.updatedAt,
});

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const USERNAME_RE = /^[a-z0-9](?:[a-z0-9._-]{1,30})[a-z0-9]$/;

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();
export const normaliseUsername = (username: string): string => username.trim().toLowerCase();

export function validateEmail(email: string): ErrorDetail | null {
  return EMAIL_RE.test(email) && email.length <= 254
    ? null
    : { path: '/email', message: 'must be a valid email address' };
}

export function validateUsername(username: string): ErrorDetail | null {
  return USERNAME_RE.test(username)
    ? null
    : {
        path: '/username',
        message: 'must be 3-32 characters: lowercase letters, digits, ".", "_" or "-", not at the ends',
      };
}

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

/** A password is long enough and not trivially weak; length beats composition rules (NIST 800-63B). */
export function validatePassword(password: string, path = '/password'): ErrorDetail | null {
  if (password.length < PASSWORD_MIN) return { path, message: `must be at least ${PASSWORD_MIN} characters` };
  if (password.length > PASSWORD_MAX) return { path, message: `must be at most ${PASSWORD_MAX} characters` };
  if (new Set(password).size < 4) return { path, message: 'is too repetitive' };
  return null;
}

export function validateName(name: string): ErrorDetail | null {
  const n = name.trim();
  return n.length >= 1 && n.length <= 120 ? null : { path: '/name', message: 'must be 1-120 characters' };
}

export function throwIfInvalid(details: Array<ErrorDetail | null>): void {
  const bad = details.filter((d): d is ErrorDetail => d !== null);
  if (bad.length > 0) throw new DomainError('VALIDATION.FAILED', 'validation', 'The request is not valid.', bad);
}

/** Login lockout policy: after this many consecutive failures the account is locked for a while. */
export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MINUTES = 15;
/** The policy the user store applies atomically when it counts a failure (UserRepository.recordFailedLogin). */
export const LOCKOUT_POLICY = { threshold: LOCKOUT_THRESHOLD, lockMs: LOCKOUT_MINUTES * 60_000 } as const;

export function isLocked(user: Pick<User, 'lockedUntil'>, now: Date): boolean {
  return user.lockedUntil !== null && user.lockedUntil.getTime() > now.getTime();
}

export const PIN_LENGTH = 6;
export const isWellFormedPin = (pin: string): boolean => /^[0-9]{6}$/.test(pin);

/** Normalises and validates the fields every new account has; throws VALIDATION.FAILED listing all problems. */
export function newAccountFields(input: { email: string; username?: string; name: string; password?: string }): {
  email: string;
  username: string | null;
  name: string;
} {
  const email = normaliseEmail(input.email);
  const username = input.username === undefined ? null : normaliseUsername(input.username);
  throwIfInvalid([
    validateEmail(email),
    username === null ? null : validateUsername(username),
    validateName(input.name),
    input.password === undefined ? null : validatePassword(input.password),
  ]);
  return { email, username, name: input.name.trim() };
}
