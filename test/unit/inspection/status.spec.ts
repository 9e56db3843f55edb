import { expect } from 'chai';
import { ROLES } from '../../../src/domain/identity/role.js';
import { isPermanentReportFailure } from '../../../src/domain/report/report-job.js';
import {
  assertTransition,
  INSPECTION_STATUSES,
  isEditable,
  type InspectionStatus,
  type TransitionActor,
} from '../../../src/domain/inspection/status.js';
import { DomainError } from '../../../src/domain/shared/domain-error.js';

/** The lifecycle as the issue states it; every other pair must be refused. */
const ALLOWED: Record<string, TransitionActor[]> = {
  'NEED_REVIEW>APPROVED': ['REVIEWER', 'ADMIN', 'SUPERADMIN'],
  'APPROVED>ARCHIVING': ['ADMIN', 'SUPERADMIN', 'SYSTEM'],
  'ARCHIVING>ARCHIVED': ['SYSTEM'],
  'ARCHIVING>FAIL_ARCHIVE': ['SYSTEM'],
  'FAIL_ARCHIVE>ARCHIVING': ['ADMIN', 'SUPERADMIN', 'SYSTEM'],
  'ARCHIVED>DEACTIVATED': ['ADMIN', 'SUPERADMIN'],
  'DEACTIVATED>ARCHIVED': ['ADMIN', 'SUPERADMIN'],
  'APPROVED>NEED_REVIEW': ['SUPERADMIN'],
  'FAIL_ARCHIVE>NEED_REVIEW': ['SUPERADMIN'],
  'ARCHIVED>NEED_REVIEW': ['SUPERADMIN'],
  'DEACTIVATED>NEED_REVIEW': ['SUPERADMIN'],
  'ARCHIVED>APPROVED': ['SUPERADMIN'],
  'FAIL_ARCHIVE>APPROVED': ['SUPERADMIN'],
};
const ACTORS: TransitionActor[] = [...ROLES, 'SYSTEM'];

function outcome(from: InspectionStatus, to: InspectionStatus, actor: TransitionActor): string {
  try {
    assertTransition(from, to, actor);
    return 'OK';
  } catch (e) {
    expect(e).to.be.instanceOf(DomainError);
    return (e as DomainError).code;
  }
}

describe('inspection status machine: every pair of states x every actor', () => {
  for (const from of INSPECTION_STATUSES) {
    for (const to of INSPECTION_STATUSES) {
      const allowed = ALLOWED[`${from}>${to}`];
      it(`${from} -> ${to}: ${allowed ? allowed.join(', ') : 'never'}`, () => {
        for (const actor of ACTORS) {
          const expected = !allowed
            ? 'INSPECTION.INVALID_TRANSITION'
            : allowed.includes(actor)
              ? 'OK'
              : 'INSPECTION.TRANSITION_FORBIDDEN';
          expect(outcome(from, to, actor), actor).to.equal(expected);
        }
      });
    }
  }

  it('only NEED_REVIEW is editable', () => {
    expect(INSPECTION_STATUSES.filter(isEditable)).to.deep.equal(['NEED_REVIEW']);
  });
});

describe('report job failures: permanent or retryable', () => {
  it('input errors are permanent; dependencies, timeouts and the unexpected are retried', () => {
    for (const code of ['RENDER.QUALITY_GATE', 'PHOTO.UNREADABLE', 'INSPECTION.NOT_FOUND', 'VALIDATION.FAILED'])
      expect(isPermanentReportFailure(code), code).to.equal(true);
    for (const code of [
      'RENDER.TIMEOUT',
      'RENDER.FAILED',
      'RENDER.UNAVAILABLE',
      'STORAGE.UNAVAILABLE',
      'STORAGE.TIMEOUT',
      'IPFS.TIMEOUT',
      'IPFS.UNAVAILABLE',
      'REPORT.UNEXPECTED',
    ])
      expect(isPermanentReportFailure(code), code).to.equal(false);
  });
});
