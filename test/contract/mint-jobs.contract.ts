import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { MintJob } from '../../src/domain/archive/mint-job.js';
import type { MemoryStore } from '../../src/adapters/memory/memory-store.js';
import type { TransactionalPorts, UnitOfWork } from '../../src/ports/unit-of-work.js';
import type { PersistenceUnderTest } from './harness.js';
import { newInspection } from './inspection-ports.contract.js';
import { newUser } from './user-repository.contract.js';

const POLICY = 'ab'.repeat(28);
const assetNameOf = (inspectionId: string) => inspectionId.replace(/-/g, '');
const txHashOf = (n: number) => n.toString(16).padStart(64, '0');

/** MintQueue, MintJobStore and UtxoLeases: the same behaviour from every adapter. */
export function mintJobsContract(subject: PersistenceUnderTest): void {
  describe(`mint jobs contract: ${subject.name}`, () => {
    let p: TransactionalPorts & { uow: UnitOfWork };
    let inspectionId: string;
    let otherInspectionId: string;
    let newInspectionId: () => Promise<string>;
    const t0 = new Date('2026-01-01T00:00:00.000Z');
    const at = (s: number) => new Date(t0.getTime() + s * 1000);

    const enqueue = (id: string, now: Date, trigger: 'manual' | 'auto' = 'manual') =>
      p.uow.run((tx) =>
        tx.mintJobs.enqueue({ inspectionId: id, trigger, policyId: POLICY, assetName: assetNameOf(id) }, now),
      );
    /** Queue messages, where the adapter keeps them (memory); null for knex without a bus (only the row is written). */
    const sent = (): Array<{ mintJobId: string }> | null =>
      'store' in p ? [...(p as unknown as { store: MemoryStore }).store.state.sentMintJobs] : null;
    const codeOf = async (work: Promise<unknown>): Promise<string | undefined> => {
      try {
        await work;
      } catch (e) {
        return (e as { code?: string }).code ?? String(e);
      }
      return undefined;
    };
    const submitted = async (id: string, now: Date, n = 1) => {
      expect(
        await p.mintJobStore.markSubmitted(
          id,
          { hash: txHashOf(n), cbor: `84a4${n}`, inputs: [`${txHashOf(100 + n)}#0`] },
          now,
        ),
      ).to.equal(true);
    };

    beforeEach(async () => {
      p = await subject.create();
      const branch = await p.branches.create({ id: randomUUID(), name: 'Yogyakarta', code: 'YOG' }, t0);
      const inspector = await p.users.create(
        newUser({ role: 'INSPECTOR', branchCityId: branch.id, passwordHash: null, pinHash: 'h' }),
        t0,
      );
      newInspectionId = async () =>
        (await p.inspections.create(newInspection({ inspectorId: inspector.id, branchCityId: branch.id }), t0)).id;
      inspectionId = await newInspectionId();
      otherInspectionId = await newInspectionId();
    });

    it('enqueue writes a QUEUED job with attempts 0 (and a queue message)', async () => {
      const job = await enqueue(inspectionId, at(1), 'auto');
      expect(job).to.deep.include({
        inspectionId,
        state: 'QUEUED',
        trigger: 'auto',
        attempts: 0,
        policyId: POLICY,
        assetName: assetNameOf(inspectionId),
        pendingTxHash: null,
        pendingTxCbor: null,
        pendingInputs: [],
        txHash: null,
        assetId: null,
        metadata: null,
        confirmations: 0,
        lastError: null,
        lastErrorCode: null,
        submittedAt: null,
        confirmedAt: null,
        finishedAt: null,
      });
      expect(job.id).to.match(/^[0-9a-f-]{36}$/);
      expect(job.createdAt.toISOString()).to.equal(at(1).toISOString());
      expect(job.updatedAt.toISOString()).to.equal(at(1).toISOString());
      expect(await p.mintJobStore.find(job.id)).to.deep.equal(job);
      expect(await p.mintJobStore.find(randomUUID())).to.equal(null);
      const messages = sent();
      if (messages) expect(messages).to.deep.equal([{ mintJobId: job.id }]);
      await p.uow.run((tx) => tx.mintJobs.resend(job.id, inspectionId));
      if (messages) expect(sent()).to.deep.equal([{ mintJobId: job.id }, { mintJobId: job.id }]);
    });

    it('enqueue keeps the origin it is given (trace context, request id) through find, lists and state moves; none when none is given', async () => {
      const origin = {
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        tracestate: 'vendor=opaque',
        requestId: 'approve-0001',
      };
      const job = await p.uow.run((tx) =>
        tx.mintJobs.enqueue(
          { inspectionId, trigger: 'auto', policyId: POLICY, assetName: assetNameOf(inspectionId), origin },
          at(1),
        ),
      );
      expect(job.origin).to.deep.equal(origin);
      expect((await p.mintJobStore.find(job.id))?.origin).to.deep.equal(origin);
      expect((await p.mintJobStore.latestForInspection(inspectionId))?.origin).to.deep.equal(origin);
      await submitted(job.id, at(2));
      expect((await p.mintJobStore.listSubmitted(10)).map((j) => j.origin)).to.deep.equal([origin]);
      expect(
        await p.mintJobStore.confirm(job.id, { txHash: txHashOf(1), assetId: 'x', confirmations: 3 }, at(3)),
      ).to.equal(true);
      expect((await p.mintJobStore.confirmedFor([inspectionId]))[0]?.origin).to.deep.equal(origin);

      // Only a request id (tracing off); and none at all (a job created outside any request).
      const partial = await p.uow.run((tx) =>
        tx.mintJobs.enqueue(
          {
            inspectionId: otherInspectionId,
            trigger: 'manual',
            policyId: POLICY,
            assetName: assetNameOf(otherInspectionId),
            origin: { requestId: 'approve-0002' },
          },
          at(4),
        ),
      );
      expect((await p.mintJobStore.find(partial.id))?.origin).to.deep.equal({ requestId: 'approve-0002' });
      const third = await newInspectionId();
      const none = await enqueue(third, at(5));
      expect(none.origin).to.equal(undefined);
      expect((await p.mintJobStore.find(none.id))?.origin).to.equal(undefined);
    });

    it('a second enqueue while a job is active is ARCHIVE.ALREADY_IN_PROGRESS and writes nothing; after FAILED a new one works', async () => {
      const first = await enqueue(inspectionId, at(1));
      expect(await codeOf(enqueue(inspectionId, at(2)))).to.equal('ARCHIVE.ALREADY_IN_PROGRESS');
      await submitted(first.id, at(3));
      expect(await codeOf(enqueue(inspectionId, at(4))), 'SUBMITTED is active too').to.equal(
        'ARCHIVE.ALREADY_IN_PROGRESS',
      );
      expect(
        (await p.mintJobStore.list({ inspectionId }, { page: 1, pageSize: 10 })).items.map((j) => j.id),
      ).to.deep.equal([first.id]);
      if (sent()) expect(sent()).to.deep.equal([{ mintJobId: first.id }]);
      // The refusal does not break the caller's transaction (a failed INSERT would abort it in PostgreSQL).
      const after = await p.uow.run(async (tx) => {
        const code = await codeOf(
          tx.mintJobs.enqueue({ inspectionId, trigger: 'manual', policyId: POLICY, assetName: 'x' }, at(5)),
        );
        const other = await tx.mintJobs.enqueue(
          { inspectionId: otherInspectionId, trigger: 'manual', policyId: POLICY, assetName: 'y' },
          at(5),
        );
        return { code, other, seen: await tx.inspections.findById(inspectionId) };
      });
      expect(after.code).to.equal('ARCHIVE.ALREADY_IN_PROGRESS');
      expect(after.seen?.id).to.equal(inspectionId);
      expect((await p.mintJobStore.find(after.other.id))?.state).to.equal('QUEUED');

      expect(await p.mintJobStore.fail(first.id, { code: 'CHAIN.REJECTED', message: 'bad' }, true, at(6))).to.equal(
        true,
      );
      const second = await enqueue(inspectionId, at(7));
      expect(second).to.deep.include({ state: 'QUEUED', attempts: 0, lastError: null });
      expect(second.id).to.not.equal(first.id);
      expect((await p.mintJobStore.list({ inspectionId }, { page: 1, pageSize: 10 })).total).to.equal(2);
    });

    it('a rolled back unit of work that enqueued leaves no job and no message', async () => {
      const code = await codeOf(
        p.uow.run(async (tx) => {
          await tx.mintJobs.enqueue(
            { inspectionId, trigger: 'manual', policyId: POLICY, assetName: assetNameOf(inspectionId) },
            at(1),
          );
          await tx.inspections.update(inspectionId, { status: 'ARCHIVING' }, at(1));
          throw Object.assign(new Error('boom'), { code: 'BOOM' });
        }),
      );
      expect(code).to.equal('BOOM');
      expect((await p.mintJobStore.list({}, { page: 1, pageSize: 10 })).total).to.equal(0);
      expect(await p.mintJobStore.latestForInspection(inspectionId)).to.equal(null);
      expect((await p.inspections.findById(inspectionId))?.status).to.equal('NEED_REVIEW');
      if (sent()) expect(sent()).to.deep.equal([]);
      expect((await enqueue(inspectionId, at(2))).state, 'nothing left blocks a new job').to.equal('QUEUED');
    });

    it('startAttempt counts attempts only while QUEUED; saveMetadata only while QUEUED', async () => {
      const job = await enqueue(inspectionId, at(1));
      expect(await p.mintJobStore.startAttempt(job.id, at(2))).to.deep.include({ state: 'QUEUED', attempts: 1 });
      const second = await p.mintJobStore.startAttempt(job.id, at(3));
      expect(second).to.deep.include({ attempts: 2 });
      expect(second?.updatedAt.toISOString()).to.equal(at(3).toISOString());
      const metadata = {
        '721': { [POLICY]: { name: 'CAR-dano', files: [{ src: 'ipfs://bafy', mediaType: 'application/pdf' }] } },
      };
      await p.mintJobStore.saveMetadata(job.id, metadata, at(4));
      expect((await p.mintJobStore.find(job.id))?.metadata).to.deep.equal(metadata);
      await submitted(job.id, at(5));
      expect(await p.mintJobStore.startAttempt(job.id, at(6)), 'not QUEUED').to.equal(null);
      await p.mintJobStore.saveMetadata(job.id, { other: true }, at(6));
      expect(await p.mintJobStore.find(job.id)).to.deep.include({ attempts: 2, metadata });
      expect(await p.mintJobStore.startAttempt(randomUUID(), at(6))).to.equal(null);
    });

    it('markSubmitted only from QUEUED, storing hash, CBOR, inputs and submittedAt', async () => {
      const job = await enqueue(inspectionId, at(1));
      const inputs = [`${txHashOf(7)}#0`, `${txHashOf(8)}#3`];
      expect(await p.mintJobStore.markSubmitted(job.id, { hash: txHashOf(1), cbor: '84a400', inputs }, at(2))).to.equal(
        true,
      );
      const s = (await p.mintJobStore.find(job.id)) as MintJob;
      expect(s).to.deep.include({
        state: 'SUBMITTED',
        pendingTxHash: txHashOf(1),
        pendingTxCbor: '84a400',
        pendingInputs: inputs,
        txHash: null,
        assetId: null,
      });
      expect(s.submittedAt?.toISOString()).to.equal(at(2).toISOString());
      expect(s.updatedAt.toISOString()).to.equal(at(2).toISOString());
      expect(
        await p.mintJobStore.markSubmitted(job.id, { hash: txHashOf(2), cbor: 'ff', inputs: [] }, at(3)),
        'already SUBMITTED',
      ).to.equal(false);
      expect((await p.mintJobStore.find(job.id))?.pendingTxHash).to.equal(txHashOf(1));
      expect(
        await p.mintJobStore.markSubmitted(randomUUID(), { hash: txHashOf(2), cbor: 'ff', inputs: [] }, at(3)),
      ).to.equal(false);
      // An adopted mint: no CBOR, no inputs.
      const other = await enqueue(otherInspectionId, at(4));
      expect(
        await p.mintJobStore.markSubmitted(other.id, { hash: txHashOf(3), cbor: null, inputs: [] }, at(5)),
      ).to.equal(true);
      expect(await p.mintJobStore.find(other.id)).to.deep.include({
        state: 'SUBMITTED',
        pendingTxHash: txHashOf(3),
        pendingTxCbor: null,
        pendingInputs: [],
      });
    });

    it('confirm only from SUBMITTED: txHash, assetId, confirmations, confirmedAt and finishedAt', async () => {
      const job = await enqueue(inspectionId, at(1));
      const assetId = `${POLICY}${job.assetName}`;
      expect(
        await p.mintJobStore.confirm(job.id, { txHash: txHashOf(1), assetId, confirmations: 3 }, at(2)),
        'still QUEUED',
      ).to.equal(false);
      await submitted(job.id, at(3));
      await p.mintJobStore.saveConfirmations(job.id, 1, at(4));
      expect((await p.mintJobStore.find(job.id))?.confirmations).to.equal(1);
      expect(await p.mintJobStore.confirm(job.id, { txHash: txHashOf(1), assetId, confirmations: 3 }, at(5))).to.equal(
        true,
      );
      const c = (await p.mintJobStore.find(job.id)) as MintJob;
      expect(c).to.deep.include({
        state: 'CONFIRMED',
        txHash: txHashOf(1),
        assetId,
        confirmations: 3,
        pendingTxHash: txHashOf(1),
      });
      expect([c.confirmedAt, c.finishedAt, c.updatedAt].map((d) => d?.toISOString())).to.deep.equal(
        [at(5), at(5), at(5)].map((d) => d.toISOString()),
      );
      expect(
        await p.mintJobStore.confirm(job.id, { txHash: txHashOf(9), assetId, confirmations: 9 }, at(6)),
        'already CONFIRMED',
      ).to.equal(false);
      await p.mintJobStore.saveConfirmations(job.id, 50, at(6));
      expect(await p.mintJobStore.find(job.id)).to.deep.include({ txHash: txHashOf(1), confirmations: 3 });
      expect(await p.mintJobStore.requeue(job.id, null, at(7))).to.equal(false);
      expect(await p.mintJobStore.fail(job.id, { code: 'X', message: 'x' }, true, at(7))).to.equal(false);
      expect((await p.mintJobStore.find(job.id))?.state).to.equal('CONFIRMED');
    });

    it('never two CONFIRMED jobs for one asset', async () => {
      const a = await enqueue(inspectionId, at(1));
      const b = await enqueue(otherInspectionId, at(1));
      await submitted(a.id, at(2), 1);
      await submitted(b.id, at(2), 2);
      const assetId = `${POLICY}${a.assetName}`;
      expect(await p.mintJobStore.confirm(a.id, { txHash: txHashOf(1), assetId, confirmations: 3 }, at(3))).to.equal(
        true,
      );
      expect(
        await codeOf(p.mintJobStore.confirm(b.id, { txHash: txHashOf(2), assetId, confirmations: 3 }, at(3))),
      ).to.not.equal(undefined);
      expect((await p.mintJobStore.find(b.id))?.state).to.equal('SUBMITTED');
    });

    it('requeue SUBMITTED -> QUEUED keeps the pending transaction and records the error', async () => {
      const job = await enqueue(inspectionId, at(1));
      expect(
        await p.mintJobStore.requeue(job.id, { code: 'CHAIN.TX_VANISHED', message: 'gone' }, at(2)),
        'not SUBMITTED',
      ).to.equal(false);
      await submitted(job.id, at(3));
      await p.mintJobStore.saveConfirmations(job.id, 2, at(4));
      expect(
        await p.mintJobStore.requeue(job.id, { code: 'CHAIN.TX_VANISHED', message: 'rolled back' }, at(5)),
      ).to.equal(true);
      const q = (await p.mintJobStore.find(job.id)) as MintJob;
      expect(q).to.deep.include({
        state: 'QUEUED',
        pendingTxHash: txHashOf(1),
        pendingTxCbor: '84a41',
        pendingInputs: [`${txHashOf(101)}#0`],
        lastErrorCode: 'CHAIN.TX_VANISHED',
        lastError: 'rolled back',
        confirmations: 0,
        finishedAt: null,
      });
      expect(q.updatedAt.toISOString()).to.equal(at(5).toISOString());
      expect(await p.mintJobStore.requeue(job.id, null, at(6)), 'already QUEUED').to.equal(false);
      expect(await p.mintJobStore.startAttempt(job.id, at(7))).to.deep.include({ attempts: 1 });
      await submitted(job.id, at(8), 2);
      expect(await p.mintJobStore.requeue(job.id, null, at(9))).to.equal(true);
      expect(await p.mintJobStore.find(job.id)).to.deep.include({
        state: 'QUEUED',
        pendingTxHash: txHashOf(2),
        lastErrorCode: 'CHAIN.TX_VANISHED',
      });
    });

    it('fail records the error and keeps the state unless final; final is FAILED with finishedAt', async () => {
      const job = await enqueue(inspectionId, at(1));
      expect(await p.mintJobStore.fail(job.id, { code: 'CHAIN.UNAVAILABLE', message: 'down' }, false, at(2))).to.equal(
        true,
      );
      expect(await p.mintJobStore.find(job.id)).to.deep.include({
        state: 'QUEUED',
        lastErrorCode: 'CHAIN.UNAVAILABLE',
        lastError: 'down',
        finishedAt: null,
      });
      await submitted(job.id, at(3));
      expect(await p.mintJobStore.fail(job.id, { code: 'CHAIN.TIMEOUT', message: 'slow' }, false, at(4))).to.equal(
        true,
      );
      expect(await p.mintJobStore.find(job.id)).to.deep.include({ state: 'SUBMITTED', lastErrorCode: 'CHAIN.TIMEOUT' });
      expect(
        await p.mintJobStore.fail(job.id, { code: 'CHAIN.REJECTED', message: 'x'.repeat(3000) }, true, at(5)),
      ).to.equal(true);
      const f = (await p.mintJobStore.find(job.id)) as MintJob;
      expect(f).to.deep.include({ state: 'FAILED', lastErrorCode: 'CHAIN.REJECTED', pendingTxHash: txHashOf(1) });
      expect(f.lastError?.length).to.equal(2000);
      expect(f.finishedAt?.toISOString()).to.equal(at(5).toISOString());
      expect(
        await p.mintJobStore.fail(job.id, { code: 'AGAIN', message: 'again' }, true, at(6)),
        'already FAILED',
      ).to.equal(false);
      expect(await p.mintJobStore.fail(job.id, { code: 'AGAIN', message: 'again' }, false, at(6))).to.equal(false);
      expect(await p.mintJobStore.startAttempt(job.id, at(6))).to.equal(null);
      expect(await p.mintJobStore.markSubmitted(job.id, { hash: txHashOf(2), cbor: null, inputs: [] }, at(6))).to.equal(
        false,
      );
      expect(await p.mintJobStore.find(job.id)).to.deep.include({ state: 'FAILED', lastErrorCode: 'CHAIN.REJECTED' });
      expect(await p.mintJobStore.fail(randomUUID(), { code: 'X', message: 'x' }, true, at(6))).to.equal(false);
    });

    it('lists by state and inspection, newest first, paged; listSubmitted oldest submission first; latest and confirmed per inspection', async () => {
      const third = await newInspectionId();
      const a = await enqueue(inspectionId, at(1));
      const b = await enqueue(otherInspectionId, at(2));
      const c = await enqueue(third, at(3));
      await submitted(c.id, at(4), 3);
      await submitted(a.id, at(5), 1);
      await submitted(b.id, at(6), 2);
      expect((await p.mintJobStore.listSubmitted(10)).map((j) => j.id)).to.deep.equal([c.id, a.id, b.id]);
      expect((await p.mintJobStore.listSubmitted(2)).map((j) => j.id)).to.deep.equal([c.id, a.id]);
      await p.mintJobStore.fail(a.id, { code: 'CHAIN.REJECTED', message: 'no' }, true, at(7));
      const a2 = await enqueue(inspectionId, at(8));
      await p.mintJobStore.confirm(
        b.id,
        { txHash: txHashOf(2), assetId: `${POLICY}${b.assetName}`, confirmations: 3 },
        at(9),
      );
      expect((await p.mintJobStore.listSubmitted(10)).map((j) => j.id)).to.deep.equal([c.id]);

      const ids = async (f: Parameters<typeof p.mintJobStore.list>[0], page = 1, pageSize = 10) =>
        (await p.mintJobStore.list(f, { page, pageSize })).items.map((j) => j.id);
      expect(await ids({})).to.deep.equal([a2.id, c.id, b.id, a.id]);
      expect(await ids({ state: ['FAILED', 'CONFIRMED'] })).to.deep.equal([b.id, a.id]);
      expect(await ids({ inspectionId })).to.deep.equal([a2.id, a.id]);
      expect(await ids({ inspectionId, state: ['QUEUED'] })).to.deep.equal([a2.id]);
      expect(await ids({ state: [] }), 'an empty state list does not filter').to.have.length(4);
      expect(await ids({ inspectionId: randomUUID() })).to.deep.equal([]);
      const page = await p.mintJobStore.list({}, { page: 2, pageSize: 3 });
      expect(page).to.deep.include({ page: 2, pageSize: 3, total: 4 });
      expect(page.items.map((j) => j.id)).to.deep.equal([a.id]);

      expect((await p.mintJobStore.latestForInspection(inspectionId))?.id).to.equal(a2.id);
      expect((await p.mintJobStore.latestForInspection(otherInspectionId))?.state).to.equal('CONFIRMED');
      expect(await p.mintJobStore.latestForInspection(randomUUID())).to.equal(null);

      expect(
        (await p.mintJobStore.confirmedFor([inspectionId, otherInspectionId, third])).map((j) => j.id),
      ).to.deep.equal([b.id]);
      expect(await p.mintJobStore.confirmedFor([inspectionId])).to.deep.equal([]);
      expect(await p.mintJobStore.confirmedFor([])).to.deep.equal([]);
    });

    it('stats: counts by state, failures by code, oldest QUEUED and SUBMITTED ages', async () => {
      const empty = await p.mintJobStore.stats(at(0));
      expect(empty).to.deep.equal({
        byState: {},
        oldestQueuedAgeSeconds: null,
        oldestSubmittedAgeSeconds: null,
        failedByCode: {},
        maxMintsPerBlock: null,
      });
      const i3 = await newInspectionId();
      const i4 = await newInspectionId();
      const i5 = await newInspectionId();
      const q1 = await enqueue(inspectionId, at(10));
      await enqueue(otherInspectionId, at(20));
      const s1 = await enqueue(i3, at(5));
      await submitted(s1.id, at(30));
      const f1 = await enqueue(i4, at(1));
      await p.mintJobStore.fail(f1.id, { code: 'CHAIN.REJECTED', message: 'no' }, true, at(2));
      const f2 = await enqueue(i4, at(3));
      await p.mintJobStore.fail(f2.id, { code: 'CHAIN.REJECTED', message: 'no' }, true, at(4));
      const f3 = await enqueue(i5, at(3));
      await p.mintJobStore.fail(f3.id, { code: 'CHAIN.INSUFFICIENT_FUNDS', message: 'poor' }, true, at(4));
      const stats = await p.mintJobStore.stats(at(100));
      expect(stats).to.deep.equal({
        byState: { QUEUED: 2, SUBMITTED: 1, FAILED: 3 },
        oldestQueuedAgeSeconds: 90,
        oldestSubmittedAgeSeconds: 70,
        failedByCode: { 'CHAIN.REJECTED': 2, 'CHAIN.INSUFFICIENT_FUNDS': 1 },
        maxMintsPerBlock: null,
      });
      expect((await p.mintJobStore.stats(at(0))).oldestQueuedAgeSeconds, 'never negative').to.equal(0);
      expect(q1.state).to.equal('QUEUED');
    });

    describe('UTxO leases', () => {
      const refs = Array.from({ length: 8 }, (_, i) => `${txHashOf(500 + i)}#${i % 3}`);
      const r = (...idx: number[]) => idx.map((i) => refs[i] as string);
      const jobA = randomUUID();
      const jobB = randomUUID();
      const jobC = randomUUID();
      const sorted = (s: Iterable<string>) => [...s].sort();

      it('two jobs never share a ref; a job re-leasing its own refs gets them; max is respected', async () => {
        expect(await p.utxoLeases.lease(r(0, 1, 2), jobA, at(60), at(0), 10)).to.deep.equal(r(0, 1, 2));
        expect(await p.utxoLeases.lease(r(1, 2, 3, 4), jobB, at(60), at(1), 10)).to.deep.equal(r(3, 4));
        expect(await p.utxoLeases.lease(r(0, 1, 2, 3, 4), jobC, at(60), at(2), 10)).to.deep.equal([]);
        expect(await p.utxoLeases.lease(r(2, 3, 0), jobA, at(90), at(3), 10), 'own refs again, not B’s').to.deep.equal(
          r(2, 0),
        );
        expect(await p.utxoLeases.lease(r(4, 5, 6, 7), jobC, at(60), at(4), 2), 'stops at max').to.deep.equal(r(5, 6));
        expect(await p.utxoLeases.lease(r(7), jobC, at(60), at(4), 0)).to.deep.equal([]);
        expect(
          await p.utxoLeases.lease(r(7, 7), jobC, at(60), at(4), 5),
          'a ref listed twice counts once',
        ).to.deep.equal(r(7));
        expect(sorted(await p.utxoLeases.leased(at(5)))).to.deep.equal(sorted(refs));
        expect(await p.utxoLeases.lease([], jobC, at(60), at(4), 5)).to.deep.equal([]);
      });

      it('an expired lease can be taken by another job, and leased() leaves it out', async () => {
        await p.utxoLeases.lease(r(0, 1), jobA, at(60), at(0), 10);
        await p.utxoLeases.lease(r(0, 1), jobA, at(120), at(1), 1); // extends r0 only
        expect(sorted(await p.utxoLeases.leased(at(59)))).to.deep.equal(sorted(r(0, 1)));
        expect(sorted(await p.utxoLeases.leased(at(60))), 'expired at its end').to.deep.equal(r(0));
        expect(await p.utxoLeases.lease(r(0, 1), jobB, at(200), at(59), 10), 'nothing expired yet').to.deep.equal([]);
        expect(await p.utxoLeases.lease(r(0, 1), jobB, at(200), at(60), 10)).to.deep.equal(r(1));
        expect(await p.utxoLeases.lease(r(0, 1), jobA, at(300), at(61), 10), 'A lost r1 to B').to.deep.equal(r(0));
        expect(await p.utxoLeases.lease(r(0, 1), jobC, at(400), at(300), 10), 'both expired').to.deep.equal(r(0, 1));
        expect(sorted(await p.utxoLeases.leased(at(300)))).to.deep.equal(sorted(r(0, 1)));
        expect(sorted(await p.utxoLeases.leased(at(400)))).to.deep.equal([]);
      });

      it('release gives back all or some of what a job holds, never another job’s', async () => {
        await p.utxoLeases.lease(r(0, 1, 2), jobA, at(60), at(0), 10);
        await p.utxoLeases.lease(r(3, 4), jobB, at(60), at(0), 10);
        await p.utxoLeases.release(jobA, r(1, 3));
        expect(sorted(await p.utxoLeases.leased(at(1)))).to.deep.equal(sorted(r(0, 2, 3, 4)));
        await p.utxoLeases.release(jobA, []);
        expect((await p.utxoLeases.leased(at(1))).size).to.equal(4);
        expect(await p.utxoLeases.lease(r(1, 3), jobC, at(60), at(1), 10), 'released r1 is free').to.deep.equal(r(1));
        await p.utxoLeases.release(jobA);
        expect(sorted(await p.utxoLeases.leased(at(1)))).to.deep.equal(sorted(r(1, 3, 4)));
        expect(await p.utxoLeases.lease(r(0, 2), jobB, at(60), at(1), 10)).to.deep.equal(r(0, 2));
        await p.utxoLeases.release(randomUUID());
        expect((await p.utxoLeases.leased(at(1))).size).to.equal(5);
      });

      it('leases roll back with the unit of work', async () => {
        const code = await codeOf(
          p.uow.run(async (tx) => {
            await tx.utxoLeases.lease(r(0), jobA, at(60), at(0), 1);
            throw Object.assign(new Error('boom'), { code: 'BOOM' });
          }),
        );
        expect(code).to.equal('BOOM');
        expect(await p.utxoLeases.leased(at(0))).to.deep.equal(new Set());
        expect(await p.utxoLeases.lease(r(0), jobB, at(60), at(0), 1)).to.deep.equal(r(0));
      });

      if (subject.name !== 'memory') {
        it('concurrently: 10 jobs leasing the same 5 refs never share one', async () => {
          const five = r(0, 1, 2, 3, 4);
          const jobs = Array.from({ length: 10 }, () => randomUUID());
          // Each ref its own statement (no transaction), every job starting at a different ref.
          const results = await Promise.all(
            jobs.map((job, k) =>
              p.utxoLeases.lease([...five.slice(k % 5), ...five.slice(0, k % 5)], job, at(60), at(0), 5),
            ),
          );
          const owners = new Map<string, string[]>();
          results.forEach((got, k) =>
            got.forEach((ref) => owners.set(ref, [...(owners.get(ref) ?? []), jobs[k] as string])),
          );
          expect(sorted(owners.keys())).to.deep.equal(sorted(five));
          for (const [ref, held] of owners) expect(held, ref).to.have.length(1);
          expect(results.flat()).to.have.length(5);

          // In transactions (as the mint worker leases), one ref per job: 5 jobs get one each, 5 get none.
          for (const job of jobs) await p.utxoLeases.release(job);
          const more = Array.from({ length: 10 }, () => randomUUID());
          const one = await Promise.all(
            more.map((job) => p.uow.run((tx) => tx.utxoLeases.lease(five, job, at(60), at(0), 1))),
          );
          expect(sorted(one.flat())).to.deep.equal(sorted(five));
          expect(one.filter((g) => g.length === 1)).to.have.length(5);
          // What the store says matches what each job was told.
          for (const [k, got] of one.entries()) {
            for (const ref of got)
              expect(
                await p.utxoLeases.lease([ref], more[k] as string, at(60), at(0), 1),
                'still its own',
              ).to.deep.equal([ref]);
          }
        });
      }
    });
  });
}
