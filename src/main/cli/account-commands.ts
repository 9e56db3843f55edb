import type { Container } from 'inversify';
import { RegisterCustomer } from '../../application/auth/register-customer.js';
import { CreateBranchCity } from '../../application/branches/create-branch-city.js';
import { CreateInspector } from '../../application/users/create-inspector.js';
import { CreateStaffUser } from '../../application/users/create-staff-user.js';
import { BranchCityRepository } from '../../ports/branch-city-repository.js';
import { SecretGenerator } from '../../ports/secrets.js';
import { seedDemo } from '../seed-demo.js';
import { operatorId, UsageError, type CliCommand, type CliContext, type CliValues } from './context.js';

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

async function passwordFrom(
  values: CliValues,
  container: Container,
): Promise<{ password: string; generated: boolean }> {
  if (values['password-stdin']) return { password: await readStdinLine(), generated: false };
  return { password: container.get<SecretGenerator>(SecretGenerator).password(), generated: true };
}

/** An inspector signs in with a PIN (generated, shown once) and belongs to a branch city. */
async function createInspector(
  { values, container, out }: CliContext,
  user: { email: string; name: string },
): Promise<number> {
  const code = values.branch?.toUpperCase();
  const branch = code ? await container.get<BranchCityRepository>(BranchCityRepository).findByCode(code) : null;
  if (!branch)
    throw new UsageError('--branch must be the code of an existing branch city (create one with create-branch)');
  const r = await container
    .get(CreateInspector)
    .execute(
      { userId: await operatorId(container), role: 'SUPERADMIN' },
      { ...user, username: values.username, branchCityId: branch.id },
    );
  out(`created INSPECTOR ${r.user.email} (${r.user.id}) in ${branch.code}\nPIN (shown once): ${r.pin}`);
  return 0;
}

/** create-superadmin and create-user: a password account, or an inspector with a PIN. */
const createUser: CliCommand = async (ctx) => {
  const { command, values, container, need, out } = ctx;
  const role = command === 'create-superadmin' ? 'SUPERADMIN' : need('role').toUpperCase();
  const email = need('email');
  const name = need('name');
  if (role === 'INSPECTOR') return createInspector(ctx, { email, name });
  const { password, generated } = await passwordFrom(values, container);
  const user =
    role === 'CUSTOMER'
      ? await container.get(RegisterCustomer).execute({ email, name, username: values.username, password })
      : await container.get(CreateStaffUser).execute(null, {
          email,
          name,
          username: values.username,
          password,
          role: role as 'SUPERADMIN' | 'ADMIN' | 'REVIEWER',
        });
  out(`created ${user.role} ${user.email} (${user.id})`);
  if (generated) out(`password (shown once): ${password}`);
  return 0;
};

/** create-superadmin, create-user, create-branch and seed-demo. */
export const accountCommands: Record<string, CliCommand> = {
  'create-superadmin': createUser,
  'create-user': createUser,
  'create-branch': async ({ container, need, out }) => {
    const b = await container.get(CreateBranchCity).execute(null, { code: need('code'), name: need('name') });
    out(`created branch ${b.code} ${b.name} (${b.id})`);
    return 0;
  },
  'seed-demo': async ({ container, config, logger, out }) => {
    out(`demo credentials: ${await seedDemo(container, config.dataDir, logger)}`);
    return 0;
  },
};
