import { expect } from 'chai';
import { BacklogMonitor } from '../../../src/adapters/queue/backlog-monitor.js';
import { DependencyHealth } from '../../../src/adapters/resilience/dependency-health.js';
import type { Alert } from '../../../src/ports/notifier.js';

describe('queue backlog alert and dependency health', () => {
  it('alerts only after the depth stayed above the limit for the configured time', async () => {
    const alerts: Alert[] = [];
    let now = 0;
    const depths = [5, 20, 20, 20, 3, 20, 20];
    const m = new BacklogMonitor(
      'report-render',
      async () => depths.shift() as number,
      { maxDepth: 10, forMs: 120_000 },
      { notify: async (a) => void alerts.push(a) },
      () => now,
    );
    const step = async (t: number) => {
      now = t;
      return m.tick();
    };
    expect(await step(0)).to.equal(false);
    expect(await step(60_000)).to.equal(false);
    expect(await step(120_000)).to.equal(false);
    expect(await step(180_000)).to.equal(true);
    expect(await step(240_000), 'the backlog cleared: the clock starts again').to.equal(false);
    expect(await step(300_000)).to.equal(false);
    expect(await step(360_000)).to.equal(false);
    expect(alerts).to.have.length(1);
    expect(alerts[0]).to.include({ kind: 'QUEUE_BACKLOG', key: 'report-render' });
    expect(alerts[0]?.details).to.deep.equal({ queue: 'report-render', depth: 20, limit: 10 });
  });

  it('pauses on open, lets one trial through while half-open (else it would never close), resumes on closed', () => {
    const h = new DependencyHealth();
    let changes = 0;
    h.onChange(() => changes++);
    h.report('storage', 'open');
    expect(h.anyOpen(['storage', 'ipfs'])).to.equal(true);
    expect(h.onTrial(['storage'])).to.equal(false);
    h.report('storage', 'half-open');
    expect(h.anyOpen(['storage'])).to.equal(false);
    expect(h.onTrial(['storage', 'ipfs'])).to.equal(true);
    expect(h.onTrial(['ipfs'])).to.equal(false);
    expect(h.openOnes()).to.deep.equal(['storage']);
    // Another dependency open outranks the trial: nothing runs.
    h.report('ipfs', 'open');
    expect(h.onTrial(['storage', 'ipfs'])).to.equal(false);
    h.report('ipfs', 'closed');
    h.report('storage', 'closed');
    expect(h.anyOpen(['storage'])).to.equal(false);
    expect(h.onTrial(['storage'])).to.equal(false);
    expect(h.openOnes()).to.deep.equal([]);
    // A repeated report of the same state is no change.
    h.report('storage', 'closed');
    expect(changes).to.equal(5);
  });
});
