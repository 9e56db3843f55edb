/**
 * Shared set-up of the use-case unit tests: the production modules (without HTTP) on in-memory persistence, a clock
 * the test moves, the alerts kept, and object storage in a temporary directory of its own (removed after).
 */
import { expect } from 'chai';
import { Container, ContainerModule } from 'inversify';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Actor } from '../../../src/application/actor.js';
import type { IncomingFile } from '../../../src/application/photos/incoming-file.js';
import type { AuditEntry } from '../../../src/domain/audit/audit-entry.js';
import type { Inspection } from '../../../src/domain/inspection/inspection.js';
import { photoKey, type InspectionPhoto } from '../../../src/domain/inspection/photo.js';
import type { InspectionStatus } from '../../../src/domain/inspection/status.js';
import type { ReportVariant } from '../../../src/domain/inspection/report.js';
import { DomainError } from '../../../src/domain/shared/domain-error.js';
import type { Config } from '../../../src/main/config.js';
import { MemoryStore } from '../../../src/adapters/memory/memory-store.js';
import { DependencyHealth } from '../../../src/adapters/resilience/dependency-health.js';
import { createFsStorage, createUrlSigner } from '../../../src/main/storage-factory.js';
import { adapterModules, createNotifier, memoryModule } from '../../../src/main/modules/adapters/index.js';
import { featureModules } from '../../../src/main/modules/features/index.js';
import { AuditLog, type AuditFilter } from '../../../src/ports/audit-log.js';
import { Clock } from '../../../src/ports/clock.js';
import { CustomerInspectionHistory } from '../../../src/ports/customer-history.js';
import { Ipfs, type IpfsAdded } from '../../../src/ports/ipfs.js';
import type { NewInspection } from '../../../src/ports/inspection-repository.js';
import { Notifier, type Alert } from '../../../src/ports/notifier.js';
import { ObjectStorage, type PutObjectOptions, type StoredObjectInfo } from '../../../src/ports/object-storage.js';
import { UnitOfWork, type TransactionalPorts } from '../../../src/ports/unit-of-work.js';
import { Actors, type TestActor } from '../../support/actors.js';
import { testConfig } from '../../support/config.js';
import { imageBytes } from '../../support/inspections.js';
import { memoryLogger } from '../../support/logs.js';

export const NOW = new Date('2026-11-24T02:00:00.000Z');
export const DAY = 86_400_000;

/** A clock the test sets and moves. */
export class TestClock implements Clock {
  constructor(public at: Date = NOW) {}
  now(): Date {
    return new Date(this.at);
  }
  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}

export interface World {
  c: Container;
  config: Config;
  /** The in-memory IPFS node the container uses. */
  ipfs: FakeIpfs;
  /** The memory adapters' state (jobs handed to the absent bus, pending deletions...). */
  store: MemoryStore;
  clock: TestClock;
  alerts: Alert[];
  actors: Actors;
  uow: UnitOfWork;
  storage: ObjectStorage;
  /** Runs `work` in one unit of work (to arrange or inspect stored state). */
  tx<T>(work: (tx: TransactionalPorts) => Promise<T>): Promise<T>;
  /** Audit rows, oldest first. */
  audit(filter?: AuditFilter): Promise<AuditEntry[]>;
  cleanup(): void;
}

export interface WorldOptions {
  env?: Record<string, string>;
  overrides?: ContainerModule[];
  /** Wraps the filesystem storage (fault or interleaving injection). */
  storage?: (inner: ObjectStorage) => ObjectStorage;
}

/**
 * An IPFS node in memory: content-addressed by SHA-256 (fake CIDs), pins kept in a set, every call logged.
 * `failing` makes every call fail as an unreachable node would.
 */
