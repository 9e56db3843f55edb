import type { Container } from 'inversify';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { RegisterCustomer } from '../application/auth/register-customer.js';
import { CreateBranchCity } from '../application/branches/branch-cities.js';
import { CreateInspector } from '../application/users/create-inspector.js';
import { CreateStaffUser } from '../application/users/create-staff-user.js';
import { BranchCityRepository } from '../ports/branch-city-repository.js';
import { SecretGenerator } from '../ports/secrets.js';
import { UserRepository } from '../ports/user-repository.js';
import type { Logger } from '../adapters/observability/logger.js';

export interface DemoCredentials {
  note: string;
  loginUrl: string;
  accounts: Array<{ role: string; email: string; password?: string; pin?: string }>;
}

const DOMAIN = 'demo.car-dano.local';

/**
 * Seeds one account per role (and the YOG branch) for trying the API locally. Passwords and the PIN are
 * random, written to DATA_DIR/demo-credentials.json (0600, never in git) and never logged. Runs once: if
 * the demo SUPERADMIN exists it does nothing.
 */
export async function seedDemo(container: Container, dataDir: string, baseUrl: string, logger: Logger): Promise<string | null> {
  const file = path.resolve(dataDir, 'demo-credentials.json');
  const users = container.get<UserRepository>(UserRepository);
  if (await users.findByEmail(`superadmin@${DOMAIN}`)) {
    if (existsSync(file)) logger.info('demo accounts present', { credentialsFile: file });
    else logger.warn('demo accounts exist but their credentials file is gone; reset passwords with the CLI', { credentialsFile: file });
    return existsSync(file) ? file : null;
  }
  const secrets = container.get<SecretGenerator>(SecretGenerator);
  const branches = container.get<BranchCityRepository>(BranchCityRepository);
  const branch = (await branches.findByCode('YOG')) ?? (await container.get(CreateBranchCity).execute(null, { name: 'Yogyakarta', code: 'YOG' }));
  const accounts: DemoCredentials['accounts'] = [];
  const staff = container.get(CreateStaffUser);
  for (const role of ['SUPERADMIN', 'ADMIN', 'REVIEWER'] as const) {
    const email = `${role.toLowerCase()}@${DOMAIN}`;
    const password = secrets.password();
    await staff.execute(null, { email, name: `Demo ${role.toLowerCase()}`, password, role });
    accounts.push({ role, email, password });
  }
  const superadmin = await users.findByEmail(`superadmin@${DOMAIN}`);
  const actor = { userId: superadmin?.id as string, role: 'SUPERADMIN' as const };
  const inspector = await container.get(CreateInspector).execute(actor, { email: `inspector@${DOMAIN}`, name: 'Demo inspector', branchCityId: branch.id });
  accounts.push({ role: 'INSPECTOR', email: `inspector@${DOMAIN}`, pin: inspector.pin });
  const customerPassword = secrets.password();
  await container.get(RegisterCustomer).execute({ email: `customer@${DOMAIN}`, name: 'Demo customer', password: customerPassword });
  accounts.push({ role: 'CUSTOMER', email: `customer@${DOMAIN}`, password: customerPassword });

  const body: DemoCredentials = {
    note: 'Demo accounts of the local embedded database. Inspectors log in at /api/v1/auth/login/inspector with email + pin.',
    loginUrl: `${baseUrl}/api/v1/auth/login`,
    accounts,
  };
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
  logger.info('seeded demo accounts', { credentialsFile: file, roles: accounts.map((a) => a.role) });
  return file;
}
