import type { Container } from 'inversify';
import { randomUUID } from 'node:crypto';
import { LoginInspector } from '../../src/application/auth/login-inspector.js';
import { LoginWithPassword } from '../../src/application/auth/login-with-password.js';
import { RegisterCustomer } from '../../src/application/auth/register-customer.js';
import { CreateBranchCity } from '../../src/application/branches/create-branch-city.js';
import { CreateInspector } from '../../src/application/users/create-inspector.js';
import { CreateStaffUser } from '../../src/application/users/create-staff-user.js';
import type { BranchCity } from '../../src/domain/branch/branch-city.js';
import type { Role } from '../../src/domain/identity/role.js';
import type { PublicUser } from '../../src/domain/identity/user.js';
import { BranchCityRepository } from '../../src/ports/branch-city-repository.js';

export interface TestActor {
  user: PublicUser;
  token: string;
  refreshToken: string;
  sessionId: string;
  /** Password (or PIN for inspectors). */
  secret: string;
  auth: { Authorization: string };
}

export const PASSWORD = 'long-enough-password-1';

/** Object mother: a user of each role, logged in through the real use cases. */
export class Actors {
  private branch: BranchCity | undefined;

  constructor(private readonly c: Container) {}

  async branchCity(code = 'YOG'): Promise<BranchCity> {
    if (this.branch?.code === code) return this.branch;
    this.branch =
      (await this.c.get<BranchCityRepository>(BranchCityRepository).findByCode(code)) ??
      (await this.c.get(CreateBranchCity).execute(null, { name: `City ${code}`, code }));
    return this.branch;
  }

  async create(role: Role, over: { email?: string } = {}): Promise<TestActor> {
    const email = over.email ?? `${role.toLowerCase()}-${randomUUID().slice(0, 8)}@example.com`;
    const client = { userAgent: 'mocha', ip: '127.0.0.1' };
    if (role === 'INSPECTOR') {
      const boss = await this.c.get(CreateStaffUser).execute(null, {
        email: `boss-${randomUUID().slice(0, 8)}@example.com`,
        name: 'Boss',
        password: PASSWORD,
        role: 'SUPERADMIN',
      });
      const branch = await this.branchCity();
      const { pin } = await this.c
        .get(CreateInspector)
        .execute({ userId: boss.id, role: 'SUPERADMIN' }, { email, name: 'Inspector', branchCityId: branch.id });
      const r = await this.c.get(LoginInspector).execute({ email, pin, client });
      return {
        user: r.user,
        token: r.accessToken,
        refreshToken: r.refreshToken,
        sessionId: r.sessionId,
        secret: pin,
        auth: { Authorization: `Bearer ${r.accessToken}` },
      };
    }
    if (role === 'CUSTOMER')
      await this.c.get(RegisterCustomer).execute({ email, name: 'Customer', password: PASSWORD });
    else await this.c.get(CreateStaffUser).execute(null, { email, name: role, password: PASSWORD, role });
    const r = await this.c.get(LoginWithPassword).execute({ identifier: email, password: PASSWORD, client });
    return {
      user: r.user,
      token: r.accessToken,
      refreshToken: r.refreshToken,
      sessionId: r.sessionId,
      secret: PASSWORD,
      auth: { Authorization: `Bearer ${r.accessToken}` },
    };
  }

  async all(): Promise<Record<Role, TestActor>> {
    const roles: Role[] = ['SUPERADMIN', 'ADMIN', 'REVIEWER', 'INSPECTOR', 'CUSTOMER'];
    const out = {} as Record<Role, TestActor>;
    for (const r of roles) out[r] = await this.create(r);
    return out;
  }
}
