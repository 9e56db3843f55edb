import { expect } from 'chai';
import { MIB, partsOf, planParts, retry, shouldUseMultipart } from '../../../src/adapters/storage/multipart.js';

describe('multipart helpers', () => {
  describe('shouldUseMultipart', () => {
    it('switches at the threshold itself, in MiB', () => {
      expect(shouldUseMultipart(100 * MIB, 100)).to.equal(true);
      expect(shouldUseMultipart(100 * MIB - 1, 100)).to.equal(false);
      expect(shouldUseMultipart(6 * MIB, 5.5)).to.equal(true);
      expect(shouldUseMultipart(0, 1)).to.equal(false);
    });

    it('refuses a threshold that is not positive', () => {
      for (const t of [0, -1, Number.NaN]) expect(() => shouldUseMultipart(1, t), String(t)).to.throw(RangeError);
    });
  });

  describe('planParts', () => {
    it('numbers parts from 1 and lets only the last be smaller', () => {
      expect(planParts(12 * MIB, 5)).to.deep.equal([
        { partNumber: 1, offset: 0, size: 5 * MIB },
        { partNumber: 2, offset: 5 * MIB, size: 5 * MIB },
        { partNumber: 3, offset: 10 * MIB, size: 2 * MIB },
      ]);
      expect(planParts(10 * MIB, 5).map((p) => p.size)).to.deep.equal([5 * MIB, 5 * MIB]);
      expect(planParts(1, 50)).to.deep.equal([{ partNumber: 1, offset: 0, size: 1 }]);
    });

    it('covers every byte exactly once, in order', () => {
      for (const size of [1, 5 * MIB - 1, 5 * MIB + 1, 123_456_789]) {
        const parts = planParts(size, 5);
        expect(
          parts.reduce((sum, p) => sum + p.size, 0),
          String(size),
        ).to.equal(size);
        parts.forEach((p, i) => {
          expect(p.partNumber).to.equal(i + 1);
          expect(p.offset).to.equal(i === 0 ? 0 : parts[i - 1]!.offset + parts[i - 1]!.size);
        });
      }
    });

    it('enforces the 5 MiB minimum part size, a positive size and the 10,000-part ceiling', () => {
      expect(() => planParts(10 * MIB, 4)).to.throw(RangeError, /at least 5 MiB/);
      expect(() => planParts(0, 5)).to.throw(RangeError);
      expect(() => planParts(1.5, 5)).to.throw(RangeError);
      expect(() => planParts(10_001 * 5 * MIB, 5)).to.throw(RangeError, /10000/);
      expect(planParts(10_000 * 5 * MIB, 5)).to.have.length(10_000);
    });
  });

  describe('partsOf', () => {
    const collect = async (source: AsyncIterable<Buffer> | Iterable<Buffer>, size: number) => {
      const out: Buffer[] = [];
      for await (const p of partsOf(source, size)) out.push(p);
      return out;
    };

    it('regroups chunks of any size into exact parts with a shorter last one', async () => {
      const bytes = Buffer.from(Array.from({ length: 23 }, (_, i) => i));
      const chunks = [bytes.subarray(0, 3), bytes.subarray(3, 4), bytes.subarray(4, 17), bytes.subarray(17)];
      const parts = await collect(chunks, 5);
      expect(parts.map((p) => p.length)).to.deep.equal([5, 5, 5, 5, 3]);
      expect(Buffer.concat(parts).equals(bytes)).to.equal(true);
    });

    it('yields nothing for an empty source and no empty trailing part for an exact multiple', async () => {
      expect(await collect([], 4)).to.deep.equal([]);
      expect((await collect([Buffer.alloc(8)], 4)).map((p) => p.length)).to.deep.equal([4, 4]);
    });

    it('passes a source error through', async () => {
      const boom = new Error('boom');
      const failing = (async function* () {
        yield Buffer.alloc(3);
        throw boom;
      })();
      try {
        await collect(failing, 2);
        expect.fail('should have thrown');
      } catch (e) {
        expect(e).to.equal(boom);
      }
    });
  });

  describe('retry', () => {
    const noSleep = { sleep: async () => undefined };

    it('returns the first success, passing the attempt number', async () => {
      const seen: number[] = [];
      const result = await retry(
        async (attempt) => {
          seen.push(attempt);
          if (attempt < 3) throw new Error(`fail ${attempt}`);
          return 'done';
        },
        { attempts: 3, baseMs: 10, ...noSleep },
      );
      expect(result).to.equal('done');
      expect(seen).to.deep.equal([1, 2, 3]);
    });

    it('rethrows the last error after the last attempt', async () => {
      let calls = 0;
      try {
        await retry(
          async () => {
            calls += 1;
            throw new Error(`fail ${calls}`);
          },
          { attempts: 4, baseMs: 1, ...noSleep },
        );
        expect.fail('should have thrown');
      } catch (e) {
        expect((e as Error).message).to.equal('fail 4');
      }
      expect(calls).to.equal(4);
    });

    it('backs off exponentially with jitter between half and all of each step', async () => {
      const delays = async (random: () => number) => {
        const slept: number[] = [];
        await retry(async () => Promise.reject(new Error('x')), {
          attempts: 4,
          baseMs: 100,
          random,
          sleep: async (ms) => void slept.push(ms),
        }).catch(() => undefined);
        return slept;
      };
      expect(await delays(() => 0)).to.deep.equal([50, 100, 200]);
      expect(await delays(() => 0.999999)).to.deep.equal([100, 200, 400]);
      expect(await delays(() => 0.5)).to.deep.equal([75, 150, 300]);
    });

    it('stops at once when shouldRetry says so, and reports each retry', async () => {
      const retried: Array<[number, number]> = [];
      let calls = 0;
      const permanent = Object.assign(new Error('denied'), { code: 'AccessDenied' });
      const err = await retry(
        async () => {
          calls += 1;
          throw calls === 1 ? new Error('transient') : permanent;
        },
        {
          attempts: 5,
          baseMs: 8,
          random: () => 0,
          ...noSleep,
          shouldRetry: (e) => (e as { code?: string }).code !== 'AccessDenied',
          onRetry: (_e, attempt, delay) => retried.push([attempt, delay]),
        },
      ).catch((e: unknown) => e);
      expect(err).to.equal(permanent);
      expect(calls).to.equal(2);
      expect(retried).to.deep.equal([[1, 4]]);
    });

    it('refuses fewer than one attempt', async () => {
      const err = await retry(async () => 1, { attempts: 0, baseMs: 1 }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(RangeError);
    });
  });
});
