/**
 * Configuration section of object storage (filesystem or S3-compatible) and of the photos kept there:
 * upload limits, signed URL lifetime, print renditions and the retry sweep of failed deletions.
 */
import type { EnvSection, Profile } from './env.js';
import type { EnvValues } from './schema.js';

/** The object store driver and its settings. */
export const STORAGE_ENV = {
  STORAGE_DRIVER: {
    type: 'string',
    enum: ['fs', 's3'],
    default: 'fs',
    description:
      'Object storage: fs (files under STORAGE_FS_ROOT, served by signed URLs) or s3 (S3-compatible: Backblaze B2, MinIO).',
  },
  STORAGE_FALLBACK_DRIVER: {
    type: 'string',
    enum: ['fs', 's3'],
    description:
      'The old store during a storage switch (unset: off). Reads of an object the STORAGE_DRIVER store does not have yet fall back to it, deletions reach both, writes go to STORAGE_DRIVER only; must differ from STORAGE_DRIVER. Unset it once storage:migrate-objects is done (docs/runbooks/storage-switch.md).',
  },
  STORAGE_FS_ROOT: {
    type: 'string',
    minLength: 1,
    description: 'Root of the filesystem store; default DATA_DIR/objects.',
  },
  STORAGE_URL_SECRET: {
    type: 'string',
    minLength: 32,
    description:
      'HMAC key of the filesystem store download URLs. Required in production with STORAGE_DRIVER=fs; generated into DATA_DIR/secrets in development. Secret: STORAGE_URL_SECRET_FILE also accepted.',
    secretFile: true,
  },
  S3_ENDPOINT: {
    type: 'string',
    pattern: '^https?://',
    description: 'S3 endpoint URL, e.g. https://s3.us-west-004.backblazeb2.com (required with STORAGE_DRIVER=s3).',
  },
  S3_REGION: {
    type: 'string',
    minLength: 1,
    default: 'us-east-1',
    description: 'S3 region (B2: the region in the endpoint, e.g. us-west-004).',
  },
  S3_BUCKET: { type: 'string', minLength: 3, description: 'Bucket name (required with STORAGE_DRIVER=s3).' },
  S3_ACCESS_KEY_ID: {
    type: 'string',
    minLength: 1,
    description: 'S3 access key id (B2: keyID). Secret: S3_ACCESS_KEY_ID_FILE also accepted.',
    secretFile: true,
  },
  S3_SECRET_ACCESS_KEY: {
    type: 'string',
    minLength: 1,
    description: 'S3 secret key (B2: applicationKey). Secret: S3_SECRET_ACCESS_KEY_FILE also accepted.',
    secretFile: true,
  },
  S3_PUBLIC_BASE_URL: {
    type: 'string',
    pattern: '^https?://',
    description: 'Optional origin presigned URLs are rewritten to (a CDN or proxy in front of the bucket).',
  },
  STORAGE_MULTIPART_THRESHOLD_MB: {
    type: 'integer',
    minimum: 5,
    default: 100,
    description: 'Objects at least this large are uploaded in parts (S3 driver).',
  },
  STORAGE_MULTIPART_PART_SIZE_MB: {
    type: 'integer',
    minimum: 5,
    maximum: 5120,
    default: 50,
    description: 'Part size of multipart uploads (minimum 5).',
  },
  STORAGE_MULTIPART_CONCURRENCY: {
    type: 'integer',
    minimum: 1,
    maximum: 16,
    default: 3,
    description: 'Parts uploaded at once.',
  },
} as const satisfies EnvSection;

/** Photo limits and renditions; DELETION_SWEEP_SECONDS is Config.storage.deletionSweepSeconds. */
export const PHOTOS_ENV = {
  PHOTO_MAX_MB: {
    type: 'integer',
    minimum: 1,
    maximum: 100,
    default: 15,
    description: 'Largest accepted photo file.',
  },
  PHOTO_MAX_PIXELS: {
    type: 'integer',
    minimum: 1000,
    maximum: 1000000000,
    default: 50000000,
    description:
      'Largest accepted photo in pixels (width x height; 50 MP by default). Every upload is decoded before it is accepted; more pixels (a decompression bomb) is 422 PHOTO.TOO_MANY_PIXELS.',
  },
  PHOTO_URL_TTL_SECONDS: {
    type: 'integer',
    minimum: 30,
    maximum: 604800,
    default: 900,
    description: 'Lifetime of the signed photo URLs in responses.',
  },
  DELETION_SWEEP_SECONDS: {
    type: 'integer',
    minimum: 1,
    default: 60,
    description:
      'How often failed object deletions and IPFS pin checks (unpin a withdrawn report, pin a re-activated one) are retried.',
  },
  PHOTO_RENDITION_MAX_PX: {
    type: 'integer',
    minimum: 300,
    maximum: 4000,
    default: 800,
    description:
      'Long side of the print renditions reports embed (800 px is ~320 dpi at the 63 mm a photo is printed; 1200 px made sample reports about three times larger).',
  },
  PHOTO_RENDITION_QUALITY: {
    type: 'integer',
    minimum: 30,
    maximum: 95,
    default: 75,
    description: 'JPEG quality of the print renditions.',
  },
} as const satisfies EnvSection;

