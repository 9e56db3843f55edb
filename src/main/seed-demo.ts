import type { Container } from 'inversify';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { RegisterCustomer } from '../application/auth/register-customer.js';
import { CreateBranchCity } from '../application/branches/create-branch-city.js';
import { CreateInspector } from '../application/users/create-inspector.js';
import { CreateStaffUser } from '../application/users/create-staff-user.js';
import { RegenerateInspectorPin } from '../application/users/regenerate-inspector-pin.js';
import { ListClassPriceHistory } from '../application/pricing/list-class-price-history.js';
import { SetClassPrice } from '../application/pricing/set-class-price.js';
import type { VehicleClass } from '../domain/customer/vehicle-class.js';
import type { Role } from '../domain/identity/role.js';
import { BranchCityRepository } from '../ports/branch-city-repository.js';
import { SecretGenerator } from '../ports/secrets.js';
import { UserRepository } from '../ports/user-repository.js';
import type { Logger } from '../adapters/observability/logger.js';

export interface DemoAccount {
  role: Role;
  email: string;
  password?: string;
  pin?: string;
}

export interface DemoCredentials {
  note: string;
  loginPath: string;
  inspectorLoginPath: string;
  accounts: DemoAccount[];
}

const DOMAIN = 'demo.car-dano.local';
const ROLES: Role[] = ['SUPERADMIN', 'ADMIN', 'REVIEWER', 'INSPECTOR', 'CUSTOMER'];
export const demoEmail = (role: Role): string => `${role.toLowerCase()}@${DOMAIN}`;

/** Demo inspection prices per vehicle class (IDR). */
export const DEMO_CLASS_PRICES: Record<VehicleClass, number> = {
  LCGC: 350000,
  REGULAR: 450000,
  EXTRA: 600000,
  LUXURY: 1000000,
  EU_US_SMALL: 800000,
  EU_US_MEDIUM: 1100000,
  EU_US_HIGH_END: 1500000,
  HYBRID: 900000,
  EV: 950000,
};

/** Gives every class without any price history its demo price (effective now); returns how many were set. */
async function seedClassPrices(container: Container): Promise<number> {
  let set = 0;
  for (const [vehicleClass, priceIdr] of Object.entries(DEMO_CLASS_PRICES) as Array<[VehicleClass, number]>) {
    if ((await container.get(ListClassPriceHistory).execute({ vehicleClass }, { page: 1, pageSize: 1 })).total > 0)
      continue;
    await container.get(SetClassPrice).execute(null, { vehicleClass, priceIdr, note: 'demo seed' });
    set++;
  }
  return set;
}

/**
 * Seeds one account per role (and the YOG branch) for trying the API locally. Passwords and the PIN are
 * random, written to DATA_DIR/demo-credentials.json (0600, never in git) and never logged. Idempotent and
 * resumable: the file is rewritten after each account, existing accounts are kept, and an inspector whose
 * PIN was lost gets a new one. Also gives each vehicle class that has no price yet its demo price (quotes work).
 */
export async function seedDemo(container: Container, dataDir: string, logger: Logger): Promise<string> {
  const file = path.resolve(dataDir, 'demo-credentials.json');
  const saved: DemoCredentials | null = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials)
    : null;
  const accounts = new Map<Role, DemoAccount>((saved?.accounts ?? []).map((a) => [a.role, a]));
  const save = async () => {
    const body: DemoCredentials = {
      note: 'Demo accounts of the local embedded database (never use them in production).',
      loginPath: '/api/v1/auth/login',
      inspectorLoginPath: '/api/v1/auth/login/inspector',
      accounts: ROLES.map((r) => accounts.get(r)).filter((a): a is DemoAccount => !!a),
    };
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
  };
  const users = container.get<UserRepository>(UserRepository);
  const secrets = container.get<SecretGenerator>(SecretGenerator);
  const branches = container.get<BranchCityRepository>(BranchCityRepository);
  const branch =
    (await branches.findByCode('YOG')) ??
    (await container.get(CreateBranchCity).execute(null, { name: 'Yogyakarta', code: 'YOG' }));
  let created = 0;

  for (const role of ['SUPERADMIN', 'ADMIN', 'REVIEWER', 'CUSTOMER'] as const) {
    const email = demoEmail(role);
    if (await users.findByEmail(email)) {
      if (!accounts.has(role))
        logger.warn('demo account exists but its password is not in the credentials file', { role });
      continue;
    }
    const password = secrets.password();
    if (role === 'CUSTOMER') await container.get(RegisterCustomer).execute({ email, name: 'Demo customer', password });
    else
      await container.get(CreateStaffUser).execute(null, { email, name: `Demo ${role.toLowerCase()}`, password, role });
    accounts.set(role, { role, email, password });
    created++;
    await save();
  }

  const superadmin = await users.findByEmail(demoEmail('SUPERADMIN'));
  const actor = { userId: superadmin?.id as string, role: 'SUPERADMIN' as const };
  const inspector = await users.findByEmail(demoEmail('INSPECTOR'));
  if (!inspector) {
    const r = await container
      .get(CreateInspector)
      .execute(actor, { email: demoEmail('INSPECTOR'), name: 'Demo inspector', branchCityId: branch.id });
    accounts.set('INSPECTOR', { role: 'INSPECTOR', email: demoEmail('INSPECTOR'), pin: r.pin });
    created++;
  } else if (!accounts.get('INSPECTOR')?.pin) {
    const r = await container.get(RegenerateInspectorPin).execute(actor, inspector.id);
    accounts.set('INSPECTOR', { role: 'INSPECTOR', email: demoEmail('INSPECTOR'), pin: r.pin });
  }
  await save();
  const classPricesSet = await seedClassPrices(container);
  logger.info(created > 0 ? 'seeded demo accounts' : 'demo accounts present', {
    credentialsFile: file,
    created,
    classPricesSet,
  });
  return file;
}
