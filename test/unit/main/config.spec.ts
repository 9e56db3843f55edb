import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { ConfigError, ENV_SCHEMA, loadConfig } from '../../../src/main/config.js';
import { mergeSections, type EnvVariable } from '../../../src/main/config/env.js';

/** The local profile, as `make run` and the tests set it. */
const L = { APP_ENV: 'local' } as const;

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (e) {
    return (e as ConfigError).problems;
  }
};

describe('configuration', () => {
  it('an empty environment is the production profile, which refuses every development shortcut, one line each', () => {
    expect(problemsOf({})).to.deep.equal([
      'JWT_SECRET: required when APP_ENV=production; development secrets are never generated there (or JWT_SECRET_FILE)',
      'METRICS_TOKEN: required when APP_ENV=production, so /metrics is not public (or METRICS_TOKEN_FILE)',
      'CHAIN_DRIVER: the emulator chain needs CHAIN_EMULATOR_IN_PRODUCTION=true when APP_ENV=production (or CHAIN_DRIVER=blockfrost)',
      'STORAGE_URL_SECRET: required when APP_ENV=production and STORAGE_DRIVER=fs (or STORAGE_URL_SECRET_FILE)',
      'PAYMENT_DRIVER: sandbox is not allowed when APP_ENV=production (use xendit)',
      'PAYMENT_WEBHOOK_TOKEN: required when APP_ENV=production (or PAYMENT_WEBHOOK_TOKEN_FILE)',
      'PLATE_HASH_SECRET: required when APP_ENV=production (or PLATE_HASH_SECRET_FILE)',
    ]);
    expect(problemsOf({ SEED_DEMO: 'true', CORS_ORIGINS: '*' }).join('\n'))
      .to.contain('SEED_DEMO: demo accounts are never seeded when APP_ENV=production')
      .and.to.contain('CORS_ORIGINS: "*" is not allowed');
    expect(
      problemsOf({ APP_ENV: 'local', NODE_ENV: 'production' }).join('\n'),
      'NODE_ENV=production applies the profile too',
    ).to.contain('JWT_SECRET: required when NODE_ENV=production');
    expect(problemsOf({ CHAIN_EMULATOR_IN_PRODUCTION: 'true' }).join('\n')).to.contain(
      'MINT_SIGNING_KEY: required when APP_ENV=production',
    );
  });

  it('a complete production environment starts, with demo seeding off whatever SEED_DEMO=auto says', () => {
    const c = loadConfig({
      JWT_SECRET: 'j'.repeat(40),
      METRICS_TOKEN: 'm'.repeat(20),
      STORAGE_URL_SECRET: 's'.repeat(40),
      PAYMENT_DRIVER: 'xendit',
      XENDIT_SECRET_KEY: 'xnd_' + 'k'.repeat(20),
      PAYMENT_WEBHOOK_TOKEN: 'w'.repeat(20),
      PLATE_HASH_SECRET: 'p'.repeat(40),
      CHAIN_DRIVER: 'blockfrost',
      BLOCKFROST_PROJECT_ID: 'preprodABCDEFGH',
      MINT_SIGNING_KEY: 'ab'.repeat(32),
      CHAIN_NETWORK: 'preprod',
    });
    expect(c).to.include({ appEnv: 'production', production: true, seedDemo: 'false' });
  });

  it('applies documented defaults in the local profile', () => {
    const c = loadConfig({ ...L });
    expect(c).to.include({ appEnv: 'local', production: false, seedDemo: 'auto' });
    expect(c.host).to.equal('127.0.0.1');
    expect(c.port).to.equal(3000);
    expect(c.nodeEnv).to.equal('development');
    expect(c.database.url).to.equal(undefined);
    expect(c.jwt.accessTtlSeconds).to.equal(900);
    expect(c.logLevel).to.equal('http');
    expect(c.http.corsOrigins).to.deep.equal([]);
  });

  it('coerces numbers and parses lists', () => {
    const c = loadConfig({
      ...L,
      PORT: '8080',
      CORS_ORIGINS: 'https://a.example, http://localhost:5173',
      TRUST_PROXY: '1',
    });
    expect(c.port).to.equal(8080);
    expect(c.http.corsOrigins).to.deep.equal(['https://a.example', 'http://localhost:5173']);
    expect(c.http.trustProxy).to.equal(1);
  });

  it('LOKI_URL turns on the direct Loki push (off by default); env falls back to APP_ENV; only http(s)', () => {
    expect(loadConfig({ ...L }).loki).to.equal(undefined);
    expect(
      loadConfig({ ...L, LOKI_URL: 'https://loki.example', LOKI_BASIC_AUTH_FILE: '/run/secrets/l' }).loki,
    ).to.deep.equal({
      url: 'https://loki.example',
      env: 'local',
      tenant: undefined,
      basicAuthFile: '/run/secrets/l',
      batchMs: 1000,
    });
    const c = loadConfig({
      ...L,
      LOKI_URL: 'http://l:3100',
      LOKI_ENV: 'staging',
      LOKI_TENANT: 't',
      LOKI_BATCH_MS: '250',
    });
    expect(c.loki).to.include({ env: 'staging', tenant: 't', batchMs: 250 });
    expect(problemsOf({ ...L, LOKI_URL: 'ftp://l' }).join()).to.contain('LOKI_URL');
  });

  it('lists every bad or missing variable in one error', () => {
    try {
      loadConfig({
        PORT: 'abc',
        LOG_LEVEL: 'loud',
        NODE_ENV: 'production',
        DATABASE_URL: 'mysql://x',
        CORS_ORIGINS: '*',
      });
      expect.fail('should throw');
    } catch (e) {
      expect(e).to.be.instanceOf(ConfigError);
      const msg = (e as ConfigError).message;
      for (const v of ['PORT', 'LOG_LEVEL', 'DATABASE_URL', 'JWT_SECRET', 'CORS_ORIGINS']) expect(msg).to.contain(v);
      expect((e as ConfigError).problems.length).to.be.at.least(5);
      expect(msg, 'secrets are never echoed').to.not.contain('mysql://x');
    }
  });

  it('archive and payment drivers: each needs its secrets, production refuses the sandbox and needs real keys', () => {
    const problems = (env: Record<string, string>) => problemsOf({ ...L, ...env });
    expect(problems({ CHAIN_DRIVER: 'blockfrost' }).join('\n'))
      .to.contain('BLOCKFROST_PROJECT_ID: required')
      .and.to.contain('MINT_SIGNING_KEY: required');
    expect(problems({ PAYMENT_DRIVER: 'xendit' }).join('\n'))
      .to.contain('XENDIT_SECRET_KEY: required')
      .and.to.contain('PAYMENT_WEBHOOK_TOKEN: required');
    const prod = problems({ NODE_ENV: 'production' }).join('\n');
    expect(prod)
      .to.contain('PAYMENT_DRIVER: sandbox is not allowed')
      .and.to.contain('PLATE_HASH_SECRET: required')
      .and.to.contain('PAYMENT_WEBHOOK_TOKEN: required');
    expect(problems({ MINT_SIGNING_KEY: 'not-hex' }).join('\n'))
      .to.contain('MINT_SIGNING_KEY')
      .and.not.to.contain('not-hex');
    const c = loadConfig({
      ...L,
      CHAIN_DRIVER: 'blockfrost',
      BLOCKFROST_PROJECT_ID: 'preprodABCDEFGH',
      MINT_SIGNING_KEY: 'AB'.repeat(32),
      CHAIN_NETWORK: 'preprod',
    });
    expect(c.chain).to.include({ driver: 'blockfrost', network: 'preprod', blockfrostProjectId: 'preprodABCDEFGH' });
    expect(c.mint.signingKey, 'lower-cased').to.equal('ab'.repeat(32));
  });

  it('TRUST_PROXY: true is refused (clients would choose their address); hop counts and address lists are accepted', () => {
    expect(problemsOf({ ...L, TRUST_PROXY: 'true' }).join('\n')).to.contain(
      'TRUST_PROXY: true lets every client choose its address',
    );
    expect(problemsOf({ ...L, TRUST_PROXY: '99' }).join('\n')).to.contain('99 hops is not a realistic proxy chain');
    expect(problemsOf({ ...L, TRUST_PROXY: 'loopback, my proxy' }).join('\n')).to.contain(
      '"my proxy" is not an address',
    );
    expect(loadConfig({ ...L, TRUST_PROXY: '1' }).http.trustProxy).to.equal(1);
    expect(loadConfig({ ...L, TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::1' }).http.trustProxy).to.equal(
      'loopback, 10.0.0.0/8, fd00::1',
    );
    expect(loadConfig({ ...L }).http.trustProxy).to.equal(false);
  });

  it('reads secrets from *_FILE and refuses both forms at once', () => {
    const files: Record<string, string> = { '/run/secrets/jwt': 'x'.repeat(40) + '\n' };
    const c = loadConfig({ ...L, JWT_SECRET_FILE: '/run/secrets/jwt' }, (p) => files[p] as string);
    expect(c.jwt.secret).to.equal('x'.repeat(40));
    expect(() =>
      loadConfig({ ...L, JWT_SECRET_FILE: '/run/secrets/jwt', JWT_SECRET: 'y'.repeat(40) }, (p) => files[p] as string),
    ).to.throw(ConfigError, /both set/);
    expect(() =>
      loadConfig({ ...L, JWT_SECRET_FILE: '/nope' }, () => {
        throw Object.assign(new Error('x'), { code: 'ENOENT' });
      }),
    ).to.throw(ConfigError, /cannot read \/nope \(ENOENT\)/);
  });

  it('every secret variable is read from NAME_FILE, as its description says, and never echoed', () => {
    const props = ENV_SCHEMA.properties as unknown as Record<string, EnvVariable>;
    const secrets = Object.keys(props).filter((name) => props[name]?.secretFile);
    expect(secrets).to.have.length.above(10);
    for (const [name, p] of Object.entries(props))
      expect(p.description.includes(`Secret: ${name}_FILE also accepted.`), name).to.equal(Boolean(p.secretFile));
    const env = Object.fromEntries(
      secrets.flatMap((name) => [
        [name, 'x'],
        [`${name}_FILE`, '/run/secrets/x'],
      ]),
    );
    expect(problemsOf({ ...L, ...env }).filter((p) => p.includes('both set'))).to.deep.equal(
      secrets.map((name) => `${name} and ${name}_FILE are both set; set only one`),
    );
    const files = Object.fromEntries(secrets.map((name) => [`${name}_FILE`, `/run/secrets/${name}`]));
    let problems: string[] = [];
    try {
      loadConfig({ ...L, ...files }, () => 'short\n');
    } catch (e) {
      problems = (e as ConfigError).problems;
    }
    expect(problems.join('\n'), 'the values read fail validation without being shown')
      .to.contain('JWT_SECRET: must NOT have fewer than 32 characters')
      .and.not.to.contain('short');
  });

  it('a variable declared by two sections is refused', () => {
    const v = { type: 'string', description: 'x' } as const;
    expect(Object.keys(mergeSections({ A: v }, { B: v }))).to.deep.equal(['A', 'B']);
    expect(() => mergeSections({ A: v }, { B: v, A: v })).to.throw(/A is declared by two sections/);
  });

  it('every variable is documented in README.md and .env.example', () => {
    const readme = readFileSync('README.md', 'utf8');
    const example = readFileSync('.env.example', 'utf8');
    for (const name of Object.keys(ENV_SCHEMA.properties)) {
      expect(readme, `README.md documents ${name}`).to.match(new RegExp(`\\|\\s*\`${name}\``));
      expect(example, `.env.example lists ${name}`).to.match(new RegExp(`^#?\\s*${name}=`, 'm'));
    }
  });
});
