import { expect } from 'chai';
import {
  assertRequestTransition,
  assertSchedule,
  CUSTOMER_INSPECTION_STATUSES,
  isFinalRequestStatus,
  REQUEST_PAYMENT_STATUSES,
  REQUEST_TRANSITIONS,
  type CustomerInspectionStatus,
  type RequestGuard,
  type TransitionContext,
} from '../../../src/domain/customer/inspection-request.js';
import { ROLES, type Role } from '../../../src/domain/identity/role.js';
import { DomainError } from '../../../src/domain/shared/domain-error.js';

type Allowed = Partial<Record<Role, RequestGuard[]>>;
const ADMINS = (guards: RequestGuard[]): Allowed => ({ ADMIN: guards, SUPERADMIN: guards });

/** The workflow as the product states it, written independently of REQUEST_TRANSITIONS; every other triple is refused. */
const EXPECTED: Record<string, Allowed> = {
  'NOT_STARTED>CANCELLED': { CUSTOMER: [], ...ADMINS(['REASON']) },
  'NOT_STARTED>IN_PROGRESS': ADMINS(['PAYMENT_SETTLED']),
  'NOT_STARTED>ON_HOLD': ADMINS(['REASON']),
  'ON_HOLD>NOT_STARTED': ADMINS([]),
  'ON_HOLD>IN_PROGRESS': ADMINS(['PAYMENT_SETTLED']),
  'ON_HOLD>CANCELLED': ADMINS(['REASON']),
  'IN_PROGRESS>ON_HOLD': ADMINS(['REASON']),
  'IN_PROGRESS>AWAITING_APPROVAL': ADMINS([]),
  'AWAITING_APPROVAL>IN_PROGRESS': ADMINS(['REASON', 'PAYMENT_SETTLED']),
  'AWAITING_APPROVAL>DONE': ADMINS(['INSPECTION_LINKED']),
};

/** Every guard satisfied. */
const OK_CTX: TransitionContext = {
  paymentStatus: 'PAID',
  waiverReason: null,
  inspectionId: '5b0c3f7e-8a53-4c4e-9a59-3b1c0d1e2f34',
  reason: 'Customer asked by phone',
};

function outcome(
  from: CustomerInspectionStatus,
  to: CustomerInspectionStatus,
  role: Role,
  ctx: TransitionContext = OK_CTX,
): string {
  try {
    assertRequestTransition(from, to, role, ctx);
    return 'OK';
  } catch (e) {
    expect(e).to.be.instanceOf(DomainError);
    return (e as DomainError).code;
  }
}

const statusOf = (
  from: CustomerInspectionStatus,
  to: CustomerInspectionStatus,
  role: Role,
  ctx: TransitionContext,
): number => {
  try {
    assertRequestTransition(from, to, role, ctx);
    return 200;
  } catch (e) {
    return { validation: 400, forbidden: 403, conflict: 409 }[
      (e as DomainError).kind as 'validation' | 'forbidden' | 'conflict'
    ];
  }
};

