import type { Role } from '../../domain/identity/role.js';
import { UserErrors } from '../../domain/identity/errors.js';
import type { User } from '../../domain/identity/user.js';
import { offsetOf, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { NewUser, LockoutPolicy, UserFilter, UserPatch, UserRepository } from '../../ports/user-repository.js';
import type { MemoryStore } from './memory-store.js';

/** In-memory UserRepository for unit tests; pinned to the knex adapter by the same contract suite. */
export class MemoryUserRepository implements UserRepository {
  constructor(private readonly store: MemoryStore) {}

  private get users(): Map<string, User> {
    return this.store.state.users;
  }

  private assertUnique(id: string, email: string | null | undefined, username: string | null | undefined): void {
    for (const u of this.users.values()) {
      if (u.id === id) continue;
      if (email && u.email === email) throw UserErrors.emailTaken();
      if (username && u.username === username) throw UserErrors.usernameTaken();
    }
  }

  async create(input: NewUser, now: Date): Promise<User> {
    this.assertUnique(input.id, input.email, input.username);
    const user: User = {
      ...input,
      isActive: true,
      failedLoginCount: 0,
      lockedUntil: null,
      createdAt: now,
      updatedAt: now,
    };
    this.users.set(user.id, user);
    return structuredClone(user);
  }

  async findById(id: string): Promise<User | null> {
    const u = this.users.get(id);
    return u ? structuredClone(u) : null;
  }

  async findByEmail(email: string): Promise<User | null> {
    const e = email.toLowerCase();
    const u = [...this.users.values()].find((x) => x.email === e);
    return u ? structuredClone(u) : null;
  }

  async findByUsername(username: string): Promise<User | null> {
    const n = username.toLowerCase();
    const u = [...this.users.values()].find((x) => x.username === n);
    return u ? structuredClone(u) : null;
  }

  async update(id: string, patch: UserPatch, now: Date): Promise<User | null> {
    const u = this.users.get(id);
    if (!u) return null;
    this.assertUnique(id, patch.email, patch.username);
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const next: User = { ...u, ...defined, updatedAt: now };
    this.users.set(id, next);
    return structuredClone(next);
  }

  /** The memory store runs one unit of work at a time; there is nothing to lock. */
  async lockForUpdate(id: string): Promise<boolean> {
    return (await this.findById(id)) !== null;
  }

  async recordFailedLogin(
    id: string,
    now: Date,
    policy: LockoutPolicy,
  ): Promise<{ failedLoginCount: number; lockedUntil: Date | null; lockedNow: boolean } | null> {
    const u = this.users.get(id);
    if (!u) return null;
    const count = u.failedLoginCount + 1;
    const lockedNow = count >= policy.threshold;
    const next: User = {
      ...u,
      failedLoginCount: lockedNow ? 0 : count,
      lockedUntil: lockedNow ? new Date(now.getTime() + policy.lockMs) : u.lockedUntil,
      updatedAt: now,
    };
    this.users.set(id, next);
    return { failedLoginCount: next.failedLoginCount, lockedUntil: next.lockedUntil, lockedNow };
  }

  async clearFailedLogins(id: string, now: Date): Promise<boolean> {
    const u = this.users.get(id);
    if (!u) return false;
    if (u.lockedUntil && u.lockedUntil.getTime() > now.getTime()) return false;
    if (u.failedLoginCount > 0 || u.lockedUntil)
      this.users.set(id, { ...u, failedLoginCount: 0, lockedUntil: null, updatedAt: now });
    return true;
  }

  async list(filter: UserFilter, page: PageRequest): Promise<Page<User>> {
    const q = filter.q?.toLowerCase();
    const all = [...this.users.values()]
      .filter((u) => !filter.role || filter.role.includes(u.role))
      .filter((u) => filter.isActive === undefined || u.isActive === filter.isActive)
      .filter((u) => !filter.branchCityId || u.branchCityId === filter.branchCityId)
      .filter((u) => !q || [u.name, u.email ?? '', u.username ?? ''].some((f) => f.toLowerCase().includes(q)))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? -1 : 1));
    const start = offsetOf(page);
    return {
      items: all.slice(start, start + page.pageSize).map((u) => structuredClone(u)),
      page: page.page,
      pageSize: page.pageSize,
      total: all.length,
    };
  }

  async countActiveByRole(role: Role): Promise<number> {
    return [...this.users.values()].filter((u) => u.role === role && u.isActive).length;
  }

  async countByBranch(branchCityId: string): Promise<number> {
    return [...this.users.values()].filter((u) => u.branchCityId === branchCityId).length;
  }
}
