import { DomainError, type ErrorDetail } from '../shared/domain-error.js';

export interface BranchCity {
  id: string;
  name: string;
  /** Explicit, unique, three uppercase letters (used in inspection pretty ids, e.g. YOG). */
  code: string;
  isActive: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export const normaliseBranchCode = (code: string): string => code.trim().toUpperCase();

export function validateBranchCode(code: string): ErrorDetail | null {
  return /^[A-Z]{3}$/.test(code) ? null : { path: '/code', message: 'must be exactly three letters A-Z' };
}

export function validateBranchName(name: string): ErrorDetail | null {
  const n = name.trim();
  return n.length >= 2 && n.length <= 80 ? null : { path: '/name', message: 'must be 2-80 characters' };
}

export const BranchErrors = {
  notFound: () => new DomainError('BRANCH.NOT_FOUND', 'not_found', 'No such branch city.'),
  codeTaken: () => new DomainError('BRANCH.CODE_TAKEN', 'conflict', 'A branch city with this code already exists.'),
  inUse: () =>
    new DomainError(
      'BRANCH.IN_USE',
      'conflict',
      'This branch city is still referenced; deactivate it instead of deleting it.',
    ),
};