describe('customer inspection request workflow: every (from, to, role) triple', () => {
  for (const from of CUSTOMER_INSPECTION_STATUSES) {
    for (const to of CUSTOMER_INSPECTION_STATUSES) {
      const allowed = EXPECTED[`${from}>${to}`];
      it(`${from} -> ${to}: ${allowed ? Object.keys(allowed).join(', ') : 'never'}`, () => {
        for (const role of ROLES) {
          const expected = !allowed
            ? 'REQUEST.INVALID_TRANSITION'
            : allowed[role]
              ? 'OK'
              : 'REQUEST.TRANSITION_FORBIDDEN';
          expect(outcome(from, to, role), `${from} -> ${to} as ${role}`).to.equal(expected);
          if (expected !== 'OK')
            expect(statusOf(from, to, role, OK_CTX)).to.equal(expected === 'REQUEST.INVALID_TRANSITION' ? 409 : 403);
        }
      });
    }
  }

  it('the table holds exactly the expected rules, with the expected guards per role', () => {
    const actual: Record<string, Allowed> = {};
    for (const r of REQUEST_TRANSITIONS) {
      const key = `${r.from}>${r.to}`;
      actual[key] ??= {};
      for (const role of r.roles) {
        expect(actual[key]?.[role], `${key} listed twice for ${role}`).to.equal(undefined);
        (actual[key] as Allowed)[role] = [...r.guards];
      }
    }
    expect(actual).to.deep.equal(EXPECTED);
  });

  it('DONE and CANCELLED are final: no rule leaves them, and only they are final', () => {
    for (const s of CUSTOMER_INSPECTION_STATUSES) {
      expect(isFinalRequestStatus(s), s).to.equal(s === 'DONE' || s === 'CANCELLED');
      if (isFinalRequestStatus(s)) expect(REQUEST_TRANSITIONS.filter((r) => r.from === s)).to.deep.equal([]);
    }
  });

  it('a move to the same status is never a transition', () => {
    for (const s of CUSTOMER_INSPECTION_STATUSES)
      for (const role of ROLES) expect(outcome(s, s, role)).to.equal('REQUEST.INVALID_TRANSITION');
  });
});

