/**
 * Authorization matrix: every operation of openapi.yaml x every role and anonymous. Secured operations
 * answer 401 to anonymous callers and 403 AUTH.FORBIDDEN to roles outside their x-roles; allowed roles
 * pass authorization (whatever the operation then says about the empty request). Fresh actors per
 * operation, since some operations (logout) end the caller's session.
 */
import { expect } from 'chai';
import type { Knex } from 'knex';
import { ROLES, type Role } from '../../src/domain/identity/role.js';
import { buildTestApp, type TestApp } from '../support/api.js';
import { Actors } from '../support/actors.js';
import { testKnex, truncateAll } from '../support/db.js';

const t: TestApp = buildTestApp();

describe('API: authorization matrix (every route x every role + anonymous)', () => {
  let knex: Knex;
  before(async () => {
    knex = testKnex();
    await truncateAll(knex);
  });
  after(() => knex.destroy());

  for (const op of t.spec.operations) {
    const url = `${t.spec.basePath}${op.path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000')}`;
    const allowed = (role: Role) => !op.roles || op.roles.length === 0 || op.roles.includes(role);
    it(`${op.method.toUpperCase()} ${op.path}: ${op.roles ? (op.roles.length ? op.roles.join('/') : 'any role') : 'public'}`, async () => {
      const matrix: Record<string, number> = {};
      const anon = await t.api[op.method](url);
      matrix.anonymous = anon.status;
      if (op.roles) {
        expect(anon.status, 'anonymous').to.equal(401);
        expect(anon.body.code).to.equal('AUTH.INVALID_TOKEN');
      } else {
        expect(anon.status, 'public operation').to.not.be.oneOf([401, 403]);
      }
      const actors = await new Actors(t.container).all();
      for (const role of ROLES) {
        const res = await t.api[op.method](url).set(actors[role].auth);
        matrix[role] = res.status;
        if (allowed(role)) {
          expect(res.status, `${role} is allowed (${JSON.stringify(res.body)})`).to.not.equal(401);
          expect(res.body?.code, `${role} is allowed`).to.not.equal('AUTH.FORBIDDEN');
        } else {
          expect(res.status, `${role} is refused`).to.equal(403);
          expect(res.body.code).to.equal('AUTH.FORBIDDEN');
        }
      }
      expect(Object.keys(matrix)).to.have.length(ROLES.length + 1);
    });
  }
});
