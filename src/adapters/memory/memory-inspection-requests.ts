import type {
  CustomerInspectionRequest,
  RequestPaymentStatus,
  RequestStatusChange,
} from '../../domain/customer/inspection-request.js';
import type { OwnedPhoto } from '../../domain/customer/vehicle.js';
import { offsetOf, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type {
  InspectionRequestFilter,
  InspectionRequestPatch,
  InspectionRequestRepository,
  NewInspectionRequest,
} from '../../ports/inspection-requests.js';
import type { MemoryStore } from './memory-store.js';

const clone = <T>(v: T): T => structuredClone(v);

/** In-memory InspectionRequestRepository; pinned to the knex adapter by the same contract suite. */
export class MemoryInspectionRequestRepository implements InspectionRequestRepository {
  constructor(private readonly store: MemoryStore) {}

  private get map(): Map<string, CustomerInspectionRequest> {
    return this.store.state.inspectionRequests;
  }

  async findById(id: string): Promise<CustomerInspectionRequest | null> {
    const r = this.map.get(id);
    return r ? clone(r) : null;
  }

  findByIdForUpdate(id: string): Promise<CustomerInspectionRequest | null> {
    return this.findById(id);
  }

  setPaymentStatus(id: string, status: RequestPaymentStatus, now: Date): Promise<CustomerInspectionRequest | null> {
    return this.update(id, { paymentStatus: status }, now);
  }

  async inspectionIdsOf(customerId: string): Promise<string[]> {
    return [...this.map.values()]
      .filter((r) => r.customerId === customerId && r.inspectionId)
      .map((r) => r.inspectionId as string);
  }

  async create(r: NewInspectionRequest, now: Date): Promise<CustomerInspectionRequest> {
    if (this.map.has(r.id)) throw new Error(`duplicate request id ${r.id}`);
    const created: CustomerInspectionRequest = {
      ...clone(r),
      status: 'NOT_STARTED',
      assigneeId: null,
      paymentStatus: 'UNPAID',
      paymentWaiverReason: null,
      inspectionId: null,
      createdAt: now,
      updatedAt: now,
    };
    this.map.set(r.id, created);
    return clone(created);
  }

  async update(id: string, patch: InspectionRequestPatch, now: Date): Promise<CustomerInspectionRequest | null> {
    const r = this.map.get(id);
    if (!r) return null;
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const next: CustomerInspectionRequest = { ...r, ...defined, updatedAt: now };
    if (next.status === 'DONE' && !next.inspectionId) throw new Error('customer_requests_done_needs_inspection');
    this.map.set(id, next);
    return clone(next);
  }

  async list(f: InspectionRequestFilter, page: PageRequest): Promise<Page<CustomerInspectionRequest>> {
    const all = [...this.map.values()]
      .filter((r) => !f.customerId || r.customerId === f.customerId)
      .filter((r) => !f.status?.length || f.status.includes(r.status))
      .filter((r) => !f.assigneeId || r.assigneeId === f.assigneeId)
      .filter((r) => !f.vehicleClass?.length || f.vehicleClass.includes(r.vehicleClass))
      .filter((r) => !f.paymentStatus?.length || f.paymentStatus.includes(r.paymentStatus))
      .filter((r) => !f.scheduleFrom || r.preferredSchedule.getTime() >= (f.scheduleFrom as Date).getTime())
      .filter((r) => !f.scheduleTo || r.preferredSchedule.getTime() < (f.scheduleTo as Date).getTime())
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? -1 : 1));
    const start = offsetOf(page);
    return {
      items: all.slice(start, start + page.pageSize).map(clone),
      page: page.page,
      pageSize: page.pageSize,
      total: all.length,
    };
  }

  async findByInspectionId(inspectionId: string): Promise<CustomerInspectionRequest | null> {
    const r = [...this.map.values()].find((x) => x.inspectionId === inspectionId);
    return r ? clone(r) : null;
  }

  async recordStatusChange(change: RequestStatusChange): Promise<void> {
    this.store.state.requestStatusHistory.push(clone(change));
  }

  async statusHistory(requestId: string): Promise<RequestStatusChange[]> {
    return this.store.state.requestStatusHistory
      .filter((c) => c.requestId === requestId)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1))
      .map(clone);
  }

  async addPhoto(photo: OwnedPhoto): Promise<OwnedPhoto> {
    if (!this.map.has(photo.ownerId)) throw new Error(`no request ${photo.ownerId}`);
    this.store.state.requestPhotos.set(photo.id, clone(photo));
    return clone(photo);
  }

  async deletePhoto(requestId: string, photoId: string): Promise<OwnedPhoto | null> {
    const photo = this.store.state.requestPhotos.get(photoId);
    if (!photo || photo.ownerId !== requestId) return null;
    this.store.state.requestPhotos.delete(photoId);
    return clone(photo);
  }

  async photoBytesOf(customerId: string): Promise<number> {
    const mine = new Set([...this.map.values()].filter((r) => r.customerId === customerId).map((r) => r.id));
    return [...this.store.state.requestPhotos.values()]
      .filter((p) => mine.has(p.ownerId))
      .reduce((n, p) => n + p.sizeBytes, 0);
  }

  async listPhotos(requestId: string): Promise<OwnedPhoto[]> {
    return [...this.store.state.requestPhotos.values()]
      .filter((p) => p.ownerId === requestId)
      .sort(
        (a, b) => a.sortOrder - b.sortOrder || a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1),
      )
      .map(clone);
  }
}
