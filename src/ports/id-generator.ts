export interface IdGenerator {
  /** A new unique id (a UUID, v4 or v7): never the same twice, sortable by nothing. */
  next(): string;
}
export const IdGenerator = Symbol('IdGenerator');
