import { DomainError } from '../shared/domain-error.js';
import { assertSafeKeys, isForbiddenKey } from '../shared/safe-keys.js';

/** Sections of the inspection form; review edits address fields inside them by path. */
export const FORM_SECTIONS = [
  'identityDetails',
  'vehicleData',
  'equipmentChecklist',
  'inspectionSummary',
  'detailedAssessment',
  'bodyPaintThickness',
  'notesFontSizes',
] as const;
export type FormSection = (typeof FORM_SECTIONS)[number];
export type InspectionForm = Record<FormSection, Record<string, unknown>>;

/** Top-level inspection fields a reviewer may change besides the form. */
export const EDITABLE_FIELDS = ['plateNumber', 'inspectionDate', 'overallRating'] as const;

export const MAX_PATH_DEPTH = 3;

export interface ChangeLogEntry {
  id: string;
  inspectionId: string;
  /** Dotted path, at most three levels: "vehicleData.merekKendaraan", "detailedAssessment.testDrive.rem". */
  fieldPath: string;
  oldValue: unknown;
  newValue: unknown;
  changedBy: string;
  createdAt: Date;
}

export type Editable = InspectionForm & { plateNumber: string; inspectionDate: string; overallRating: number | null };

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads own properties only: a path segment never reaches a prototype. */
function getPath(root: Record<string, unknown>, path: string[]): unknown {
  let node: unknown = root;
  for (const seg of path) {
    if (!isPlainObject(node) || !Object.hasOwn(node, seg)) return undefined;
    node = node[seg];
  }
  return node;
}

/** A change-log path is safe to apply when none of its segments can reach a prototype. */
export const isSafeFieldPath = (fieldPath: string): boolean =>
  fieldPath.split('.').every((seg) => seg.length > 0 && !isForbiddenKey(seg));

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The changes a review edit makes: one entry per leaf path (objects are walked down to three levels;
 * anything deeper, and arrays, count as one value) whose new value differs from the current one.
 */
export function diffEdit(
  current: Editable,
  patch: Record<string, unknown>,
): Array<{ fieldPath: string; oldValue: unknown; newValue: unknown }> {
  const out: Array<{ fieldPath: string; oldValue: unknown; newValue: unknown }> = [];
  const walk = (value: unknown, path: string[]) => {
    if (isPlainObject(value) && path.length < MAX_PATH_DEPTH && Object.keys(value).length > 0) {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
      return;
    }
    const old = getPath(current as unknown as Record<string, unknown>, path);
    if (!sameValue(old, value)) out.push({ fieldPath: path.join('.'), oldValue: old ?? null, newValue: value ?? null });
  };
  assertSafeKeys(patch);
  for (const [k, v] of Object.entries(patch)) {
    if (!(FORM_SECTIONS as readonly string[]).includes(k) && !(EDITABLE_FIELDS as readonly string[]).includes(k)) {
      throw new DomainError('INSPECTION.FIELD_NOT_EDITABLE', 'validation', `${k} cannot be edited.`, [
        { path: `/${k}`, message: 'is not editable' },
      ]);
    }
    if ((FORM_SECTIONS as readonly string[]).includes(k) && !isPlainObject(v)) {
      throw new DomainError('VALIDATION.FAILED', 'validation', 'The request is not valid.', [
        { path: `/${k}`, message: 'must be an object' },
      ]);
    }
    walk(v, [k]);
  }
  return out;
}

/** The newest entry for each path (what approval applies). */
export function latestPerPath(entries: ChangeLogEntry[]): ChangeLogEntry[] {
  const latest = new Map<string, ChangeLogEntry>();
  for (const e of [...entries].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()))
    latest.set(e.fieldPath, e);
  return [...latest.values()].sort((a, b) => a.fieldPath.localeCompare(b.fieldPath));
}

/**
 * Applies the latest value of each path to a copy of the editable data. Walks own properties only, and
 * skips an entry whose path could reach a prototype (diffEdit never writes one; a migration neutralised
 * those written before it refused them): such an entry can never change Object.prototype.
 */
export function applyChanges(current: Editable, entries: ChangeLogEntry[]): Editable {
  const next = structuredClone(current) as unknown as Record<string, unknown>;
  for (const e of latestPerPath(entries)) {
    if (!isSafeFieldPath(e.fieldPath)) continue;
    const path = e.fieldPath.split('.');
    let node = next;
    for (const seg of path.slice(0, -1)) {
      if (!Object.hasOwn(node, seg) || !isPlainObject(node[seg]))
        Object.defineProperty(node, seg, { value: {}, enumerable: true, writable: true, configurable: true });
      node = node[seg] as Record<string, unknown>;
    }
    Object.defineProperty(node, path[path.length - 1] as string, {
      value: e.newValue,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return next as unknown as Editable;
}