export class FakeIpfs implements Ipfs {
  readonly driver = 'fake';
  readonly blocks = new Map<string, Buffer>();
  readonly pins = new Set<string>();
  readonly calls: string[] = [];
  failing: Error | undefined;
  /** With `failing`: only calls of this method fail (e.g. 'isPinned'). */
  failOnly: string | undefined;
  /** Overrides the CID an add answers (another CID version or chunking than when it was published). */
  addAs: string | undefined;

  static cidOf(bytes: Buffer): string {
    return `bafkfake${createHash('sha256').update(bytes).digest('hex').slice(0, 48)}`;
  }

  private check(call: string): void {
    this.calls.push(call);
    if (this.failing && (!this.failOnly || call.startsWith(`${this.failOnly} `))) throw this.failing;
  }

  async add(content: Buffer | Readable): Promise<IpfsAdded> {
    const chunks: Buffer[] = [];
    if (Buffer.isBuffer(content)) chunks.push(content);
    else for await (const c of content) chunks.push(Buffer.from(c as Buffer));
    const bytes = Buffer.concat(chunks);
    const cid = this.addAs ?? FakeIpfs.cidOf(bytes);
    this.check(`add ${cid}`);
    this.blocks.set(cid, bytes);
    this.pins.add(cid);
    return { cid, size: bytes.length };
  }

  async cat(cid: string): Promise<Readable> {
    this.check(`cat ${cid}`);
    const bytes = this.blocks.get(cid);
    if (!bytes) throw new DomainError('IPFS.NOT_FOUND', 'not_found', `no block ${cid}`);
    return Readable.from([bytes]);
  }

  async isPinned(cid: string): Promise<boolean> {
    this.check(`isPinned ${cid}`);
    return this.pins.has(cid);
  }

  async unpin(cid: string): Promise<void> {
    this.check(`unpin ${cid}`);
    this.pins.delete(cid);
  }
}

/**
 * buildContainer without its HTTP module (which parses and compiles openapi.yaml, half a second per
 * container): the same modules in the same order, memory persistence, then `overrides`.
 */
function useCaseContainer(config: Config, overrides: ContainerModule[]): Container {
  const logger = memoryLogger().logger;
  const container = new Container({ defaultScope: 'Singleton' });
  const notifier = createNotifier(config, logger);
  const health = new DependencyHealth();
  container.load(
    ...adapterModules(config, logger, notifier, health),
    memoryModule(),
    ...featureModules(),
    ...overrides,
  );
  return container;
}

/**
 * The MemoryStore behind the container's memory adapters. memoryModule() does not bind it; its history read
 * model holds it (a private field, read at run time and checked).
 */
function memoryStoreOf(c: Container): MemoryStore {
  const store = (c.get<CustomerInspectionHistory>(CustomerInspectionHistory) as unknown as { store?: unknown }).store;
  if (!(store instanceof MemoryStore))
    throw new Error('the memory history adapter no longer holds the MemoryStore: update memoryStoreOf');
  return store;
}

/** The production container on memory persistence (no knex), a test clock at NOW and a fresh storage root. */
export function world(o: WorldOptions = {}): World {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cardano-unit-'));
  const clock = new TestClock();
  const alerts: Alert[] = [];
  const ipfs = new FakeIpfs();
  const config = testConfig({
    STORAGE_FS_ROOT: path.join(root, 'objects'),
    DATA_DIR: path.join(root, 'data'),
    ...o.env,
  });
  const doubles = new ContainerModule(({ rebind }) => {
    void rebind<Clock>(Clock).toConstantValue(clock);
    void rebind<Notifier>(Notifier).toConstantValue({ notify: async (a) => void alerts.push(a) });
    void rebind<Ipfs>(Ipfs).toConstantValue(ipfs);
    const wrap = o.storage;
    if (wrap)
      void rebind<ObjectStorage>(ObjectStorage).toConstantValue(wrap(createFsStorage(config, createUrlSigner(config))));
  });
  const c = useCaseContainer(config, [doubles, ...(o.overrides ?? [])]);
  const uow = c.get<UnitOfWork>(UnitOfWork);
  return {
    c,
    config,
    ipfs,
    store: memoryStoreOf(c),
    clock,
    alerts,
    actors: new Actors(c),
    uow,
    storage: c.get<ObjectStorage>(ObjectStorage),
    tx: (work) => uow.run(work),
    audit: async (filter = {}) =>
      (await c.get<AuditLog>(AuditLog).list(filter, { page: 1, pageSize: 1000 })).items.reverse(),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

export const as = (a: TestActor): Actor => ({ userId: a.user.id, role: a.user.role });

/** The code of the DomainError a call fails with, or 'OK'. Other errors are rethrown. */
export async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
}

/** The DomainError a call fails with; asserts its code. */
export async function rejects(p: Promise<unknown>, expected: string): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    expect(e, String(e)).to.be.instanceOf(DomainError);
    expect((e as DomainError).code, (e as Error).message).to.equal(expected);
    return e as DomainError;
  }
  return expect.fail(`expected ${expected}`);
}

