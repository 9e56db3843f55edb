/** Narrow view of a node-postgres error. */
export interface PgError {
  code?: string;
  constraint?: string;
}

export const isPgError = (e: unknown): e is PgError => typeof e === 'object' && e !== null && 'code' in e;

export const isUniqueViolation = (e: unknown, constraint?: string): boolean =>
  isPgError(e) && e.code === '23505' && (constraint === undefined || e.constraint === constraint);

export const isForeignKeyViolation = (e: unknown): boolean => isPgError(e) && e.code === '23503';
