export interface Clock {
  /** The current instant. Use cases take time only from here, so tests can fix it. */
  now(): Date;
}
export const Clock = Symbol('Clock');
