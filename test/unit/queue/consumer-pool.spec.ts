import { expect } from 'chai';
import { ConsumerPool } from '../../../src/adapters/queue/consumer-pool.js';
import { DependencyHealth } from '../../../src/adapters/resilience/dependency-health.js';

describe('queue consumer pool', () => {
  /** A pool over a fake queue that records which consumers run. */
  function fakePool(failStop = false) {
    const running = new Set<string>();
    let next = 0;
    const pool = new ConsumerPool(
      async () => {
        const id = `c${++next}`;
        running.add(id);
        return id;
      },
      async (id) => {
        running.delete(id);
        if (failStop) throw new Error('offWork failed');
      },
    );
    return { pool, running };
  }

  it('starts consumers up to the count asked for and stops the newest first', async () => {
    const { pool, running } = fakePool();
    await pool.resize(3);
    expect(pool.size).to.equal(3);
    expect([...running]).to.deep.equal(['c1', 'c2', 'c3']);
    await pool.resize(1);
    expect(pool.size).to.equal(1);
    expect([...running]).to.deep.equal(['c1']);
    await pool.resize(2);
    expect([...running]).to.deep.equal(['c1', 'c4']);
    await pool.resize(0);
    expect(pool.size).to.equal(0);
    expect(running.size).to.equal(0);
  });

  it('forgets a consumer whose stop failed instead of failing the resize', async () => {
    const { pool } = fakePool(true);
    await pool.resize(2);
    await pool.resize(0);
    expect(pool.size).to.equal(0);
  });

  it('runs no consumer while a dependency is open, one while on trial, else the count wanted', () => {
    const h = new DependencyHealth();
    expect(h.concurrencyFor(['storage', 'ipfs'], 4)).to.equal(4);
    h.report('ipfs', 'half-open');
    expect(h.concurrencyFor(['storage', 'ipfs'], 4)).to.equal(1);
    expect(h.concurrencyFor(['storage'], 4), 'another queue is not held back').to.equal(4);
    h.report('storage', 'open');
    expect(h.concurrencyFor(['storage', 'ipfs'], 4)).to.equal(0);
    h.report('storage', 'closed');
    h.report('ipfs', 'closed');
    expect(h.concurrencyFor(['storage', 'ipfs'], 2)).to.equal(2);
  });
});
