import type { Logger } from '../adapters/observability/logger.js';
import { FsObjectStorage } from '../adapters/storage/fs-object-storage.js';
import { S3ObjectStorage } from '../adapters/storage/s3-object-storage.js';
import { UrlSigner } from '../adapters/storage/url-signer.js';
import type { Config } from './config.js';

export function createUrlSigner(config: Config): UrlSigner {
  if (!config.storage.urlSecret)
    throw new Error('STORAGE_URL_SECRET missing (the server generates one in development)');
  return new UrlSigner(config.storage.urlSecret);
}

export function createFsStorage(config: Config, signer: UrlSigner): FsObjectStorage {
  return new FsObjectStorage({
    root: config.storage.fsRoot,
    baseUrl: config.publicBaseUrl ?? `http://${config.host}:${config.port}`,
    signer,
  });
}

/** The S3-compatible store of the S3_* variables (also used by the migration CLI while STORAGE_DRIVER=fs). */
export function createS3Storage(config: Config, logger: Logger): S3ObjectStorage {
  const s3 = config.storage.s3;
  const missing = (['endpoint', 'bucket', 'accessKeyId', 'secretAccessKey'] as const).filter((k) => !s3[k]);
  if (missing.length > 0)
    throw new Error(
      `S3 storage needs S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY (missing: ${missing.join(', ')})`,
    );
  const endpoint = new URL(s3.endpoint as string);
  return new S3ObjectStorage({
    endPoint: endpoint.hostname,
    port: endpoint.port ? Number(endpoint.port) : undefined,
    useSSL: endpoint.protocol === 'https:',
    region: s3.region,
    bucket: s3.bucket as string,
    accessKey: s3.accessKeyId as string,
    secretKey: s3.secretAccessKey as string,
    publicBaseUrl: s3.publicBaseUrl,
    multipartThresholdMB: config.storage.multipartThresholdMB,
    partSizeMB: config.storage.partSizeMB,
    partConcurrency: config.storage.partConcurrency,
    logger: logger.child({ component: 's3-storage' }),
  });
}
