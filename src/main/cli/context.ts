import type { Container } from 'inversify';
import type { Logger } from '../../adapters/observability/logger.js';
import { UserRepository } from '../../ports/user-repository.js';
import type { Config } from '../config.js';
import type { Database } from '../database-bootstrap.js';

/** A wrong invocation: its message is printed and the CLI exits with 64 (EX_USAGE). */
export class UsageError extends Error {}

/** The options a command line may carry (every command reads the ones it needs). */
export interface CliValues {
  email?: string;
  name?: string;
  username?: string;
  role?: string;
  branch?: string;
  code?: string;
  'password-stdin'?: boolean;
  'dry-run'?: boolean;
  concurrency?: string;
  'mapping-file'?: string;
  'report-file'?: string;
  state?: string;
  stage?: string;
  'all-failed'?: boolean;
  from?: string;
  to?: string;
  kinds?: string;
  out?: string;
  manifest?: string;
  quick?: boolean;
  all?: boolean;
  'db-only'?: boolean;
  database?: string;
  force?: boolean;
}

/** The operator the CLI acts as: the first active SUPERADMIN. */
export interface Operator {
  userId: string;
  role: 'SUPERADMIN';
}

/** What a command runs with: its arguments, the configuration, the open database and the container. */
export interface CliContext {
  command: string;
  values: CliValues;
  positionals: string[];
  config: Config;
  logger: Logger;
  db: Database;
  container: Container;
  /** Prints a line of the command's result on standard output. */
  out(text: string): void;
  /** A required option's value; UsageError when it is missing. */
  need(k: 'email' | 'name' | 'role' | 'code'): string;
  /** Re-running sends pg-boss jobs: the queue is opened on the same database for the command's duration. */
  withQueues(work: (jobContainer: Container, operator: Operator) => Promise<void>): Promise<void>;
}

/** A command: its exit code (0 done, 2 done with failures). */
export type CliCommand = (ctx: CliContext) => Promise<number>;

/** Operator actions are recorded against the first active SUPERADMIN (the CLI runs with operator rights). */
export async function operatorId(container: Container): Promise<string> {
  const sa = (
    await container
      .get<UserRepository>(UserRepository)
      .list({ role: ['SUPERADMIN'], isActive: true }, { page: 1, pageSize: 1 })
  ).items[0];
  if (!sa)
    throw new UsageError('create a SUPERADMIN first (create-superadmin): operator actions are audited against it');
  return sa.id;
}
