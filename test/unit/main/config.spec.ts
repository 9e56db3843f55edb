import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { ConfigError, ENV_SCHEMA, loadConfig } from '../../../src/main/config.js';

describe('configuration', () => {
  it('applies documented defaults when the environment is empty', () => {
    const c = loadConfig({});
    expect(c.host).to.equal('127.0.0.1');
    expect(c.port).to.equal(3000);
    expect(c.nodeEnv).to.equal('development');
    expect(c.database.url).to.equal(undefined);
    expect(c.jwt.accessTtlSeconds).to.equal(900);
    expect(c.logLevel).to.equal('http');
    expect(c.http.corsOrigins).to.deep.equal([]);
  });

  it('coerces numbers and parses lists', () => {
    const c = loadConfig({ PORT: '8080', CORS_ORIGINS: 'https://a.example, http://localhost:5173', TRUST_PROXY: '1' });
    expect(c.port).to.equal(8080);
    expect(c.http.corsOrigins).to.deep.equal(['https://a.example', 'http://localhost:5173']);
    expect(c.http.trustProxy).to.equal(1);
  });

  it('lists every bad or missing variable in one error', () => {
    try {
      loadConfig({ PORT: 'abc', LOG_LEVEL: 'loud', NODE_ENV: 'production', DATABASE_URL: 'mysql://x', CORS_ORIGINS: '*' });
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
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (e) {
        return (e as ConfigError).problems;
      }
    };
    expect(problems({ CHAIN_DRIVER: 'blockfrost' }).join('\n')).to.contain('BLOCKFROST_PROJECT_ID: required').and.to.contain('MINT_SIGNING_KEY: required');
    expect(problems({ PAYMENT_DRIVER: 'xendit' }).join('\n')).to.contain('XENDIT_SECRET_KEY: required').and.to.contain('PAYMENT_WEBHOOK_TOKEN: required');
    const prod = problems({ NODE_ENV: 'production' }).join('\n');
    expect(prod).to.contain('PAYMENT_DRIVER: sandbox is not allowed').and.to.contain('PLATE_HASH_SECRET: required').and.to.contain('PAYMENT_WEBHOOK_TOKEN: required');
    expect(problems({ MINT_SIGNING_KEY: 'not-hex' }).join('\n')).to.contain('MINT_SIGNING_KEY').and.not.to.contain('not-hex');
    const c = loadConfig({ CHAIN_DRIVER: 'blockfrost', BLOCKFROST_PROJECT_ID: 'preprodABCDEFGH', MINT_SIGNING_KEY: 'AB'.repeat(32), CHAIN_NETWORK: 'preprod' });
    expect(c.chain).to.include({ driver: 'blockfrost', network: 'preprod', blockfrostProjectId: 'preprodABCDEFGH' });
    expect(c.mint.signingKey, 'lower-cased').to.equal('ab'.repeat(32));
  });

  it('reads secrets from *_FILE and refuses both forms at once', () => {
    const files: Record<string, string> = { '/run/secrets/jwt': 'x'.repeat(40) + '\n' };
    const c = loadConfig({ JWT_SECRET_FILE: '/run/secrets/jwt' }, (p) => files[p] as string);
    expect(c.jwt.secret).to.equal('x'.repeat(40));
    expect(() => loadConfig({ JWT_SECRET_FILE: '/run/secrets/jwt', JWT_SECRET: 'y'.repeat(40) }, (p) => files[p] as string)).to.throw(ConfigError, /both set/);
    expect(() =>
      loadConfig({ JWT_SECRET_FILE: '/nope' }, () => {
        throw Object.assign(new Error('x'), { code: 'ENOENT' });
      }),
    ).to.throw(ConfigError, /cannot read \/nope \(ENOENT\)/);
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
