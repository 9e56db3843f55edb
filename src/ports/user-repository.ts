import type { Role } from '../domain/identity/role.js';
import type { User } from '../domain/identity/user.js';
import type { Page, PageRequest } from '../domain/shared/pagination.js';

export interface NewUser {
  id: string;
  email: string | null;
  username: string | null;
  name: string;
  role: Role;
  branchCityId: string | null;
  passwordHash: string | null;
  pinHash: string | null;
}

export interface UserPatch {
  email?: string | null;
  username?: string | null;
  name?: string;
  role?: Role;
  isActive?: boolean;
  branchCityId?: string | null;
  passwordHash?: string | null;
  pinHash?: string | null;
  failedLoginCount?: number;
  lockedUntil?: Date | null;
}

export interface LockoutPolicy {
  threshold: number;
  lockMs: number;
}

export interface UserFilter {
  role?: Role[];
  isActive?: boolean;
  branchCityId?: string;
  /** Case-insensitive substring of name, email or username. */
  q?: string;
}

export interface UserRepository {
  /**
   * Stores a new user. Throws DomainError USER.EMAIL_TAKEN / USER.USERNAME_TAKEN (kind conflict) when the
   * normalised email or username already belongs to someone.
   */
  create(user: NewUser, now: Date): Promise<User>;
  /** The user or null. */
  findById(id: string): Promise<User | null>;
  /** Looks up by normalised email (exact match, case-insensitive). */
  findByEmail(email: string): Promise<User | null>;
  /** Looks up by normalised username. */
  findByUsername(username: string): Promise<User | null>;
  /**
   * Applies the patch and returns the updated user, or null when it does not exist. Same conflict errors
   * as create for email/username.
   */
  update(id: string, patch: UserPatch, now: Date): Promise<User | null>;
  /**
   * Holds the user until the unit of work ends (a second holder waits): serialises one customer's quota
   * checks, so that parallel requests cannot each pass a count-then-insert check. False for an unknown id.
   */
  lockForUpdate(id: string): Promise<boolean>;
  /**
   * Counts one failed login atomically, so concurrent failures each count: one more failure; at
   * `policy.threshold` the account is locked until `now + policy.lockMs` and the count starts again.
   * Returns the state after this failure (`lockedNow`: this failure set the lock), or null for an unknown id.
   */
  recordFailedLogin(
    id: string,
    now: Date,
    policy: LockoutPolicy,
  ): Promise<{ failedLoginCount: number; lockedUntil: Date | null; lockedNow: boolean } | null>;
  /**
   * After a correct secret: clears the failure count, unless the account is locked at `now` (a lock a
   * concurrent failure set wins). Returns false when locked. Serialised with `recordFailedLogin` on the row.
   */
  clearFailedLogins(id: string, now: Date): Promise<boolean>;
  /** Filtered, paginated list ordered by creation time (newest first), then id. */
  list(filter: UserFilter, page: PageRequest): Promise<Page<User>>;
  /** Number of active users holding `role`. */
  countActiveByRole(role: Role): Promise<number>;
  /** Number of users (any role) assigned to the branch city. */
  countByBranch(branchCityId: string): Promise<number>;
}

export const UserRepository = Symbol('UserRepository');
