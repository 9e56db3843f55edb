/**
 * Configuration section of the IPFS adapter: the embedded node or a Kubo daemon, and the stage budgets
 * of publishing a report (IPFS add, object store upload).
 */
import type { EnvSection } from './env.js';
import type { EnvValues } from './schema.js';

/** The IPFS driver and its budget; REPORT_UPLOAD_TIMEOUT_MS is Config.reports.uploadTimeoutMs. */
export const IPFS_ENV = {
  IPFS_DRIVER: {
    type: 'string',
    enum: ['embedded', 'kubo'],
    default: 'embedded',
    description:
      'IPFS: embedded (in-process, blocks under DATA_DIR/ipfs, served at /ipfs/{cid}) or kubo (KUBO_RPC_URL).',
  },
  IPFS_CID_VERSION: {
    type: 'integer',
    enum: [0, 1],
    default: 1,
    description: 'CID version of added reports, as ipfs add --cid-version.',
  },
  KUBO_RPC_URL: {
    type: 'string',
    pattern: '^https?://',
    description: 'Kubo RPC API (required with IPFS_DRIVER=kubo), e.g. http://127.0.0.1:5001.',
  },
  IPFS_TIMEOUT_MS: {
    type: 'integer',
    minimum: 1000,
    default: 60000,
    description: 'Budget of one IPFS call (the IPFS stage timeout).',
  },
  REPORT_UPLOAD_TIMEOUT_MS: {
    type: 'integer',
    minimum: 1000,
    default: 120000,
    description: 'Budget of uploading one report PDF to object storage (the STORE stage timeout).',
  },
} as const satisfies EnvSection;

/** The IPFS part of Config. */
export interface IpfsConfig {
  ipfs: { driver: 'embedded' | 'kubo'; cidVersion: 0 | 1; kuboUrl?: string; timeoutMs: number };
}

/** Maps the validated environment into Config.ipfs. */
export function ipfsConfig(env: EnvValues): IpfsConfig {
  return {
    ipfs: {
      driver: env.IPFS_DRIVER,
      cidVersion: env.IPFS_CID_VERSION,
      kuboUrl: env.KUBO_RPC_URL,
      timeoutMs: env.IPFS_TIMEOUT_MS,
    },
  };
}

/** The Kubo driver needs its RPC URL. */
export function ipfsRules(env: EnvValues): string[] {
  return env.IPFS_DRIVER === 'kubo' && !env.KUBO_RPC_URL ? ['KUBO_RPC_URL: required when IPFS_DRIVER=kubo'] : [];
}