/** An uploaded file as the multipart adapter hands it over (first 16 bytes, SHA-256, a fresh source each time). */
export function fileOf(bytes: Buffer, originalName: string | null = 'photo.jpg'): IncomingFile {
  return {
    originalName,
    size: bytes.length,
    head: new Uint8Array(bytes.subarray(0, Math.min(16, bytes.length))),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    open: () => Buffer.from(bytes),
  };
}

/** Keys stored under a prefix. */
export const keysUnder = async (storage: ObjectStorage, prefix: string): Promise<string[]> =>
  (await storage.list(prefix)).map((o) => o.key);

/** An inspection in the given status, stored directly (the report/archive jobs' states are not walked). */
export async function storedInspection(
  w: World,
  inspector: TestActor,
  over: Partial<NewInspection> & { status?: InspectionStatus } = {},
): Promise<Inspection> {
  const { status, ...rest } = over;
  return w.tx(async (tx) => {
    const created = await tx.inspections.create(
      {
        id: randomUUID(),
        prettyId: `YOG-24112026-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`,
        inspectorId: inspector.user.id,
        branchCityId: inspector.user.branchCityId as string,
        plateNumber: 'AB 1234 CD',
        inspectionDate: '2026-11-24',
        overallRating: 8.5,
        customerUserId: null,
        customerVehicleId: null,
        identityDetails: { namaInspektor: 'Ina', namaCustomer: 'Budi Santoso' },
        vehicleData: { merekKendaraan: 'Toyota', tipeKendaraan: 'Avanza', tahun: 2019 },
        equipmentChecklist: { bukuService: true },
        inspectionSummary: {},
        detailedAssessment: { testDrive: { rem: 8 } },
        bodyPaintThickness: { front: 110 },
        notesFontSizes: {},
        ...rest,
      },
      w.clock.now(),
    );
    if (!status || status === 'NEED_REVIEW') return created;
    return (await tx.inspections.update(
      created.id,
      { status, approvedAt: w.clock.now() },
      w.clock.now(),
    )) as Inspection;
  });
}

/** Stored report PDFs of both variants (what a finished report job leaves), the public one with a CID. */
export async function storedReports(
  w: World,
  inspectionId: string,
  o: { cid?: string | null; variants?: ReportVariant[] } = {},
): Promise<void> {
  const cid = o.cid === undefined ? 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy' : o.cid;
  await w.tx(async (tx) => {
    for (const variant of o.variants ?? (['full', 'no-docs'] as ReportVariant[])) {
      await tx.reports.upsert({
        inspectionId,
        variant,
        storageDriver: w.storage.driver,
        storageKey: `reports/${inspectionId}/${variant}.pdf`,
        sha256: createHash('sha256').update(`${inspectionId}-${variant}`).digest('hex'),
        sizeBytes: 1234,
        pageCount: 3,
        htmlSha256: 'ab'.repeat(32),
        ipfsCid: variant === 'no-docs' ? cid : null,
        pdfJobId: null,
        createdAt: w.clock.now(),
      });
    }
  });
}

