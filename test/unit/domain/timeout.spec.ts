import { expect } from 'chai';
import { DomainError } from '../../../src/domain/shared/domain-error.js';
import { withTimeout } from '../../../src/domain/shared/timeout.js';

describe('stage timeouts', () => {
  it('passes the result through when the work finishes in time', async () => {
    expect(await withTimeout(Promise.resolve(42), 1000, 'X.TIMEOUT', 'work')).to.equal(42);
  });

  it('rejects with a retryable domain error when the work hangs', async () => {
    const hang = new Promise<never>(() => undefined);
    try {
      await withTimeout(hang, 20, 'STORAGE.TIMEOUT', 'uploading reports/a.pdf');
      expect.fail('should time out');
    } catch (e) {
      expect(e).to.be.instanceOf(DomainError);
      expect(e).to.include({ code: 'STORAGE.TIMEOUT', kind: 'unavailable' });
      expect((e as Error).message).to.contain('uploading reports/a.pdf');
    }
  });

  it("keeps the work's own error", async () => {
    try {
      await withTimeout(Promise.reject(new Error('boom')), 1000, 'X.TIMEOUT', 'work');
      expect.fail('should reject');
    } catch (e) {
      expect((e as Error).message).to.equal('boom');
    }
  });
});
