/**
 * Configuration section of authentication: the access tokens (JWT), login sessions and password hashing
 * (argon2id).
 */
import type { EnvSection, Profile } from './env.js';
import type { EnvValues } from './schema.js';

/** Access tokens, sessions and password hashing. */
export const SECURITY_ENV = {
  JWT_SECRET: {
    type: 'string',
    minLength: 32,
    description:
      'HMAC key of access tokens (>= 32 chars). Required in production; in development one is generated into DATA_DIR/secrets. Secret: JWT_SECRET_FILE also accepted.',
    secretFile: true,
  },
  JWT_ISSUER: { type: 'string', minLength: 1, default: 'car-dano', description: 'iss claim of access tokens.' },
  JWT_AUDIENCE: { type: 'string', minLength: 1, default: 'car-dano-api', description: 'aud claim of access tokens.' },
  ACCESS_TOKEN_TTL_SECONDS: {
    type: 'integer',
    minimum: 60,
    maximum: 86400,
    default: 900,
    description: 'Lifetime of an access token.',
  },
  REFRESH_TOKEN_TTL_DAYS: {
    type: 'integer',
    minimum: 1,
    maximum: 365,
    default: 30,
    description: 'Lifetime of a login session (its refresh tokens).',
  },
  ARGON2_MEMORY_KIB: {
    type: 'integer',
    minimum: 1024,
    default: 19456,
    description: 'argon2id memory cost per hash, KiB.',
  },
  ARGON2_TIME_COST: { type: 'integer', minimum: 1, maximum: 10, default: 2, description: 'argon2id iterations.' },
  ARGON2_PARALLELISM: { type: 'integer', minimum: 1, maximum: 8, default: 1, description: 'argon2id lanes.' },
} as const satisfies EnvSection;

/** The authentication part of Config. */
export interface SecurityConfig {
  jwt: {
    secret: string | undefined;
    issuer: string;
    audience: string;
    accessTtlSeconds: number;
    refreshTtlDays: number;
  };
  argon2: { memoryCost: number; timeCost: number; parallelism: number };
}

/** Maps the validated environment into Config.jwt and Config.argon2. */
export function securityConfig(env: EnvValues): SecurityConfig {
  return {
    jwt: {
      secret: env.JWT_SECRET,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      accessTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlDays: env.REFRESH_TOKEN_TTL_DAYS,
    },
    argon2: { memoryCost: env.ARGON2_MEMORY_KIB, timeCost: env.ARGON2_TIME_COST, parallelism: env.ARGON2_PARALLELISM },
  };
}

/** Production never runs on a generated JWT secret. */
export function securityRules(env: EnvValues, profile: Profile): string[] {
  if (profile.production && !env.JWT_SECRET)
    return [
      `JWT_SECRET: required when ${profile.name}; development secrets are never generated there (or JWT_SECRET_FILE)`,
    ];
  return [];
}
