import { expect } from 'chai';
import { LoadGovernor, nextConcurrency, type LoadSample } from '../../../src/adapters/queue/load-governor.js';

const limits = { min: 1, max: 3, highLoadPerCore: 1.5, lowLoadPerCore: 0.7, minFreeMemoryMB: 512 };

describe('worker load governor', () => {
  it('steps down under load or memory pressure, up when idle, never past the limits', () => {
    expect(nextConcurrency(2, { loadPerCore: 2.0, freeMemoryMB: 4000 }, limits)).to.equal(1);
    expect(nextConcurrency(1, { loadPerCore: 3.0, freeMemoryMB: 4000 }, limits)).to.equal(1);
    expect(nextConcurrency(3, { loadPerCore: 0.2, freeMemoryMB: 300 }, limits)).to.equal(2);
    expect(nextConcurrency(1, { loadPerCore: 0.3, freeMemoryMB: 4000 }, limits)).to.equal(2);
    expect(nextConcurrency(3, { loadPerCore: 0.3, freeMemoryMB: 4000 }, limits)).to.equal(3);
    expect(nextConcurrency(2, { loadPerCore: 1.0, freeMemoryMB: 4000 }, limits), 'in between: unchanged').to.equal(2);
    expect(
      nextConcurrency(2, { loadPerCore: 0.3, freeMemoryMB: 800 }, limits),
      'memory not comfortable: no raise',
    ).to.equal(2);
  });

  it('applies each change to the worker and reports it', async () => {
    const samples: LoadSample[] = [
      { loadPerCore: 2, freeMemoryMB: 4000 },
      { loadPerCore: 2, freeMemoryMB: 4000 },
      { loadPerCore: 0.1, freeMemoryMB: 4000 },
      { loadPerCore: 0.1, freeMemoryMB: 4000 },
    ];
    const applied: number[] = [];
    const changes: string[] = [];
    const g = new LoadGovernor(
      { setConcurrency: async (n) => void applied.push(n) },
      2,
      limits,
      (a, b) => changes.push(`${a}->${b}`),
      () => samples.shift() as LoadSample,
    );
    for (let i = 0; i < 4; i++) await g.tick();
    expect(applied).to.deep.equal([1, 2, 3]);
    expect(changes).to.deep.equal(['2->1', '1->2', '2->3']);
  });
});
