import argon2 from 'argon2';
import type { PasswordHasher } from '../../ports/password-hasher.js';

export interface Argon2Params {
  /** KiB of memory per hash (OWASP: 19456 with t=2). */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** argon2id hashing of passwords and PINs. */
export class Argon2PasswordHasher implements PasswordHasher {
  private dummy: Promise<string> | undefined;

  constructor(private readonly params: Argon2Params) {}

  hash(secret: string): Promise<string> {
    return argon2.hash(secret, { type: argon2.argon2id, ...this.params });
  }

  async verify(hash: string, secret: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, secret);
    } catch {
      return false;
    }
  }

  async burn(): Promise<void> {
    this.dummy ??= this.hash('timing-equaliser');
    await this.verify(await this.dummy, 'not-the-secret');
  }
}