describe('customer inspection request workflow: guards', () => {
  const triples = Object.entries(EXPECTED).flatMap(([key, allowed]) => {
    const [from, to] = key.split('>') as [CustomerInspectionStatus, CustomerInspectionStatus];
    return Object.entries(allowed).map(([role, guards]) => ({
      from,
      to,
      role: role as Role,
      guards: guards as RequestGuard[],
    }));
  });

  it('PAYMENT_SETTLED: work starts only when PAID, or WAIVED with a reason (409 REQUEST.PAYMENT_REQUIRED otherwise)', () => {
    for (const t of triples.filter((x) => x.guards.includes('PAYMENT_SETTLED'))) {
      for (const paymentStatus of REQUEST_PAYMENT_STATUSES) {
        const settled = paymentStatus === 'PAID' || paymentStatus === 'WAIVED';
        const got = outcome(t.from, t.to, t.role, {
          ...OK_CTX,
          paymentStatus,
          waiverReason: paymentStatus === 'WAIVED' ? 'Fleet customer, invoiced monthly' : null,
        });
        expect(got, `${t.from} -> ${t.to} as ${t.role} with ${paymentStatus}`).to.equal(
          settled ? 'OK' : 'REQUEST.PAYMENT_REQUIRED',
        );
      }
      expect(
        outcome(t.from, t.to, t.role, { ...OK_CTX, paymentStatus: 'WAIVED', waiverReason: null }),
        'a waiver without a reason does not count',
      ).to.equal('REQUEST.PAYMENT_REQUIRED');
      expect(outcome(t.from, t.to, t.role, { ...OK_CTX, paymentStatus: 'WAIVED', waiverReason: '   ' })).to.equal(
        'REQUEST.PAYMENT_REQUIRED',
      );
      expect(statusOf(t.from, t.to, t.role, { ...OK_CTX, paymentStatus: 'UNPAID' })).to.equal(409);
    }
  });

  it('no other move looks at the payment', () => {
    for (const t of triples.filter((x) => !x.guards.includes('PAYMENT_SETTLED'))) {
      expect(
        outcome(t.from, t.to, t.role, { ...OK_CTX, paymentStatus: 'UNPAID' }),
        `${t.from} -> ${t.to} as ${t.role}`,
      ).to.equal('OK');
    }
  });

  it('INSPECTION_LINKED: DONE needs the resulting inspection (409 REQUEST.INSPECTION_REQUIRED)', () => {
    for (const t of triples) {
      const got = outcome(t.from, t.to, t.role, { ...OK_CTX, inspectionId: null });
      expect(got, `${t.from} -> ${t.to} as ${t.role}`).to.equal(
        t.guards.includes('INSPECTION_LINKED') ? 'REQUEST.INSPECTION_REQUIRED' : 'OK',
      );
      if (t.guards.includes('INSPECTION_LINKED'))
        expect(statusOf(t.from, t.to, t.role, { ...OK_CTX, inspectionId: null })).to.equal(409);
    }
  });

  it('REASON: admin cancels, holds and rework need a reason of at least 3 characters (400 REQUEST.REASON_REQUIRED with a path)', () => {
    for (const t of triples) {
      for (const reason of [null, undefined, '', '  ', 'ab']) {
        const got = outcome(t.from, t.to, t.role, { ...OK_CTX, reason });
        expect(got, `${t.from} -> ${t.to} as ${t.role} with ${JSON.stringify(reason)}`).to.equal(
          t.guards.includes('REASON') ? 'REQUEST.REASON_REQUIRED' : 'OK',
        );
      }
    }
    try {
      assertRequestTransition('NOT_STARTED', 'CANCELLED', 'ADMIN', { ...OK_CTX, reason: null });
      expect.fail('should throw');
    } catch (e) {
      expect((e as DomainError).kind).to.equal('validation');
      expect((e as DomainError).details).to.deep.equal([
        { path: '/body/reason', message: 'is required (at least 3 characters)' },
      ]);
    }
    expect(
      outcome('NOT_STARTED', 'CANCELLED', 'CUSTOMER', { ...OK_CTX, reason: null }),
      'a customer cancels without a reason',
    ).to.equal('OK');
  });

  it('checks in order: pair, role, reason, payment, inspection', () => {
    const nothing: TransitionContext = {
      paymentStatus: 'UNPAID',
      waiverReason: null,
      inspectionId: null,
      reason: null,
    };
    expect(outcome('DONE', 'IN_PROGRESS', 'CUSTOMER', nothing)).to.equal('REQUEST.INVALID_TRANSITION');
    expect(outcome('AWAITING_APPROVAL', 'IN_PROGRESS', 'INSPECTOR', nothing)).to.equal('REQUEST.TRANSITION_FORBIDDEN');
    expect(outcome('AWAITING_APPROVAL', 'IN_PROGRESS', 'ADMIN', nothing)).to.equal('REQUEST.REASON_REQUIRED');
    expect(outcome('AWAITING_APPROVAL', 'IN_PROGRESS', 'ADMIN', { ...nothing, reason: 'Photos missing' })).to.equal(
      'REQUEST.PAYMENT_REQUIRED',
    );
    expect(outcome('AWAITING_APPROVAL', 'DONE', 'SUPERADMIN', nothing)).to.equal('REQUEST.INSPECTION_REQUIRED');
  });

  it('returns the rule applied (the customer rule for a customer, the admin rule for an admin)', () => {
    expect(assertRequestTransition('NOT_STARTED', 'CANCELLED', 'CUSTOMER', OK_CTX).roles).to.deep.equal(['CUSTOMER']);
    expect(assertRequestTransition('NOT_STARTED', 'CANCELLED', 'SUPERADMIN', OK_CTX).guards).to.deep.equal(['REASON']);
  });
});

describe('customer inspection request: preferred schedule', () => {
  const now = new Date('2026-11-24T02:00:00.000Z');
  const code = (at: Date, days = 60) => {
    try {
      assertSchedule(at, now, days);
      return 'OK';
    } catch (e) {
      return `${(e as DomainError).code} ${(e as DomainError).details[0]?.path}`;
    }
  };

  it('must be in the future and within the horizon', () => {
    expect(code(new Date(now.getTime() - 1))).to.equal('REQUEST.SCHEDULE_IN_PAST /body/preferredSchedule');
    expect(code(now), 'now is not the future').to.equal('REQUEST.SCHEDULE_IN_PAST /body/preferredSchedule');
    expect(code(new Date(now.getTime() + 1))).to.equal('OK');
    expect(code(new Date(now.getTime() + 60 * 86_400_000))).to.equal('OK');
    expect(code(new Date(now.getTime() + 60 * 86_400_000 + 1))).to.equal(
      'REQUEST.SCHEDULE_TOO_FAR /body/preferredSchedule',
    );
    expect(code(new Date(now.getTime() + 2 * 86_400_000), 1)).to.equal(
      'REQUEST.SCHEDULE_TOO_FAR /body/preferredSchedule',
    );
  });
});
