export interface PasswordHasher {
  /** A self-describing hash (algorithm, parameters and salt included) of a password or PIN. */
  hash(secret: string): Promise<string>;
  /** True when `secret` matches `hash`; false (never throws) on mismatch or a malformed hash. */
  verify(hash: string, secret: string): Promise<boolean>;
  /**
   * Spends about the time of one verify. Called when no user matched so that response time does not tell
   * whether an account exists.
   */
  burn(): Promise<void>;
}

export const PasswordHasher = Symbol('PasswordHasher');
