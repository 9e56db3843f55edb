import { createHmac } from 'node:crypto';
import { compactPlate } from '../../domain/inspection/plate.js';
import type { PlateHasher } from '../../ports/nft-minter.js';

/**
 * HMAC-SHA256 of the compact plate ("AB 1234 CD" and "ab1234cd" hash alike). A bare SHA-256 of a plate can
 * be reversed by trying every plate; without the secret this cannot.
 */
export class HmacPlateHasher implements PlateHasher {
  readonly #secret: string;

  constructor(secret: string) {
    if (secret.length < 32) throw new Error('the plate hash secret must have at least 32 characters');
    this.#secret = secret;
  }

  hash(plateNumber: string): string {
    return createHmac('sha256', this.#secret).update(compactPlate(plateNumber), 'utf8').digest('hex');
  }
}
