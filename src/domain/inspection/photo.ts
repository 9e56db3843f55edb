import { DomainError } from '../shared/domain-error.js';

export const PHOTO_CATEGORIES = [
  'GENERAL',
  'EXTERIOR',
  'INTERIOR',
  'ENGINE',
  'UNDERCARRIAGE',
  'TIRES',
  'DOCUMENT',
  'DAMAGE',
  'OTHER',
] as const;
export type PhotoCategory = (typeof PHOTO_CATEGORIES)[number];

export interface InspectionPhoto {
  id: string;
  inspectionId: string;
  storageKey: string;
  storageDriver: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  label: string;
  category: PhotoCategory;
  isMandatory: boolean;
  needAttention: boolean;
  displayInPdf: boolean;
  /** Registration / ownership document: never public, left out of the no-docs report. */
  isDocument: boolean;
  sortOrder: number;
  originalName: string | null;
  /** The print rendition (JPEG, long side PHOTO_RENDITION_MAX_PX) reports embed; null until made. */
  renditionKey: string | null;
  renditionSizeBytes: number | null;
  /** Null for renditions made before it was recorded (the first object manifest hashes them). */
  renditionSha256: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export type PhotoMetadata = Pick<
  InspectionPhoto,
  'label' | 'category' | 'isMandatory' | 'needAttention' | 'displayInPdf' | 'isDocument'
>;

export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp';

/** The image type by magic bytes (never by file name or the client's Content-Type). */
export function sniffImageType(head: Uint8Array): ImageType | null {
  const b = (i: number) => head[i];
  if (head.length >= 3 && b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return 'image/jpeg';
  if (head.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b(i) === v))
    return 'image/png';
  if (
    head.length >= 12 &&
    String.fromCharCode(...head.slice(0, 4)) === 'RIFF' &&
    String.fromCharCode(...head.slice(8, 12)) === 'WEBP'
  )
    return 'image/webp';
  return null;
}

export const EXTENSION_OF: Record<ImageType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
};

/** Object key of a photo: inspections/{inspectionId}/photos/{uuid}.{ext}. */
export const photoKey = (inspectionId: string, photoId: string, type: ImageType): string =>
  `inspections/${inspectionId}/photos/${photoId}.${EXTENSION_OF[type]}`;

/** The print rendition lives beside its original: ...photos/{file}.print.jpg. */
export const renditionKeyOf = (storageKey: string): string => `${storageKey.replace(/\.[a-z]+$/, '')}.print.jpg`;

/** Every stored object of a photo (original and, when made, its rendition). */
export const objectsOf = (
  p: Pick<InspectionPhoto, 'storageDriver' | 'storageKey' | 'renditionKey'>,
): Array<{ driver: string; key: string }> =>
  [p.storageKey, p.renditionKey].filter((k): k is string => !!k).map((key) => ({ driver: p.storageDriver, key }));

/**
 * Errors of every photo upload (inspection, vehicle and request photos alike), naming the multipart field.
 * Size, type and decoding errors are InspectionErrors.photoTooLarge / unsupportedPhoto and the image
 * processor's PHOTO.UNREADABLE / PHOTO.TOO_MANY_PIXELS.
 */
export const PhotoErrors = {
  orderMismatch: () =>
    new DomainError(
      'PHOTO.ORDER_MISMATCH',
      'validation',
      'The order must list every photo of the inspection exactly once.',
      [{ path: '/photoIds', message: 'must be a permutation of the inspection photo ids' }],
    ),
  noFile: (field: string, what = 'Attach at least one photo.') =>
    new DomainError('PHOTO.NO_FILE', 'validation', what, [{ path: `/body/${field}`, message: 'is required' }]),
  tooMany: (max: number, field: string, already = 0) =>
    new DomainError(
      'PHOTO.TOO_MANY',
      'validation',
      already > 0 ? `At most ${max} photos; ${already} are there already.` : `At most ${max} photos at once.`,
      [
        {
          path: `/body/${field}`,
          message: already > 0 ? `at most ${Math.max(0, max - already)} more` : `at most ${max} files`,
        },
      ],
    ),
};
