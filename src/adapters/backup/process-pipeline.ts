import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';

/** One step of a pipeline: an external program (stdin -> stdout) or gzip in-process. */
export type PipeStep =
  | {
      kind: 'process';
      cmd: string;
      args: string[];
      env?: Record<string, string>;
      /** Sees everything the program writes on stderr (a failure's message keeps the tail anyway). */
      onStderr?: (text: string) => void;
    }
  | { kind: 'gzip'; level?: number }
  /** An in-process stream stage (e.g. a line filter), made fresh for the run. */
  | { kind: 'transform'; name: string; make: () => Transform }
  | { kind: 'gunzip' };

/** A step failed: which program, its exit status and the end of what it wrote on stderr. */
export class PipelineError extends Error {
  constructor(
    readonly program: string,
    readonly detail: string,
  ) {
    super(`${program} failed: ${detail}`);
    this.name = 'PipelineError';
  }
}

interface Running {
  child: ChildProcess;
  name: string;
  exited: Promise<void>;
}

const STDERR_TAIL = 4000;

function start(step: Extract<PipeStep, { kind: 'process' }>, hasInput: boolean): Running {
  const child = spawn(step.cmd, step.args, {
    stdio: [hasInput ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...step.env },
  });
  const name = step.cmd.split('/').pop() ?? step.cmd;
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    step.onStderr?.(d.toString('utf8'));
    stderr = (stderr + d.toString('utf8')).slice(-STDERR_TAIL);
  });
  const exited = new Promise<void>((resolve, reject) => {
    child.once('error', (e) => reject(new PipelineError(name, e.message)));
    child.once('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new PipelineError(
            name,
            `${signal ? `killed by ${signal}` : `exit code ${code}`}: ${stderr.trim() || '(no output)'}`,
          ),
        );
    });
  });
  return { child, name, exited };
}

/** An in-process step's stream and the name its failure carries. */
function inProcess(step: Exclude<PipeStep, { kind: 'process' }>): { stage: Transform; name: string } {
  if (step.kind === 'transform') return { stage: step.make(), name: step.name };
  return { stage: step.kind === 'gzip' ? createGzip({ level: step.level ?? 6 }) : createGunzip(), name: step.kind };
}

/**
 * Runs `input` (or nothing, when the first step produces the data) through the steps into `output`, the
 * way a shell pipeline would, but failing when any step fails (not only the last one: pipefail) and
 * killing the others then. Resolves when every program has exited 0 and the output is flushed.
 */
export async function runPipeline(input: Readable | null, steps: PipeStep[], output: Writable): Promise<void> {
  const running: Running[] = [];
  const transfers: Promise<void>[] = [];
  let current: Readable | null = input;
  for (const step of steps) {
    if (step.kind === 'process') {
      const r = start(step, current !== null);
      running.push(r);
      if (current && r.child.stdin) transfers.push(pipeline(current, r.child.stdin));
      current = r.child.stdout as Readable;
    } else {
      if (!current) throw new Error(`${step.kind} needs an input`);
      const { stage: z, name } = inProcess(step);
      transfers.push(pipeline(current, z).catch((e: unknown) => Promise.reject(new PipelineError(name, String(e)))));
      current = z;
    }
  }
  if (!current) throw new Error('a pipeline needs an input or a first program');
  transfers.push(pipeline(current, output));
  try {
    await Promise.all([...running.map((r) => r.exited), ...transfers]);
  } catch (e) {
    for (const r of running) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGTERM');
    await Promise.allSettled([...running.map((r) => r.exited), ...transfers]);
    // The program's own failure says more than the broken pipe it caused downstream.
    const first = await firstProgramError(running);
    throw first ?? e;
  }
}

async function firstProgramError(running: Running[]): Promise<PipelineError | null> {
  for (const r of running) {
    const outcome = await r.exited.then(
      () => null,
      (e: unknown) => e,
    );
    if (outcome instanceof PipelineError && !/killed by SIGTERM|EPIPE/.test(outcome.detail)) return outcome;
  }
  return null;
}
