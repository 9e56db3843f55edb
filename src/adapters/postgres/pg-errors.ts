/** Narrow view of a node-postgres error. */
export interface PgError {
  code?: string;
  constraint?: string;
}

export const isPgError = (e: unknown): e is PgError => typeof e === 'object' && e !== null && 'code' in e;

export const isUniqueViolation = (e: unknown, constraint?: string): boolean =>
  isPgError(e) && e.code === '23505' && (constraint === undefined || e.constraint === constraint);

/** 23503 foreign_key_violation, or 23001 restrict_violation (ON DELETE RESTRICT). */
export const isForeignKeyViolation = (e: unknown): boolean => isPgError(e) && (e.code === '23503' || e.code === '23001');