/** The storage part of Config. */
export interface StorageConfig {
  storage: {
    driver: 'fs' | 's3';
    /** The old store reads fall back to during a switch (STORAGE_FALLBACK_DRIVER); undefined when off. */
    fallbackDriver: 'fs' | 's3' | undefined;
    fsRoot: string;
    urlSecret: string | undefined;
    s3: {
      endpoint?: string;
      region: string;
      bucket?: string;
      accessKeyId?: string;
      secretAccessKey?: string;
      publicBaseUrl?: string;
    };
    multipartThresholdMB: number;
    partSizeMB: number;
    partConcurrency: number;
    deletionSweepSeconds: number;
  };
  photos: {
    maxBytes: number;
    maxPixels: number;
    urlTtlSeconds: number;
    rendition: { maxSide: number; quality: number };
  };
}

/** Maps the validated environment into Config.storage and Config.photos. */
export function storageConfig(env: EnvValues): StorageConfig {
  return {
    storage: {
      driver: env.STORAGE_DRIVER,
      fallbackDriver: env.STORAGE_FALLBACK_DRIVER,
      fsRoot: env.STORAGE_FS_ROOT ?? `${env.DATA_DIR}/objects`,
      urlSecret: env.STORAGE_URL_SECRET,
      s3: {
        endpoint: env.S3_ENDPOINT,
        region: env.S3_REGION,
        bucket: env.S3_BUCKET,
        accessKeyId: env.S3_ACCESS_KEY_ID,
        secretAccessKey: env.S3_SECRET_ACCESS_KEY,
        publicBaseUrl: env.S3_PUBLIC_BASE_URL,
      },
      multipartThresholdMB: env.STORAGE_MULTIPART_THRESHOLD_MB,
      partSizeMB: env.STORAGE_MULTIPART_PART_SIZE_MB,
      partConcurrency: env.STORAGE_MULTIPART_CONCURRENCY,
      deletionSweepSeconds: env.DELETION_SWEEP_SECONDS,
    },
    photos: {
      maxBytes: env.PHOTO_MAX_MB * 1024 * 1024,
      maxPixels: env.PHOTO_MAX_PIXELS,
      urlTtlSeconds: env.PHOTO_URL_TTL_SECONDS,
      rendition: { maxSide: env.PHOTO_RENDITION_MAX_PX, quality: env.PHOTO_RENDITION_QUALITY },
    },
  };
}

/**
 * S3 needs its endpoint, bucket and keys, and the filesystem store a real URL secret in production, whether
 * each is STORAGE_DRIVER or STORAGE_FALLBACK_DRIVER; the fallback must be the other store.
 */
export function storageRules(env: EnvValues, profile: Profile): string[] {
  const fallback = env.STORAGE_FALLBACK_DRIVER;
  if (fallback !== undefined && fallback === env.STORAGE_DRIVER)
    return [
      `STORAGE_FALLBACK_DRIVER: must differ from STORAGE_DRIVER (both ${fallback}); unset it when no storage switch is under way`,
    ];
  const uses = (driver: string) => env.STORAGE_DRIVER === driver || fallback === driver;
  const via = (driver: string) => (env.STORAGE_DRIVER === driver ? 'STORAGE_DRIVER' : 'STORAGE_FALLBACK_DRIVER');
  const problems: string[] = [];
  if (uses('s3'))
    problems.push(
      ...(['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const)
        .filter((v) => !env[v])
        .map((v) => `${v}: required when ${via('s3')}=s3`),
    );
  if (uses('fs') && profile.production && !env.STORAGE_URL_SECRET)
    problems.push(`STORAGE_URL_SECRET: required when ${profile.name} and ${via('fs')}=fs (or STORAGE_URL_SECRET_FILE)`);
  return problems;
}
