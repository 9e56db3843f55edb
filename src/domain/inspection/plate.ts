import type { ErrorDetail } from '../shared/domain-error.js';

/**
 * Indonesian plates ("B 1234 XYZ", "ab1234cd") normalised to upper case with single spaces between the
 * letter and digit groups: "B 1234 XYZ", "AB 1234 CD". Searching uses the compact form (no spaces).
 */
export function normalisePlate(raw: string): string {
  const compact = raw.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return compact.replace(/([A-Z])(?=\d)|(\d)(?=[A-Z])/g, '$1$2 ').trim();
}

export const compactPlate = (raw: string): string => raw.toUpperCase().replace(/[^A-Z0-9]/g, '');

export function validatePlate(normalised: string, path = '/plateNumber'): ErrorDetail | null {
  const c = compactPlate(normalised);
  return c.length >= 2 && c.length <= 12 && /\d/.test(c)
    ? null
    : { path, message: 'must be a vehicle plate such as "B 1234 XYZ"' };
}
