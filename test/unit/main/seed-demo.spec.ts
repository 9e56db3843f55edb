import { expect } from 'chai';
import { chmod, mkdtemp, readFile, rm, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LoginInspector } from '../../../src/application/auth/login-inspector.js';
import { LoginWithPassword } from '../../../src/application/auth/login-with-password.js';
import { buildContainer } from '../../../src/main/container.js';
import { DEMO_CLASS_PRICES, seedDemo, type DemoCredentials } from '../../../src/main/seed-demo.js';
import { GetQuote } from '../../../src/application/pricing/get-quote.js';
import { ListClassPriceHistory } from '../../../src/application/pricing/list-class-price-history.js';
import { SetClassPrice } from '../../../src/application/pricing/set-class-price.js';
import { testConfig } from '../../support/config.js';
import { memoryLogger } from '../../support/logs.js';

describe('demo seeding', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'cardano-seed-'));
    await chmod(dir, 0o700);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('creates one working account per role, once, in a private file', async () => {
    const c = buildContainer({ config: testConfig(), logger: memoryLogger().logger });
    const logs = memoryLogger();
    const file = await seedDemo(c, dir, logs.logger);
    expect((await stat(file)).mode & 0o777).to.equal(0o600);
    const creds = JSON.parse(await readFile(file, 'utf8')) as DemoCredentials;
    expect(creds.accounts.map((a) => a.role)).to.deep.equal([
      'SUPERADMIN',
      'ADMIN',
      'REVIEWER',
      'INSPECTOR',
      'CUSTOMER',
    ]);
    const client = { userAgent: null, ip: null };
    for (const a of creds.accounts) {
      const r = a.pin
        ? await c.get(LoginInspector).execute({ email: a.email, pin: a.pin, client })
        : await c.get(LoginWithPassword).execute({ identifier: a.email, password: a.password as string, client });
      expect(r.user.role).to.equal(a.role);
    }
    for (const a of creds.accounts) expect(logs.raw()).to.not.contain(a.password ?? a.pin);
    await seedDemo(c, dir, logs.logger);
    expect(JSON.parse(await readFile(file, 'utf8'))).to.deep.equal(creds, 'a second run changes nothing');
    expect(logs.lines().at(-1)).to.include({ message: 'demo accounts present', created: 0 });
  });

  it('gives every vehicle class without a price its demo price, once, leaving prices an admin set alone', async () => {
    const c = buildContainer({ config: testConfig(), logger: memoryLogger().logger });
    await c.get(SetClassPrice).execute(null, { vehicleClass: 'LUXURY', priceIdr: 1234567 });
    const logs = memoryLogger();
    await seedDemo(c, dir, logs.logger);
    expect(logs.lines().at(-1)).to.include({ classPricesSet: 8 });
    for (const [vehicleClass, priceIdr] of Object.entries(DEMO_CLASS_PRICES)) {
      const quote = await c.get(GetQuote).execute(vehicleClass as keyof typeof DEMO_CLASS_PRICES);
      expect(quote.priceIdr, vehicleClass).to.equal(vehicleClass === 'LUXURY' ? 1234567 : priceIdr);
    }
    expect(DEMO_CLASS_PRICES).to.include({ LCGC: 350000, EU_US_HIGH_END: 1500000, HYBRID: 900000, EV: 950000 });
    await seedDemo(c, dir, logs.logger);
    expect(logs.lines().at(-1)).to.include({ classPricesSet: 0 });
    expect(
      (await c.get(ListClassPriceHistory).execute({}, { page: 1, pageSize: 100 })).total,
      'a second run adds no price',
    ).to.equal(9);
  });

  it('recovers when the credentials file was lost: the inspector gets a new PIN, lost passwords are reported', async () => {
    const c = buildContainer({ config: testConfig(), logger: memoryLogger().logger });
    const file = await seedDemo(c, dir, memoryLogger().logger);
    await unlink(file);
    const logs = memoryLogger();
    await seedDemo(c, dir, logs.logger);
    const creds = JSON.parse(await readFile(file, 'utf8')) as DemoCredentials;
    const inspector = creds.accounts.find((a) => a.role === 'INSPECTOR');
    const r = await c.get(LoginInspector).execute({
      email: inspector?.email as string,
      pin: inspector?.pin as string,
      client: { userAgent: null, ip: null },
    });
    expect(r.user.role).to.equal('INSPECTOR');
    expect(
      logs.lines().filter((l) => l.message === 'demo account exists but its password is not in the credentials file'),
    ).to.have.length(4);
  });
});
