import type { Knex } from 'knex';
import type {
  CustomerInspectionRequest,
  CustomerInspectionStatus,
  RequestPaymentStatus,
  RequestStatusChange,
  VehicleDescription,
} from '../../domain/customer/inspection-request.js';
import type { OwnedPhoto } from '../../domain/customer/vehicle.js';
import type { VehicleClass } from '../../domain/customer/vehicle-class.js';
import { offsetOf, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type {
  InspectionRequestFilter,
  InspectionRequestPatch,
  InspectionRequestRepository,
  NewInspectionRequest,
} from '../../ports/inspection-requests.js';
import { ownedPhotoFrom, ownedPhotoRow } from './knex-owned-photos.js';

type Row = Record<string, unknown>;

const TABLE = 'customer_inspection_requests';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const toRequest = (r: Row): CustomerInspectionRequest => ({
  id: r.id as string,
  customerId: r.customer_id as string,
  vehicleId: (r.vehicle_id as string | null) ?? null,
  vehicleDescription: (r.vehicle_description as VehicleDescription | null) ?? null,
  vehicleClass: r.vehicle_class as VehicleClass,
  assigneeId: (r.assignee_id as string | null) ?? null,
  preferredSchedule: r.preferred_schedule as Date,
  notes: (r.notes as string | null) ?? null,
  status: r.status as CustomerInspectionStatus,
  priceIdr: Number(r.price_idr),
  priceId: (r.price_id as string | null) ?? null,
  paymentStatus: r.payment_status as RequestPaymentStatus,
  paymentWaiverReason: (r.payment_waiver_reason as string | null) ?? null,
  inspectionId: (r.inspection_id as string | null) ?? null,
  createdBy: r.created_by as string,
  createdAt: r.created_at as Date,
  updatedAt: r.updated_at as Date,
});

const toChange = (r: Row): RequestStatusChange => ({
  id: r.id as string,
  requestId: r.request_id as string,
  fromStatus: (r.from_status as CustomerInspectionStatus | null) ?? null,
  toStatus: r.to_status as CustomerInspectionStatus,
  actorId: (r.actor_id as string | null) ?? null,
  actorRole: (r.actor_role as string | null) ?? null,
  reason: (r.reason as string | null) ?? null,
  createdAt: r.created_at as Date,
});

const toPhoto = ownedPhotoFrom('request_id');

const PATCH_COLUMNS: Record<keyof InspectionRequestPatch, string> = {
  status: 'status',
  assigneeId: 'assignee_id',
  paymentStatus: 'payment_status',
  paymentWaiverReason: 'payment_waiver_reason',
  inspectionId: 'inspection_id',
};

export class KnexInspectionRequestRepository implements InspectionRequestRepository {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async findById(id: string): Promise<CustomerInspectionRequest | null> {
    const r = await this.db(TABLE).where({ id }).first();
    return r ? toRequest(r) : null;
  }

  async findByIdForUpdate(id: string): Promise<CustomerInspectionRequest | null> {
    const r = await this.db(TABLE).where({ id }).forUpdate().first();
    return r ? toRequest(r) : null;
  }

  setPaymentStatus(id: string, status: RequestPaymentStatus, now: Date): Promise<CustomerInspectionRequest | null> {
    return this.update(id, { paymentStatus: status }, now);
  }

  async inspectionIdsOf(customerId: string): Promise<string[]> {
    const rows = await this.db(TABLE)
      .where({ customer_id: customerId })
      .whereNotNull('inspection_id')
      .select('inspection_id');
    return rows.map((r: Row) => r.inspection_id as string);
  }

  async create(r: NewInspectionRequest, now: Date): Promise<CustomerInspectionRequest> {
    const [row] = await this.db(TABLE)
      .insert({
        id: r.id,
        customer_id: r.customerId,
        vehicle_id: r.vehicleId,
        vehicle_description: r.vehicleDescription === null ? null : JSON.stringify(r.vehicleDescription),
        vehicle_class: r.vehicleClass,
        preferred_schedule: r.preferredSchedule,
        notes: r.notes,
        price_idr: r.priceIdr,
        price_id: r.priceId,
        created_by: r.createdBy,
        created_at: now,
        updated_at: now,
      })
      .returning('*');
    return toRequest(row as Row);
  }

  async update(id: string, patch: InspectionRequestPatch, now: Date): Promise<CustomerInspectionRequest | null> {
    const values: Row = { updated_at: now };
    for (const [k, v] of Object.entries(patch))
      if (v !== undefined) values[PATCH_COLUMNS[k as keyof InspectionRequestPatch]] = v;
    const [row] = await this.db(TABLE).where({ id }).update(values).returning('*');
    return row ? toRequest(row as Row) : null;
  }

  async list(f: InspectionRequestFilter, page: PageRequest): Promise<Page<CustomerInspectionRequest>> {
    const q = this.db(TABLE).modify((b) => {
      if (f.customerId) b.where('customer_id', f.customerId);
      if (f.status?.length) b.whereIn('status', f.status);
      if (f.assigneeId) b.where('assignee_id', f.assigneeId);
      if (f.vehicleClass?.length) b.whereIn('vehicle_class', f.vehicleClass);
      if (f.paymentStatus?.length) b.whereIn('payment_status', f.paymentStatus);
      if (f.scheduleFrom) b.where('preferred_schedule', '>=', f.scheduleFrom);
      if (f.scheduleTo) b.where('preferred_schedule', '<', f.scheduleTo);
    });
    const [{ count }] = (await q.clone().count<{ count: string }[]>({ count: '*' })) as [{ count: string }];
    const rows = await q
      .clone()
      .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id' }])
      .limit(page.pageSize)
      .offset(offsetOf(page));
    return { items: (rows as Row[]).map(toRequest), page: page.page, pageSize: page.pageSize, total: Number(count) };
  }

  async findByInspectionId(inspectionId: string): Promise<CustomerInspectionRequest | null> {
    const r = await this.db(TABLE).where({ inspection_id: inspectionId }).orderBy('created_at').first();
    return r ? toRequest(r) : null;
  }

  async recordStatusChange(c: RequestStatusChange): Promise<void> {
    await this.db('customer_request_status_history').insert({
      id: c.id,
      request_id: c.requestId,
      from_status: c.fromStatus,
      to_status: c.toStatus,
      actor_id: c.actorId,
      actor_role: c.actorRole,
      reason: c.reason,
      created_at: c.createdAt,
    });
  }

  async statusHistory(requestId: string): Promise<RequestStatusChange[]> {
    const rows = await this.db('customer_request_status_history')
      .where({ request_id: requestId })
      .orderBy([{ column: 'created_at' }, { column: 'id' }]);
    return rows.map(toChange);
  }

  async addPhoto(p: OwnedPhoto): Promise<OwnedPhoto> {
    const [row] = await this.db('customer_request_photos')
      .insert(ownedPhotoRow('request_id', p.ownerId, p, p.createdAt))
      .returning('*');
    return toPhoto(row as Row);
  }

  async listPhotos(requestId: string): Promise<OwnedPhoto[]> {
    const rows = await this.db('customer_request_photos')
      .where({ request_id: requestId })
      .orderBy([{ column: 'sort_order' }, { column: 'created_at' }, { column: 'id' }]);
    return rows.map(toPhoto);
  }

  async deletePhoto(requestId: string, photoId: string): Promise<OwnedPhoto | null> {
    if (!UUID.test(photoId)) return null;
    const [row] = await this.db('customer_request_photos')
      .where({ id: photoId, request_id: requestId })
      .delete()
      .returning('*');
    return row ? toPhoto(row as Row) : null;
  }

  async photoBytesOf(customerId: string): Promise<number> {
    const [r] = await this.db('customer_request_photos as p')
      .join('customer_inspection_requests as r', 'r.id', 'p.request_id')
      .where('r.customer_id', customerId)
      .sum({ n: 'p.size_bytes' });
    return Number(r?.n ?? 0);
  }
}
