import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { SecretGenerator } from '../../ports/secrets.js';

export class CryptoSecretGenerator implements SecretGenerator {
  pin(): string {
    // randomInt draws uniformly (rejection sampling), unlike a modulo over random bytes.
    return randomInt(0, 1_000_000).toString().padStart(6, '0');
  }

  refreshToken(): string {
    return randomBytes(32).toString('base64url');
  }

  digest(token: string): string {
    return createHash('sha256').update(token).digest('hex');
  }

  password(): string {
    return randomBytes(18).toString('base64url');
  }
}
