import { expect } from 'chai';
import type { DomainError } from '../../src/domain/shared/domain-error.js';

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (e) {
    return e as DomainError;
  }
  return expect.fail('expected a rejection');
}