/** A photo of an inspection whose object is in storage (what AddPhotos leaves), with the given metadata. */
export async function storedPhoto(
  w: World,
  inspectionId: string,
  over: Partial<
    Omit<InspectionPhoto, 'createdAt' | 'updatedAt' | 'renditionKey' | 'renditionSizeBytes' | 'renditionSha256'>
  > & {
    bytes?: Buffer;
  } = {},
): Promise<InspectionPhoto> {
  const { bytes = imageBytes('jpeg', 2048, Math.floor(Math.random() * 1000)), ...meta } = over;
  const id = randomUUID();
  const key = photoKey(inspectionId, id, 'image/jpeg');
  await w.storage.put(key, bytes, { contentType: 'image/jpeg', size: bytes.length });
  return w.tx((tx) =>
    tx.photos.create(
      {
        id,
        inspectionId,
        storageKey: key,
        storageDriver: w.storage.driver,
        contentType: 'image/jpeg',
        sizeBytes: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        label: 'Front',
        category: 'EXTERIOR',
        isMandatory: false,
        needAttention: false,
        displayInPdf: true,
        isDocument: false,
        sortOrder: 0,
        originalName: 'front.jpg',
        ...meta,
      },
      w.clock.now(),
    ),
  );
}

/**
 * Both report PDFs of an inspection as a finished report job leaves them: objects in storage, rows, and the
 * public (no-docs) one added to IPFS and pinned. Returns the public report's CID.
 */
export async function publishedReports(w: World, inspectionId: string): Promise<string> {
  const pub = Buffer.from(`%PDF-1.7 public report of ${inspectionId}`);
  const cid = FakeIpfs.cidOf(pub);
  await storedReports(w, inspectionId, { cid });
  await w.storage.put(`reports/${inspectionId}/no-docs.pdf`, pub, { contentType: 'application/pdf' });
  await w.storage.put(`reports/${inspectionId}/full.pdf`, Buffer.from(`%PDF-1.7 full report of ${inspectionId}`), {
    contentType: 'application/pdf',
  });
  w.ipfs.blocks.set(cid, pub);
  w.ipfs.pins.add(cid);
  return cid;
}

/** Object storage that delegates, with hooks to run work after a put and to make deletes fail. */
export class HookedStorage implements ObjectStorage {
  afterPut: ((key: string) => Promise<void>) | undefined;
  failDeletes: Error | undefined;
  readonly deleted: string[] = [];

  constructor(private readonly inner: ObjectStorage) {}

  get driver(): string {
    return this.inner.driver;
  }

  async put(key: string, body: Buffer | Readable, options: PutObjectOptions): Promise<StoredObjectInfo> {
    const info = await this.inner.put(key, body, options);
    await this.afterPut?.(key);
    return info;
  }

  get(key: string): Promise<Readable> {
    return this.inner.get(key);
  }

  head(key: string): Promise<StoredObjectInfo | null> {
    return this.inner.head(key);
  }

  async delete(key: string): Promise<void> {
    if (this.failDeletes) throw this.failDeletes;
    await this.inner.delete(key);
    this.deleted.push(key);
  }

  signedGetUrl(key: string, expiresInSeconds: number, options?: { downloadName?: string }): Promise<string> {
    return this.inner.signedGetUrl(key, expiresInSeconds, options);
  }

  list(prefix: string): Promise<StoredObjectInfo[]> {
    return this.inner.list(prefix);
  }
}

/** A world whose object storage is a HookedStorage. */
export function hookedWorld(o: Omit<WorldOptions, 'storage'> = {}): World & { hooked: HookedStorage } {
  let hooked: HookedStorage | undefined;
  const w = world({ ...o, storage: (inner) => (hooked = new HookedStorage(inner)) });
  return { ...w, hooked: hooked as HookedStorage };
}
