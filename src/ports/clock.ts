export interface Clock {
  now(): Date;
}
export const Clock = Symbol('Clock');

export interface IdGenerator {
  /** A new UUID (v4 or v7). */
  next(): string;
}
export const IdGenerator = Symbol('IdGenerator');
