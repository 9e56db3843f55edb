import type { ReportVariant } from '../../domain/inspection/report.js';
import { ReportErrors } from '../../domain/report/report-job.js';
import type { Clock } from '../../ports/clock.js';
import type { RenderTokens } from '../../ports/render-tokens.js';

/** The render token of a report page: REPORT.TOKEN_EXPIRED, or REPORT.TOKEN_INVALID for any other refusal. */
export function checkRenderToken(
  tokens: RenderTokens,
  clock: Clock,
  token: string,
  id: string,
  variant: ReportVariant,
): void {
  const verdict = tokens.verify(token, id, variant, clock.now());
  if (verdict === 'expired') throw ReportErrors.tokenExpired();
  if (verdict !== 'ok') throw ReportErrors.tokenInvalid();
}
