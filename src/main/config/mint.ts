/**
 * Configuration section of minting (archiving an inspection as an NFT): the wallet key, confirmation
 * watching, parallelism, retries and the plate hash in the metadata.
 */
import type { EnvSection, Profile } from './env.js';
import type { EnvValues } from './schema.js';

/** The minting wallet, the mint jobs and automatic archiving. */
export const MINT_ENV = {
  MINT_SIGNING_KEY: {
    type: 'string',
    pattern: '^[0-9a-fA-F]{64}$',
    description:
      'Minting wallet and policy key: a 32-byte ed25519 seed as 64 hex digits (the part after "5820" of a cardano-cli signing key cborHex). Required with CHAIN_DRIVER=blockfrost; generated into DATA_DIR/secrets for the emulator. Never logged. Secret: MINT_SIGNING_KEY_FILE also accepted.',
    secretFile: true,
  },
  MINT_CONFIRMATIONS: {
    type: 'integer',
    minimum: 1,
    maximum: 100,
    default: 3,
    description: 'Blocks a mint needs on top before it counts as CONFIRMED (the inspection becomes ARCHIVED).',
  },
  MINT_CONFIRM_TIMEOUT_MS: {
    type: 'integer',
    minimum: 1000,
    default: 300000,
    description: 'A submitted mint not seen on chain (nor in the mempool) after this long is rebuilt.',
  },
  MINT_POLL_MS: {
    type: 'integer',
    minimum: 50,
    default: 2000,
    description: 'How often the confirmation watcher polls submitted mints.',
  },
  MINT_STUCK_ALERT_MINUTES: {
    type: 'integer',
    minimum: 1,
    default: 10,
    description: 'Alert when a mint stays SUBMITTED longer than this.',
  },
  MINT_CONCURRENCY: {
    type: 'integer',
    minimum: 1,
    maximum: 64,
    default: 8,
    description: 'Mint jobs built and submitted in parallel per worker (each leases its own UTxO).',
  },
  MINT_JOB_RETRY_LIMIT: {
    type: 'integer',
    minimum: 0,
    maximum: 20,
    default: 5,
    description: 'Retries of a mint job after a retryable error (busy inputs, provider down) before it fails.',
  },
  MINT_JOB_RETRY_DELAY_SECONDS: {
    type: 'integer',
    minimum: 1,
    default: 5,
    description: 'First retry delay of a mint job (exponential backoff with jitter).',
  },
  UTXO_LEASE_SECONDS: {
    type: 'integer',
    minimum: 30,
    default: 900,
    description:
      'How long a mint holds its wallet inputs before another may take them (a crashed worker does not hold them forever).',
  },
  ARCHIVE_AUTO: {
    type: 'string',
    enum: ['true', 'false'],
    default: 'true',
    description: 'Archive (mint) automatically when the report job of an approved inspection is done.',
  },
  PLATE_HASH_SECRET: {
    type: 'string',
    minLength: 32,
    description:
      'HMAC key for the plate hash in NFT metadata (>= 32 chars). Required in production; generated into DATA_DIR/secrets otherwise. Secret: PLATE_HASH_SECRET_FILE also accepted.',
    secretFile: true,
  },
} as const satisfies EnvSection;

/** The minting part of Config. */
export interface MintConfig {
  mint: {
    signingKey: string | undefined;
    confirmations: number;
    confirmTimeoutMs: number;
    pollMs: number;
    stuckAlertMs: number;
    concurrency: number;
    retryLimit: number;
    retryDelaySeconds: number;
    leaseSeconds: number;
    autoArchive: boolean;
    plateHashSecret: string | undefined;
  };
}

/** Maps the validated environment into Config.mint (the signing key lower-cased). */
export function mintConfig(env: EnvValues): MintConfig {
  return {
    mint: {
      signingKey: env.MINT_SIGNING_KEY?.toLowerCase(),
      confirmations: env.MINT_CONFIRMATIONS,
      confirmTimeoutMs: env.MINT_CONFIRM_TIMEOUT_MS,
      pollMs: env.MINT_POLL_MS,
      stuckAlertMs: env.MINT_STUCK_ALERT_MINUTES * 60_000,
      concurrency: env.MINT_CONCURRENCY,
      retryLimit: env.MINT_JOB_RETRY_LIMIT,
      retryDelaySeconds: env.MINT_JOB_RETRY_DELAY_SECONDS,
      leaseSeconds: env.UTXO_LEASE_SECONDS,
      autoArchive: env.ARCHIVE_AUTO === 'true',
      plateHashSecret: env.PLATE_HASH_SECRET,
    },
  };
}

/** Production never hashes plates with a generated secret. (The wallet key rules are in chain.ts.) */
export function mintRules(env: EnvValues, profile: Profile): string[] {
  if (profile.production && !env.PLATE_HASH_SECRET)
    return [`PLATE_HASH_SECRET: required when ${profile.name} (or PLATE_HASH_SECRET_FILE)`];
  return [];
}
