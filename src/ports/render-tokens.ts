import type { ReportVariant } from '../domain/inspection/report.js';

export type RenderTokenVerdict = 'ok' | 'expired' | 'invalid';

/**
 * Short-lived tokens with which the renderer (Chromium) reads one report page and its photos. A token is
 * bound to one inspection and one variant; it is never a user's credential.
 */
export interface RenderTokens {
  /** A token valid for `ttlSeconds` from `now`. */
  issue(inspectionId: string, variant: ReportVariant, now: Date, ttlSeconds: number): string;
  /** Checks signature, binding and expiry (constant-time). */
  verify(token: string, inspectionId: string, variant: ReportVariant, now: Date): RenderTokenVerdict;
}

export const RenderTokens = Symbol('RenderTokens');
