export interface Clock {
  /** The current instant. Use cases take time only from here, so tests can fix it. */
  now(): Date;
}
export const Clock = Symbol('Clock');

export interface IdGenerator {
  /** A new UUID (v4 or v7). */
  next(): string;
}
export const IdGenerator = Symbol('IdGenerator');
