import { expect } from 'chai';
import { compareRouteSpecificity, loadApiSpec, toExpressPath } from '../../../src/adapters/http/openapi.js';
import { OPENAPI_FILE } from '../../../src/main/container.js';
import { assertConforms } from '../../support/api.js';

const spec = loadApiSpec(OPENAPI_FILE);
const doc = spec.document as {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: { responses: Record<string, { content: Record<string, { example?: unknown }> }> };
};

describe('openapi.yaml as the contract', () => {
  for (const op of spec.operations) {
    const raw = doc.paths[op.path]?.[op.method] as Record<string, unknown>;
    const codes = Object.keys(op.responses);
    it(`${op.operationId}: documented with tags, summary, description, a success example path and its errors`, () => {
      expect(raw.tags, 'tags').to.be.an('array').that.is.not.empty;
      expect(raw.summary, 'summary').to.be.a('string').that.is.not.empty;
      expect(raw.description, 'description').to.be.a('string').that.is.not.empty;
      expect(
        codes.some((c) => c.startsWith('2')),
        'a success response',
      ).to.equal(true);
      expect(codes, 'bad input').to.include('400');
      expect(codes, 'rate limit').to.include('429');
      if (op.roles) expect(codes, 'secured: 401').to.include('401');
      if (op.roles && op.roles.length > 0) expect(codes, 'role-restricted: 403').to.include('403');
      if (op.hasJsonBody) expect(codes, 'body: 413 and 415').to.include.members(['413', '415']);
      if (op.path.includes('{id}')) expect(codes, 'by id: 404').to.include('404');
      const body = (raw.requestBody as { content?: Record<string, { example?: unknown }> } | undefined)?.content?.[
        'application/json'
      ];
      if (body) expect(body.example, 'request example').to.not.equal(undefined);
    });
  }

  it('every shared error response has an example', () => {
    for (const [name, r] of Object.entries(doc.components.responses)) {
      expect(Object.values(r.content)[0]?.example, name).to.not.equal(undefined);
    }
  });

  it('operation ids are unique', () => {
    const ids = spec.operations.map((o) => o.operationId);
    expect(new Set(ids).size).to.equal(ids.length);
  });

  it('routes are registered literal-first so that no fixed path is shadowed by a parameter', () => {
    expect(toExpressPath('/admin/users/{id}/role')).to.equal('/admin/users/:id/role');
    const sorted = ['/admin/users/{id}', '/admin/users/inspectors', '/admin/users'].sort(compareRouteSpecificity);
    expect(sorted.indexOf('/admin/users/inspectors')).to.be.lessThan(sorted.indexOf('/admin/users/{id}'));
    const order = spec.operations.map((o) => `${o.method} ${o.path}`);
    expect(order.indexOf('post /admin/users/inspectors')).to.be.lessThan(order.indexOf('get /admin/users/{id}'));
    expect(order.indexOf('put /inspections/{id}/photos/order')).to.be.lessThan(
      order.indexOf('put /inspections/{id}/photos/{photoId}'),
    );
    expect(order.indexOf('post /inspections/bulk-approve')).to.be.lessThan(order.indexOf('get /inspections/{id}'));
  });

  it('the response checker used by the API tests rejects bodies that break the contract', () => {
    const ok = {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: { status: 'ok' },
      text: '{"status":"ok"}',
    };
    expect(() => assertConforms(spec, 'get', '/api/v1/health/live', ok as never)).to.not.throw();
    const wrongBody = { ...ok, body: { status: 'fine' } };
    expect(() => assertConforms(spec, 'get', '/api/v1/health/live', wrongBody as never)).to.throw(/does not match/);
    const undocumented = { ...ok, status: 418 };
    expect(() => assertConforms(spec, 'get', '/api/v1/health/live', undocumented as never)).to.throw(
      /problem\+json|not documented/,
    );
    const userWithSecret = {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: {
        id: '0b7c3f7e-8a53-4c4e-9a59-3b1c0d1e2f34',
        email: null,
        username: 'u',
        name: 'n',
        role: 'CUSTOMER',
        isActive: true,
        branchCityId: null,
        createdAt: '2026-01-01T00:00:00Z',
        updatedAt: '2026-01-01T00:00:00Z',
        passwordHash: 'x',
      },
      text: '',
    };
    expect(
      () => assertConforms(spec, 'get', '/api/v1/auth/me', userWithSecret as never),
      'User forbids extra fields such as hashes',
    ).to.throw(/does not match/);
  });
});
