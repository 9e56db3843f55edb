import { isValidObjectKey } from '../../domain/storage/storage-errors.js';

/** What an entry of an object manifest is: an object of one of the rows that reference objects. */
export const MANIFEST_KINDS = [
  'inspection-photo',
  'rendition',
  'vehicle-photo',
  'request-photo',
  'report-pdf',
] as const;
export type ManifestKind = (typeof MANIFEST_KINDS)[number];

/**
 * One stored object the database references. `id` is its row's id (a rendition: its photo's; a report PDF:
 * `<inspectionId>/<variant>`). `size`/`sha256` are null only where neither the database nor the manifest
 * writer knows them (a rendition made before its hash was kept, on a store that was not reachable).
 */
export interface ManifestEntry {
  kind: ManifestKind;
  id: string;
  driver: string;
  key: string;
  size: number | null;
  sha256: string | null;
  contentType: string;
}

export const MANIFEST_NAME = 'car-dano-objects';
export const MANIFEST_VERSION = 1;

/** The first line of a manifest file. `counts`: entries per kind in the file. */
export interface ManifestHeader {
  manifest: typeof MANIFEST_NAME;
  version: typeof MANIFEST_VERSION;
  createdAt: string;
  counts: Partial<Record<ManifestKind, number>>;
}

/**
 * Longest line a reader accepts, in bytes: an entry is at most ~700 (a key is at most 512), so anything
 * longer is not a manifest line and is refused before it is parsed.
 */
export const MAX_MANIFEST_LINE = 4096;

/** A manifest file that is not one (or not one this version reads); the message names the line. */
export class ManifestFormatError extends Error {}

const ENTRY_FIELDS = ['kind', 'id', 'driver', 'key', 'size', 'sha256', 'contentType'];
const SHA256 = /^[0-9a-f]{64}$/;
const ID = /^[A-Za-z0-9._-]{1,100}(\/[A-Za-z0-9._-]{1,100})?$/;
const DRIVER = /^[a-z0-9]{1,16}$/;
const CONTENT_TYPE = /^[A-Za-z0-9!#$&^_.+-]{1,64}\/[A-Za-z0-9!#$&^_.+-]{1,64}$/;

function parseObject(line: string, where: string): Record<string, unknown> {
  if (line.length > MAX_MANIFEST_LINE) throw new ManifestFormatError(`${where}: longer than ${MAX_MANIFEST_LINE}`);
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    throw new ManifestFormatError(`${where}: not JSON`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new ManifestFormatError(`${where}: not a JSON object`);
  return v as Record<string, unknown>;
}

/** The header (first line); refuses anything but a car-dano-objects manifest of a version this code reads. */
export function parseManifestHeader(line: string): ManifestHeader {
  const h = parseObject(line, 'line 1 (header)');
  if (h.manifest !== MANIFEST_NAME)
    throw new ManifestFormatError(`line 1: not a ${MANIFEST_NAME} manifest (no "manifest":"${MANIFEST_NAME}" header)`);
  if (h.version !== MANIFEST_VERSION)
    throw new ManifestFormatError(
      `line 1: manifest version ${JSON.stringify(h.version)} is not supported (this version reads ${MANIFEST_VERSION})`,
    );
  if (typeof h.createdAt !== 'string' || Number.isNaN(Date.parse(h.createdAt)))
    throw new ManifestFormatError('line 1: createdAt is not a date');
  const counts = h.counts;
  if (
    typeof counts !== 'object' ||
    counts === null ||
    Object.entries(counts).some(
      ([k, n]) => !(MANIFEST_KINDS as readonly string[]).includes(k) || !Number.isSafeInteger(n) || (n as number) < 0,
    )
  )
    throw new ManifestFormatError('line 1: counts must map kinds to non-negative integers');
  return {
    manifest: MANIFEST_NAME,
    version: MANIFEST_VERSION,
    createdAt: h.createdAt,
    counts: counts as ManifestHeader['counts'],
  };
}

/** Why a field is wrong, or null when it is right. */
const FIELD_CHECKS: Record<string, (v: unknown) => string | null> = {
  kind: (v) =>
    (MANIFEST_KINDS as readonly unknown[]).includes(v) ? null : `is not one of ${MANIFEST_KINDS.join(', ')}`,
  id: (v) => (typeof v === 'string' && ID.test(v) ? null : 'is not a row id'),
  driver: (v) => (typeof v === 'string' && DRIVER.test(v) ? null : 'is not a storage driver name'),
  key: (v) => (typeof v === 'string' && isValidObjectKey(v) ? null : 'is not a valid object key'),
  size: (v) => (v === null || (Number.isSafeInteger(v) && (v as number) >= 0) ? null : 'is not a byte count'),
  sha256: (v) => (v === null || (typeof v === 'string' && SHA256.test(v)) ? null : 'is not a lowercase hex SHA-256'),
  contentType: (v) => (typeof v === 'string' && CONTENT_TYPE.test(v) ? null : 'is not a media type'),
};

/** One entry line (`lineNo` for the message); every field is checked, unknown fields are refused. */
export function parseManifestEntry(line: string, lineNo: number): ManifestEntry {
  const where = `line ${lineNo}`;
  const o = parseObject(line, where);
  const extra = Object.keys(o).find((k) => !ENTRY_FIELDS.includes(k));
  if (extra !== undefined) throw new ManifestFormatError(`${where}: unknown field ${JSON.stringify(extra)}`);
  for (const f of ENTRY_FIELDS) {
    if (!(f in o)) throw new ManifestFormatError(`${where}: ${f} is missing`);
    const wrong = FIELD_CHECKS[f]?.(o[f]);
    if (wrong) throw new ManifestFormatError(`${where}: ${f} ${wrong}`);
  }
  return o as unknown as ManifestEntry;
}

/** The line of an entry (fields in a fixed order, so equal manifests are equal files). */
export const formatManifestEntry = (e: ManifestEntry): string =>
  JSON.stringify({
    kind: e.kind,
    id: e.id,
    driver: e.driver,
    key: e.key,
    size: e.size,
    sha256: e.sha256,
    contentType: e.contentType,
  });
