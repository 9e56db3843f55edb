import { createHmac, timingSafeEqual } from 'node:crypto';

export type UrlVerdict = 'ok' | 'expired' | 'invalid';

/**
 * HMAC-SHA256 signatures for the filesystem store's download URLs. A signature covers the key, the expiry
 * (unix seconds) and the optional download name, so changing any of them in the URL invalidates it.
 */
export class UrlSigner {
  constructor(
    private readonly secret: string,
    private readonly clock: () => Date = () => new Date(),
  ) {
    // An empty secret would make every URL forgeable; refuse it at wiring time rather than at request time.
    if (secret.length === 0) throw new Error('UrlSigner needs a non-empty secret');
  }

  /** Current time in unix seconds, from the injected clock. */
  nowSeconds(): number {
    return Math.floor(this.clock().getTime() / 1000);
  }

  /** Hex HMAC-SHA256 over (key, expiresAt, downloadName). */
  sign(key: string, expiresAt: number, downloadName?: string): string {
    // JSON keeps the fields unambiguous: no separator a key or a name could contain shifts the boundaries,
    // and "no download name" (null) differs from an empty one.
    const payload = JSON.stringify([key, expiresAt, downloadName ?? null]);
    return createHmac('sha256', this.secret).update(payload).digest('hex');
  }

  /**
   * Checks a signature taken from a URL. `expires` is the raw query value. The signature is checked before
   * the expiry so a forged URL is reported as invalid even when its (forged) expiry is in the past.
   */
  verify(key: string, expires: string | number, signature: string, downloadName?: string): UrlVerdict {
    const expiresText = String(expires);
    if (!/^\d{1,12}$/.test(expiresText) || !/^[0-9a-f]{64}$/.test(signature)) return 'invalid';
    const expiresAt = Number(expiresText);
    const expected = Buffer.from(this.sign(key, expiresAt, downloadName), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) return 'invalid';
    return this.nowSeconds() >= expiresAt ? 'expired' : 'ok';
  }
}
