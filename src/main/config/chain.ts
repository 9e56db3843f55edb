/**
 * Configuration section of the Cardano adapter: the in-process emulator or Blockfrost, the network, and
 * the budget of one chain call.
 */
import type { EnvSection, Profile } from './env.js';
import type { EnvValues } from './schema.js';

/** The chain driver, its network and the emulator's ledger. */
export const CHAIN_ENV = {
  CHAIN_EMULATOR_IN_PRODUCTION: {
    type: 'string',
    enum: ['true', 'false'],
    default: 'false',
    description:
      'Allow the emulator chain under APP_ENV=production (a staging box without Cardano); its NFTs exist nowhere else.',
  },
  CHAIN_DRIVER: {
    type: 'string',
    enum: ['emulator', 'blockfrost'],
    default: 'emulator',
    description:
      'Cardano: emulator (in-process ledger kept under DATA_DIR/chain) or blockfrost (BLOCKFROST_PROJECT_ID, CHAIN_NETWORK).',
  },
  CHAIN_NETWORK: {
    type: 'string',
    enum: ['preview', 'preprod', 'mainnet'],
    default: 'preview',
    description: 'Cardano network of the Blockfrost driver (the emulator always uses testnet addresses).',
  },
  BLOCKFROST_PROJECT_ID: {
    type: 'string',
    minLength: 8,
    description:
      'Blockfrost project id (required with CHAIN_DRIVER=blockfrost). Secret: BLOCKFROST_PROJECT_ID_FILE also accepted.',
    secretFile: true,
  },
  BLOCKFROST_URL: {
    type: 'string',
    pattern: '^https?://',
    description: 'Blockfrost API base URL; default https://cardano-<network>.blockfrost.io/api/v0.',
  },
  CHAIN_EMULATOR_BLOCK_MS: {
    type: 'integer',
    minimum: 50,
    default: 2000,
    description: 'Emulator: one block every this many ms.',
  },
  CHAIN_EMULATOR_UTXOS: {
    type: 'integer',
    minimum: 1,
    maximum: 1000,
    default: 60,
    description:
      'Emulator: how many UTxOs fund the minting wallet at genesis (first start only); parallel mints need distinct ones.',
  },
  CHAIN_EMULATOR_UTXO_ADA: {
    type: 'integer',
    minimum: 5,
    default: 100,
    description: 'Emulator: ADA in each genesis UTxO.',
  },
  CHAIN_SUBMIT_TIMEOUT_MS: {
    type: 'integer',
    minimum: 1000,
    default: 60000,
    description: 'Budget of one chain call while minting (the chain submit stage timeout).',
  },
} as const satisfies EnvSection;

/** The chain part of Config. */
export interface ChainConfig {
  chain: {
    driver: 'emulator' | 'blockfrost';
    network: 'preview' | 'preprod' | 'mainnet';
    blockfrostProjectId?: string;
    blockfrostUrl?: string;
    emulator: { blockMs: number; utxos: number; lovelacePerUtxo: bigint };
    timeoutMs: number;
    /** Public verification answers that asked the chain, reused per hash (0: never). */
    verifyCacheSeconds: number;
  };
}

/**
 * Maps the validated environment into Config.chain. VERIFY_CACHE_SECONDS is documented with the rate
 * limits (http.ts).
 */
export function chainConfig(env: EnvValues): ChainConfig {
  return {
    chain: {
      driver: env.CHAIN_DRIVER,
      network: env.CHAIN_NETWORK,
      blockfrostProjectId: env.BLOCKFROST_PROJECT_ID,
      blockfrostUrl: env.BLOCKFROST_URL,
      emulator: {
        blockMs: env.CHAIN_EMULATOR_BLOCK_MS,
        utxos: env.CHAIN_EMULATOR_UTXOS,
        lovelacePerUtxo: BigInt(env.CHAIN_EMULATOR_UTXO_ADA) * 1_000_000n,
      },
      timeoutMs: env.CHAIN_SUBMIT_TIMEOUT_MS,
      verifyCacheSeconds: env.VERIFY_CACHE_SECONDS,
    },
  };
}

/**
 * The emulator runs in production only when asked to, and then on a given wallet key (MINT_SIGNING_KEY,
 * mint.ts); Blockfrost needs its project id and the wallet key.
 */
export function chainRules(env: EnvValues, profile: Profile): string[] {
  const problems: string[] = [];
  const emulator = (env.CHAIN_DRIVER ?? 'emulator') === 'emulator';
  if (profile.production && emulator && env.CHAIN_EMULATOR_IN_PRODUCTION !== 'true')
    problems.push(
      `CHAIN_DRIVER: the emulator chain needs CHAIN_EMULATOR_IN_PRODUCTION=true when ${profile.name} (or CHAIN_DRIVER=blockfrost)`,
    );
  else if (profile.production && emulator && !env.MINT_SIGNING_KEY)
    problems.push(
      `MINT_SIGNING_KEY: required when ${profile.name}; no wallet key is generated there (or MINT_SIGNING_KEY_FILE)`,
    );
  if (env.CHAIN_DRIVER === 'blockfrost') {
    if (!env.BLOCKFROST_PROJECT_ID)
      problems.push('BLOCKFROST_PROJECT_ID: required when CHAIN_DRIVER=blockfrost (or BLOCKFROST_PROJECT_ID_FILE)');
    if (!env.MINT_SIGNING_KEY)
      problems.push('MINT_SIGNING_KEY: required when CHAIN_DRIVER=blockfrost (or MINT_SIGNING_KEY_FILE)');
  }
  return problems;
}
