import { expect } from 'chai';
import { canGrantRole, canManageUser, ROLES, type Role } from '../../../src/domain/identity/role.js';

describe('role policy', () => {
  const expected: Record<Role, Role[]> = {
    SUPERADMIN: ['SUPERADMIN', 'ADMIN', 'REVIEWER', 'INSPECTOR', 'CUSTOMER'],
    ADMIN: ['REVIEWER', 'INSPECTOR', 'CUSTOMER'],
    REVIEWER: [],
    INSPECTOR: [],
    CUSTOMER: [],
  };

  for (const actor of ROLES) {
    for (const target of ROLES) {
      const allowed = expected[actor].includes(target);
      it(`${actor} ${allowed ? 'may' : 'may not'} grant ${target}`, () => {
        expect(canGrantRole(actor, target)).to.equal(allowed);
        expect(canManageUser(actor, target)).to.equal(allowed);
      });
    }
  }
});
