import { expect } from 'chai';
import { countsAsFailure, withBreaker, type BreakerState } from '../../../src/adapters/resilience/breaker.js';
import { StorageErrors } from '../../../src/domain/storage/storage-errors.js';
import { DomainError } from '../../../src/domain/shared/domain-error.js';

/** A port whose health the test controls. */
class FakePort {
  readonly driver = 'fake';
  healthy = true;
  calls = 0;
  async sign(key: string): Promise<string> {
    return `signed:${key}`;
  }
  async fetch(key: string): Promise<string> {
    this.calls++;
    if (key === 'missing') throw StorageErrors.notFound(key);
    if (!this.healthy) throw StorageErrors.unavailable('connection refused');
    return `value of ${key}`;
  }
}

const code = async (p: Promise<unknown>) =>
  p.then(
    () => 'OK',
    (e: DomainError) => e.code,
  );

describe('circuit breaker decorator (opossum)', () => {
  const options = {
    name: 'fake',
    errorThresholdPercentage: 50,
    volumeThreshold: 4,
    resetTimeoutMs: 150,
    rollingCountTimeoutMs: 10_000,
    timeoutMs: 0,
  };

  it('passes calls and properties through while the dependency is healthy', async () => {
    const port = new FakePort();
    const wrapped = withBreaker(port, options, { stateChanged: () => undefined });
    expect(await wrapped.fetch('a')).to.equal('value of a');
    expect(wrapped.driver).to.equal('fake');
    expect(wrapped.breakerState()).to.equal('closed');
  });

  it('opens after failures, fails fast without calling the dependency, and closes after a good trial call', async () => {
    const port = new FakePort();
    const states: BreakerState[] = [];
    const wrapped = withBreaker(port, { ...options, bypass: ['sign'] }, { stateChanged: (_n, s) => states.push(s) });
    port.healthy = false;
    for (let i = 0; i < 4; i++) expect(await code(wrapped.fetch('a'))).to.equal('STORAGE.UNAVAILABLE');
    expect(wrapped.breakerState()).to.equal('open');
    const before = port.calls;
    expect(await code(wrapped.fetch('a'))).to.equal('DEPENDENCY.CIRCUIT_OPEN');
    expect(port.calls, 'no call reaches a dependency behind an open circuit').to.equal(before);
    expect(await wrapped.sign('k'), 'bypassed methods (no I/O) keep working').to.equal('signed:k');
    port.healthy = true;
    await new Promise((r) => setTimeout(r, 200));
    expect(await wrapped.fetch('a')).to.equal('value of a');
    expect(wrapped.breakerState()).to.equal('closed');
    expect(states).to.deep.equal(['open', 'half-open', 'closed']);
  });

  it('does not count answers about the request (not found, bad input) as failures', async () => {
    const port = new FakePort();
    const wrapped = withBreaker(port, options, { stateChanged: () => undefined });
    for (let i = 0; i < 10; i++) expect(await code(wrapped.fetch('missing'))).to.equal('STORAGE.NOT_FOUND');
    expect(wrapped.breakerState()).to.equal('closed');
    expect(countsAsFailure(StorageErrors.invalidKey('..'))).to.equal(false);
    expect(countsAsFailure(new Error('ECONNRESET'))).to.equal(true);
    const gate = new DomainError('RENDER.QUALITY_GATE', 'unavailable', 'images missing');
    expect(countsAsFailure(gate)).to.equal(true);
    expect(countsAsFailure(gate, ['RENDER.QUALITY_GATE'])).to.equal(false);
  });
});
