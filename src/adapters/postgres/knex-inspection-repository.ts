import type { Knex } from 'knex';
import type { InspectionForm } from '../../domain/inspection/change-log.js';
import type { Inspection, StatusChange } from '../../domain/inspection/inspection.js';
import { compactPlate } from '../../domain/inspection/plate.js';
import type { IsoDate } from '../../domain/inspection/pretty-id.js';
import type { InspectionStatus } from '../../domain/inspection/status.js';
import { offsetOf, type Page, type PageRequest } from '../../domain/shared/pagination.js';
import type {
  InspectionFilter,
  InspectionPatch,
  InspectionRepository,
  NewInspection,
} from '../../ports/inspection-repository.js';

const SECTION_COLUMNS: Record<keyof InspectionForm, string> = {
  identityDetails: 'identity_details',
  vehicleData: 'vehicle_data',
  equipmentChecklist: 'equipment_checklist',
  inspectionSummary: 'inspection_summary',
  detailedAssessment: 'detailed_assessment',
  bodyPaintThickness: 'body_paint_thickness',
  notesFontSizes: 'notes_font_sizes',
};

const SCALAR_COLUMNS = {
  status: 'status',
  reviewerId: 'reviewer_id',
  approvedAt: 'approved_at',
  plateNumber: 'plate_number',
  inspectionDate: 'inspection_date',
  overallRating: 'overall_rating',
  customerUserId: 'customer_user_id',
  customerVehicleId: 'customer_vehicle_id',
  nftAssetId: 'nft_asset_id',
  blockchainTxHash: 'blockchain_tx_hash',
  archivedAt: 'archived_at',
} as const;

type Row = Record<string, unknown>;

const isoDate = (v: unknown): IsoDate =>
  v instanceof Date
    ? `${v.getFullYear()}-${String(v.getMonth() + 1).padStart(2, '0')}-${String(v.getDate()).padStart(2, '0')}`
    : String(v);

export function toInspection(r: Row): Inspection {
  const form = Object.fromEntries(
    Object.entries(SECTION_COLUMNS).map(([k, col]) => [k, r[col] ?? {}]),
  ) as unknown as InspectionForm;
  return {
    id: r.id as string,
    prettyId: r.pretty_id as string,
    status: r.status as InspectionStatus,
    inspectorId: r.inspector_id as string,
    reviewerId: (r.reviewer_id as string | null) ?? null,
    branchCityId: r.branch_city_id as string,
    plateNumber: r.plate_number as string,
    inspectionDate: isoDate(r.inspection_date),
    overallRating: r.overall_rating === null || r.overall_rating === undefined ? null : Number(r.overall_rating),
    customerUserId: (r.customer_user_id as string | null) ?? null,
    customerVehicleId: (r.customer_vehicle_id as string | null) ?? null,
    approvedAt: (r.approved_at as Date | null) ?? null,
    nftAssetId: (r.nft_asset_id as string | null) ?? null,
    blockchainTxHash: (r.blockchain_tx_hash as string | null) ?? null,
    archivedAt: (r.archived_at as Date | null) ?? null,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
    ...form,
  };
}

const RETURNING = ['*'];

/** Prefix full-text query from free text: every word must match the start of a token. */
export function keywordQuery(keyword: string): string | null {
  const words = keyword
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 8);
  return words.length ? words.map((w) => `${w}:*`).join(' & ') : null;
}

export class KnexInspectionRepository implements InspectionRepository {
  constructor(private readonly db: Knex | Knex.Transaction) {}

  async create(i: NewInspection, now: Date): Promise<Inspection> {
    const row: Row = {
      id: i.id,
      pretty_id: i.prettyId,
      inspector_id: i.inspectorId,
      branch_city_id: i.branchCityId,
      plate_number: i.plateNumber,
      inspection_date: i.inspectionDate,
      overall_rating: i.overallRating,
      customer_user_id: i.customerUserId,
      customer_vehicle_id: i.customerVehicleId,
      created_at: now,
      updated_at: now,
    };
    for (const [k, col] of Object.entries(SECTION_COLUMNS))
      row[col] = JSON.stringify(i[k as keyof InspectionForm] ?? {});
    const [created] = await this.db('inspections').insert(row).returning(RETURNING);
    return toInspection(created as Row);
  }

