import { DomainError } from '../shared/domain-error.js';

/** A calendar date without time zone, "YYYY-MM-DD". */
export type IsoDate = string;

export function isIsoDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/**
 * Human id of an inspection: `{BRANCHCODE}-{ddMMyyyy}-{NNN}`, e.g. YOG-01052025-001. The number is the
 * per-(branch, inspection date) sequence, three digits, widening past 999 (YOG-01052025-1000).
 */
export function formatPrettyId(branchCode: string, inspectionDate: IsoDate, sequence: number): string {
  if (!/^[A-Z]{3}$/.test(branchCode))
    throw new DomainError('INSPECTION.BAD_BRANCH_CODE', 'validation', `Bad branch code ${branchCode}.`);
  if (!isIsoDate(inspectionDate))
    throw new DomainError('INSPECTION.BAD_DATE', 'validation', `Bad inspection date ${inspectionDate}.`);
  if (!Number.isInteger(sequence) || sequence < 1)
    throw new DomainError('INSPECTION.BAD_SEQUENCE', 'validation', `Bad sequence ${sequence}.`);
  const [y, m, d] = inspectionDate.split('-');
  return `${branchCode}-${d}${m}${y}-${String(sequence).padStart(3, '0')}`;
}

export function parsePrettyId(id: string): { branchCode: string; inspectionDate: IsoDate; sequence: number } | null {
  const m = /^([A-Z]{3})-(\d{2})(\d{2})(\d{4})-(\d{3,})$/.exec(id);
  if (!m) return null;
  const date = `${m[4]}-${m[3]}-${m[2]}`;
  return isIsoDate(date) ? { branchCode: m[1] as string, inspectionDate: date, sequence: Number(m[5]) } : null;
}

/** Today's date in a time zone (inspections are dated where they happen; default Asia/Jakarta). */
export function dateInZone(now: Date, timeZone: string): IsoDate {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}
