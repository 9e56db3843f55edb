import { DomainError } from '../../domain/shared/domain-error.js';
import type { ImageReport } from './ensure-assets.js';
import { redactToken } from './page-setup.js';

/**
 * A report is only printed when every expected image loaded: the count of decoded images must equal the
 * number the variant shows. Otherwise the render fails with the list of missing URLs (tokens redacted).
 */
export function qualityGate(expected: number, report: ImageReport): void {
  if (report.loaded === expected && report.broken.length === 0) return;
  const missing = report.broken.map(redactToken);
  throw new DomainError(
    'RENDER.QUALITY_GATE',
    'unavailable',
    `The report page showed ${report.loaded} of ${expected} images${missing.length ? `; missing: ${missing.join(', ')}` : ''}.`,
  );
}
