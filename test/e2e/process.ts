import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/main/container.js';

export interface Spawned {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs a TypeScript entry point of src/main exactly as the Makefile does (node --import tsx). */
export function spawnEntry(
  entry: string,
  args: string[],
  env: Record<string, string | undefined>,
  stdin?: string,
): Spawned {
  const clean: Record<string, string> = {};
  // The local profile, as `make run` sets it; a test about production passes APP_ENV itself.
  for (const [k, v] of Object.entries({ PATH: process.env.PATH, HOME: process.env.HOME, APP_ENV: 'local', ...env }))
    if (v !== undefined) clean[k] = v;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, entry), ...args], {
    cwd: PROJECT_ROOT,
    env: clean,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d.toString()));
  child.stderr?.on('data', (d) => (out += d.toString()));
  if (stdin !== undefined) child.stdin?.end(stdin);
  else child.stdin?.end();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

export async function waitFor(cond: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}
