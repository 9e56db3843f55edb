/**
 * The API as its own process (`node --import tsx src/main/server.ts`, as `make run` starts it) on the run's
 * test database, bound to 127.0.0.1: the fuzzer can see that the process stays up, and the server's log
 * lines (with the x-request-id the fuzzer sent) explain a 5xx.
 */
import { spawnEntry, waitFor, type Spawned } from '../../e2e/process.js';
import { freePort } from '../net.js';

export interface FuzzServer {
  base: URL;
  proc: Spawned;
  alive(): boolean;
  /** The server's JSON log lines that carry this request id. */
  logFor(requestId: string): string[];
  /** SIGTERM, then SIGKILL after `ms`: the exit code (null when it had to be killed). */
  stop(ms?: number): Promise<number | null>;
}

export async function startFuzzServer(env: Record<string, string>): Promise<FuzzServer> {
  const port = await freePort();
  const base = new URL(`http://127.0.0.1:${port}`);
  const proc = spawnEntry('src/main/server.ts', [], { ...env, HOST: '127.0.0.1', PORT: String(port) });
  const alive = () => proc.child.exitCode === null && proc.child.signalCode === null;
  await waitFor(
    async () => {
      if (!alive()) throw new Error('exited');
      return (await fetch(new URL('/api/v1/health/ready', base))).status === 200;
    },
    90_000,
    'the API process to be ready',
  ).catch((e: Error) => {
    proc.child.kill('SIGKILL');
    throw new Error(`${e.message}\n--- server output ---\n${proc.output().slice(-4000)}`);
  });
  let stopped: Promise<number | null> | undefined;
  return {
    base,
    proc,
    alive,
    logFor: (requestId) =>
      proc
        .output()
        .split('\n')
        .filter((l) => l.includes(`"requestId":"${requestId}"`)),
    stop: (ms = 30_000) =>
      (stopped ??= (async () => {
        if (!alive()) return proc.child.exitCode;
        proc.child.kill('SIGTERM');
        const code = await Promise.race([proc.exited, new Promise<'late'>((r) => setTimeout(() => r('late'), ms))]);
        if (code !== 'late') return code;
        proc.child.kill('SIGKILL');
        await proc.exited;
        return null;
      })()),
  };
}
