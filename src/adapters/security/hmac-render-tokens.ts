import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ReportVariant } from '../../domain/inspection/report.js';
import type { RenderTokens, RenderTokenVerdict } from '../../ports/render-tokens.js';

/** `<expiry unix seconds>.<hex HMAC-SHA256 of "render:<inspection>:<variant>:<expiry>">`. */
export class HmacRenderTokens implements RenderTokens {
  private readonly key: Buffer;

  constructor(secret: string) {
    if (secret.length < 32) throw new Error('render token secret too short');
    // A key of its own, derived from the configured secret, so a render token can never pass as a JWT.
    this.key = createHmac('sha256', secret).update('car-dano/render-token/v1').digest();
  }

  private sign(inspectionId: string, variant: ReportVariant, expires: number): string {
    return createHmac('sha256', this.key).update(`render:${inspectionId}:${variant}:${expires}`).digest('hex');
  }

  issue(inspectionId: string, variant: ReportVariant, now: Date, ttlSeconds: number): string {
    const expires = Math.floor(now.getTime() / 1000) + ttlSeconds;
    return `${expires}.${this.sign(inspectionId, variant, expires)}`;
  }

  verify(token: string, inspectionId: string, variant: ReportVariant, now: Date): RenderTokenVerdict {
    const m = /^(\d{1,12})\.([0-9a-f]{64})$/.exec(token);
    if (!m) return 'invalid';
    const expires = Number(m[1]);
    const given = Buffer.from(m[2] as string, 'hex');
    const expected = Buffer.from(this.sign(inspectionId, variant, expires), 'hex');
    if (!timingSafeEqual(given, expected)) return 'invalid';
    return expires * 1000 > now.getTime() ? 'ok' : 'expired';
  }
}
