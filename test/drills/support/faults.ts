/**
 * Fault injection for the drills, always at a port.
 */
import { Readable } from 'node:stream';
import { IpfsErrors } from '../../../src/domain/ipfs/ipfs-errors.js';
import { ForwardingChain } from '../../support/forwarding-chain.js';
import type { Ipfs, IpfsAdded } from '../../../src/ports/ipfs.js';

type AnyMethod = (...args: unknown[]) => Promise<unknown>;

/**
 * Replaces `method` of the adapter that the container's breaker proxy (withBreaker) wraps, so the production
 * composition stays whole: calls still go through the real breaker, its events, DependencyHealth and
 * the alerts, and only the adapter underneath misbehaves. Works because withBreaker's Proxy has only a `get`
 * trap: an assignment through it lands on the adapter itself, and the trap then finds the replacement.
 * Returns a function that restores the original method.
 */
export function interceptBelowBreaker(
  port: object,
  method: string,
  replacement: (original: AnyMethod, args: unknown[]) => Promise<unknown>,
): () => void {
  const original = (Object.getPrototypeOf(port) as Record<string, unknown>)[method];
  if (typeof original !== 'function')
    throw new Error(`interceptBelowBreaker: ${method} is not a method of the adapter's class`);
  const target = port as Record<string, unknown>;
  target[method] = function (this: unknown, ...args: unknown[]) {
    return replacement((...a: unknown[]) => (original as AnyMethod).apply(this, a), args);
  };
  return () => {
    delete target[method];
  };
}

/** A small deterministic PRNG (mulberry32): the same seed gives the same sequence of draws in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The real Ipfs port, failing a fixed share of its calls with IPFS.UNAVAILABLE, chosen by a seeded PRNG per
 * call (call n fails iff draw n < rate): the n-th call's fate does not depend on timing.
 */
export class FlakyIpfs implements Ipfs {
  readonly driver: string;
  enabled = true;
  calls = 0;
  failures = 0;
  readonly byMethod: Record<string, { calls: number; failures: number }> = {};
  private readonly draw: () => number;

  constructor(
    private readonly inner: Ipfs,
    private readonly rate: number,
    seed: number,
  ) {
    this.driver = inner.driver;
    this.draw = mulberry32(seed);
  }

  private gate(method: string, content?: unknown): void {
    if (!this.enabled) return;
    const m = (this.byMethod[method] ??= { calls: 0, failures: 0 });
    this.calls += 1;
    m.calls += 1;
    if (this.draw() >= this.rate) return;
    this.failures += 1;
    m.failures += 1;
    // The caller handed over a stream it will not read again: release it like a failed node would.
    if (content instanceof Readable) content.destroy();
    throw IpfsErrors.unavailable(`injected failure of ${method} (call ${this.calls})`);
  }

  async add(content: Buffer | Readable): Promise<IpfsAdded> {
    this.gate('add', content);
    return this.inner.add(content);
  }
  async cat(cid: string): Promise<Readable> {
    this.gate('cat');
    return this.inner.cat(cid);
  }
  async isPinned(cid: string): Promise<boolean> {
    this.gate('isPinned');
    return this.inner.isPinned(cid);
  }
  async unpin(cid: string): Promise<void> {
    this.gate('unpin');
    return this.inner.unpin(cid);
  }
}

/** A chain whose submits fail with the queued errors first (fault injection at the port), as in test/integration/archive-pipeline.spec.ts. */
export class FaultyChain extends ForwardingChain {
  failSubmits: Error[] = [];
  /** Every submit call: the transaction sent (CBOR hex), and the error it got or the hash the inner chain accepted. */
  readonly submits: Array<{ cbor: string; error?: string; hash?: string }> = [];

  override async submit(cbor: string): Promise<string> {
    const failure = this.failSubmits.shift();
    if (failure) {
      this.submits.push({ cbor, error: (failure as { code?: string }).code ?? failure.message });
      throw failure;
    }
    const hash = await this.inner.submit(cbor);
    this.submits.push({ cbor, hash });
    return hash;
  }
}
