export interface SecretGenerator {
  /** A 6-digit PIN from a CSPRNG, uniformly distributed, leading zeros kept. */
  pin(): string;
  /** An opaque, URL-safe refresh token with at least 256 bits of entropy. */
  refreshToken(): string;
  /** A fast one-way digest of a high-entropy token (for lookup by hash). */
  digest(token: string): string;
  /** A random password for generated accounts. */
  password(): string;
}

export const SecretGenerator = Symbol('SecretGenerator');
