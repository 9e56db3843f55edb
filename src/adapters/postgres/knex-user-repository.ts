import type { Knex } from 'knex';
import { UserErrors } from '../../domain/identity/errors.js';
import type { Role } from '../../domain/identity/role.js';
import type { User } from '../../domain/identity/user.js';
import { offsetOf, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type { NewUser, LockoutPolicy, UserFilter, UserPatch, UserRepository } from '../../ports/user-repository.js';
import { isUniqueViolation } from './pg-errors.js';

interface UserRow {
  id: string;
  email: string | null;
  username: string | null;
  name: string;
  role: Role;
  is_active: boolean;
  branch_city_id: string | null;
  password_hash: string | null;
  pin_hash: string | null;
  failed_login_count: number;
  locked_until: Date | null;
  created_at: Date;
  updated_at: Date;
}

const toUser = (r: UserRow): User => ({
  id: r.id,
  email: r.email,
  username: r.username,
  name: r.name,
  role: r.role,
  isActive: r.is_active,
  branchCityId: r.branch_city_id,
  passwordHash: r.password_hash,
  pinHash: r.pin_hash,
  failedLoginCount: r.failed_login_count,
  lockedUntil: r.locked_until,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const COLUMNS: Record<keyof UserPatch, keyof UserRow> = {
  email: 'email',
  username: 'username',
  name: 'name',
  role: 'role',
  isActive: 'is_active',
  branchCityId: 'branch_city_id',
  passwordHash: 'password_hash',
  pinHash: 'pin_hash',
  failedLoginCount: 'failed_login_count',
  lockedUntil: 'locked_until',
};

function translate(e: unknown): never {
  if (isUniqueViolation(e, 'users_email_unique')) throw UserErrors.emailTaken();
  if (isUniqueViolation(e, 'users_username_unique')) throw UserErrors.usernameTaken();
  throw e;
}

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export class KnexUserRepository implements UserRepository {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async create(u: NewUser, now: Date): Promise<User> {
    try {
      const [row] = await this.db<UserRow>('users')
        .insert({
          id: u.id,
          email: u.email,
          username: u.username,
          name: u.name,
          role: u.role,
          branch_city_id: u.branchCityId,
          password_hash: u.passwordHash,
          pin_hash: u.pinHash,
          created_at: now,
          updated_at: now,
        })
        .returning('*');
      return toUser(row as UserRow);
    } catch (e) {
      translate(e);
    }
  }

  async findById(id: string): Promise<User | null> {
    const row = await this.db<UserRow>('users').where({ id }).first();
    return row ? toUser(row) : null;
  }

  async findByEmail(email: string): Promise<User | null> {
    const row = await this.db<UserRow>('users').where({ email: email.toLowerCase() }).first();
    return row ? toUser(row) : null;
  }

  async findByUsername(username: string): Promise<User | null> {
    const row = await this.db<UserRow>('users').where({ username: username.toLowerCase() }).first();
    return row ? toUser(row) : null;
  }

  async update(id: string, patch: UserPatch, now: Date): Promise<User | null> {
    const values: Record<string, unknown> = { updated_at: now };
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) values[COLUMNS[k as keyof UserPatch]] = v;
    try {
      const [row] = await this.db<UserRow>('users').where({ id }).update(values).returning('*');
      return row ? toUser(row as UserRow) : null;
    } catch (e) {
      translate(e);
    }
  }

  async lockForUpdate(id: string): Promise<boolean> {
    return (await this.db('users').where({ id }).forUpdate().first('id')) !== undefined;
  }

  async recordFailedLogin(
    id: string,
    now: Date,
    policy: LockoutPolicy,
  ): Promise<{ failedLoginCount: number; lockedUntil: Date | null; lockedNow: boolean } | null> {
    // One statement: the row lock serialises concurrent failures, and each reads the count the last one wrote.
    const until = new Date(now.getTime() + policy.lockMs);
    const { rows } = (await this.db.raw(
      `UPDATE users SET
         failed_login_count = CASE WHEN failed_login_count + 1 >= :threshold THEN 0 ELSE failed_login_count + 1 END,
         locked_until = CASE WHEN failed_login_count + 1 >= :threshold THEN :until::timestamptz ELSE locked_until END,
         updated_at = :now
       WHERE id = :id
       RETURNING failed_login_count, locked_until, (failed_login_count = 0 AND locked_until = :until::timestamptz) AS locked_now`,
      { threshold: policy.threshold, until, now, id },
    )) as { rows: Array<{ failed_login_count: number; locked_until: Date | null; locked_now: boolean }> };
    const row = rows[0];
    return row
      ? { failedLoginCount: row.failed_login_count, lockedUntil: row.locked_until, lockedNow: row.locked_now }
      : null;
  }

  async clearFailedLogins(id: string, now: Date): Promise<boolean> {
    // FOR UPDATE waits for a concurrent failure's UPDATE and then reads the row it wrote.
    const { rows } = (await this.db.raw(
      `WITH current AS (SELECT id, failed_login_count, locked_until FROM users WHERE id = :id FOR UPDATE),
       cleared AS (
         UPDATE users u SET failed_login_count = 0, locked_until = NULL, updated_at = :now
           FROM current c
          WHERE u.id = c.id AND (c.locked_until IS NULL OR c.locked_until <= :now)
            AND (c.failed_login_count > 0 OR c.locked_until IS NOT NULL)
         RETURNING u.id)
       SELECT (c.locked_until IS NULL OR c.locked_until <= :now) AS unlocked FROM current c`,
      { id, now },
    )) as { rows: Array<{ unlocked: boolean }> };
    return rows[0]?.unlocked === true;
  }

  async list(filter: UserFilter, page: PageRequest): Promise<Page<User>> {
    const q = this.db<UserRow>('users').modify((b) => {
      if (filter.role?.length) b.whereIn('role', filter.role);
      if (filter.isActive !== undefined) b.where('is_active', filter.isActive);
      if (filter.branchCityId) b.where('branch_city_id', filter.branchCityId);
      if (filter.q) {
        const like = `%${escapeLike(filter.q.toLowerCase())}%`;
        b.where((w) =>
          w.whereRaw('lower(name) LIKE ?', [like]).orWhere('email', 'like', like).orWhere('username', 'like', like),
        );
      }
    });
    const [{ count }] = (await q.clone().count<{ count: string }[]>({ count: '*' })) as [{ count: string }];
    const rows = await q
      .clone()
      .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id' }])
      .limit(page.pageSize)
      .offset(offsetOf(page));
    return { items: (rows as UserRow[]).map(toUser), page: page.page, pageSize: page.pageSize, total: Number(count) };
  }

  async countActiveByRole(role: Role): Promise<number> {
    const [{ count }] = (await this.db('users').where({ role, is_active: true }).count({ count: '*' })) as [
      { count: string },
    ];
    return Number(count);
  }

  async countByBranch(branchCityId: string): Promise<number> {
    const [{ count }] = (await this.db('users').where({ branch_city_id: branchCityId }).count({ count: '*' })) as [
      { count: string },
    ];
    return Number(count);
  }
}
