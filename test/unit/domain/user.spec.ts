import { expect } from 'chai';
import { DomainError } from '../../../src/domain/shared/domain-error.js';
import { normalisePage } from '../../../src/domain/shared/pagination.js';
import {
  isLocked,
  isWellFormedPin,
  LOCKOUT_MINUTES,
  LOCKOUT_POLICY,
  LOCKOUT_THRESHOLD,
  normaliseEmail,
  throwIfInvalid,
  validateEmail,
  validatePassword,
  validateUsername,
} from '../../../src/domain/identity/user.js';
import { normaliseBranchCode, validateBranchCode } from '../../../src/domain/branch/branch-city.js';

describe('user rules', () => {
  it('normalises email to trimmed lower case', () => {
    expect(normaliseEmail('  Budi@Example.COM ')).to.equal('budi@example.com');
  });

  it('validates emails, usernames and passwords with field paths', () => {
    expect(validateEmail('a@b.co')).to.equal(null);
    expect(validateEmail('not-an-email')).to.deep.include({ path: '/email' });
    expect(validateUsername('budi.s')).to.equal(null);
    expect(validateUsername('-budi')).to.deep.include({ path: '/username' });
    expect(validateUsername('ab')).to.deep.include({ path: '/username' });
    expect(validatePassword('short')).to.deep.include({ path: '/password' });
    expect(validatePassword('aaaaaaaaaaaa')?.message).to.equal('is too repetitive');
    expect(validatePassword('correct-horse-battery')).to.equal(null);
  });

  it('throwIfInvalid reports every problem at once', () => {
    try {
      throwIfInvalid([validateEmail('x'), validatePassword('y'), null]);
      expect.fail('should throw');
    } catch (e) {
      expect(e).to.be.instanceOf(DomainError);
      expect((e as DomainError).code).to.equal('VALIDATION.FAILED');
      expect((e as DomainError).details.map((d) => d.path)).to.deep.equal(['/email', '/password']);
    }
  });

  it('locks for LOCKOUT_MINUTES after LOCKOUT_THRESHOLD failures (the store counts; see the UserRepository contract)', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(LOCKOUT_POLICY).to.deep.equal({ threshold: LOCKOUT_THRESHOLD, lockMs: LOCKOUT_MINUTES * 60_000 });
    const state = { lockedUntil: new Date(now.getTime() + LOCKOUT_POLICY.lockMs) };
    expect(isLocked(state, now)).to.equal(true);
    expect(isLocked(state, new Date(now.getTime() + LOCKOUT_MINUTES * 60_000 + 1))).to.equal(false);
    expect(isLocked({ lockedUntil: null }, now)).to.equal(false);
  });

  it('accepts only six-digit PINs', () => {
    expect(isWellFormedPin('012345')).to.equal(true);
    for (const bad of ['12345', '1234567', 'abcdef', '12 456', '']) expect(isWellFormedPin(bad), bad).to.equal(false);
  });

  it('branch codes are three letters, stored upper case', () => {
    expect(normaliseBranchCode(' yog ')).to.equal('YOG');
    expect(validateBranchCode('YOG')).to.equal(null);
    for (const bad of ['YO', 'YOGY', 'Y0G', 'yog']) expect(validateBranchCode(bad), bad).to.not.equal(null);
  });

  it('clamps pagination to 1..100', () => {
    expect(normalisePage({})).to.deep.equal({ page: 1, pageSize: 20 });
    expect(normalisePage({ page: 0, pageSize: 1000 })).to.deep.equal({ page: 1, pageSize: 100 });
  });
});