  async findById(id: string): Promise<Inspection | null> {
    const r = await this.db('inspections').where({ id }).first();
    return r ? toInspection(r) : null;
  }

  async findByIdForUpdate(id: string): Promise<Inspection | null> {
    const r = await this.db('inspections').where({ id }).forUpdate().first();
    return r ? toInspection(r) : null;
  }

  async findByPrettyId(prettyId: string): Promise<Inspection | null> {
    const r = await this.db('inspections').where({ pretty_id: prettyId }).first();
    return r ? toInspection(r) : null;
  }

  async list(f: InspectionFilter, page: PageRequest): Promise<Page<Inspection>> {
    const q = this.db('inspections').modify((b) => {
      if (f.status?.length) b.whereIn('status', f.status);
      if (f.branchCityId) b.where('branch_city_id', f.branchCityId);
      if (f.inspectorId) b.where('inspector_id', f.inspectorId);
      if (f.dateFrom) b.where('inspection_date', '>=', f.dateFrom);
      if (f.dateTo) b.where('inspection_date', '<=', f.dateTo);
      if (f.plate) b.where('plate_compact', compactPlate(f.plate));
      const tsq = f.keyword ? keywordQuery(f.keyword) : null;
      if (f.keyword && !tsq) b.whereRaw('false');
      if (tsq) b.whereRaw(`search @@ to_tsquery('simple', ?)`, [tsq]);
    });
    const [{ count }] = (await q.clone().count({ count: '*' })) as [{ count: number }];
    const rows = await q
      .clone()
      .orderBy([
        { column: 'inspection_date', order: 'desc' },
        { column: 'created_at', order: 'desc' },
        { column: 'id' },
      ])
      .limit(page.pageSize)
      .offset(offsetOf(page));
    return { items: rows.map(toInspection), page: page.page, pageSize: page.pageSize, total: Number(count) };
  }

  async update(id: string, patch: InspectionPatch, now: Date): Promise<Inspection | null> {
    const values: Row = { updated_at: now };
    for (const [k, col] of Object.entries(SCALAR_COLUMNS))
      if (k in patch) values[col] = patch[k as keyof typeof SCALAR_COLUMNS];
    for (const [k, col] of Object.entries(SECTION_COLUMNS))
      if (k in patch) values[col] = JSON.stringify(patch[k as keyof InspectionForm]);
    const [r] = await this.db('inspections').where({ id }).update(values).returning(RETURNING);
    return r ? toInspection(r as Row) : null;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.db('inspections').where({ id }).delete()) > 0;
  }

  async nextSequence(branchCityId: string, inspectionDate: IsoDate): Promise<number> {
    // One statement: insert the first number or increment under the row lock the UPDATE takes.
    const r = await this.db.raw(
      `INSERT INTO inspection_sequences (branch_city_id, inspection_date, last_number) VALUES (?, ?, 1)
       ON CONFLICT (branch_city_id, inspection_date) DO UPDATE SET last_number = inspection_sequences.last_number + 1
       RETURNING last_number`,
      [branchCityId, inspectionDate],
    );
    return Number(r.rows[0].last_number);
  }

  async recordStatusChange(c: StatusChange): Promise<void> {
    await this.db('inspection_status_history').insert({
      id: c.id,
      inspection_id: c.inspectionId,
      from_status: c.fromStatus,
      to_status: c.toStatus,
      actor_id: c.actorId,
      reason: c.reason,
      created_at: c.createdAt,
    });
  }

  async statusHistory(inspectionId: string): Promise<StatusChange[]> {
    const rows = await this.db('inspection_status_history')
      .where({ inspection_id: inspectionId })
      .orderBy([{ column: 'created_at' }, { column: 'id' }]);
    return rows.map((r: Row) => ({
      id: r.id as string,
      inspectionId: r.inspection_id as string,
      fromStatus: (r.from_status as InspectionStatus | null) ?? null,
      toStatus: r.to_status as InspectionStatus,
      actorId: (r.actor_id as string | null) ?? null,
      reason: (r.reason as string | null) ?? null,
      createdAt: r.created_at as Date,
    }));
  }
}
