import type { Knex } from 'knex';
import { INSPECTION_STATUSES, type InspectionStatus } from '../../domain/inspection/status.js';
import type { Granularity, InspectionStats, StatsRange } from '../../ports/inspection-stats.js';

/** Dashboard aggregates computed by PostgreSQL (buckets in the caller's time zone). */
export class KnexInspectionStats implements InspectionStats {
  constructor(private readonly db: Knex) {}

  private scoped(r: StatsRange) {
    return this.db('inspections')
      .where('inspections.created_at', '>=', r.from)
      .where('inspections.created_at', '<', r.to)
      .modify((b) => {
        if (r.branchCityId) b.where('inspections.branch_city_id', r.branchCityId);
      });
  }

  async countsByStatus(r: StatsRange): Promise<Record<InspectionStatus, number>> {
    const rows = (await this.scoped(r)
      .select('inspections.status as status')
      .count({ n: '*' })
      .groupBy('inspections.status')) as Array<{ status: InspectionStatus; n: number }>;
    const out = Object.fromEntries(INSPECTION_STATUSES.map((s) => [s, 0])) as Record<InspectionStatus, number>;
    for (const row of rows) out[row.status] = Number(row.n);
    return out;
  }

  async trend(r: StatsRange, g: Granularity): Promise<Array<{ bucket: string; count: number }>> {
    const branch = r.branchCityId ? 'AND i.branch_city_id = :branch' : '';
    const result = await this.db.raw(
      `WITH buckets AS (
         SELECT generate_series(date_trunc(:g, :from::timestamptz AT TIME ZONE :tz),
                                date_trunc(:g, (:to::timestamptz - interval '1 microsecond') AT TIME ZONE :tz),
                                ('1 ' || :g)::interval) AS bucket)
       SELECT to_char(b.bucket, 'YYYY-MM-DD') AS bucket, count(i.id)::int AS count
       FROM buckets b
       LEFT JOIN inspections i ON date_trunc(:g, i.created_at AT TIME ZONE :tz) = b.bucket
         AND i.created_at >= :from AND i.created_at < :to ${branch}
       GROUP BY b.bucket ORDER BY b.bucket`,
      { g, from: r.from, to: r.to, tz: r.timeZone, branch: r.branchCityId ?? null },
    );
    return result.rows.map((row: { bucket: string; count: number }) => ({
      bucket: row.bucket,
      count: Number(row.count),
    }));
  }

  async byBranch(
    r: StatsRange,
  ): Promise<Array<{ branchCityId: string; code: string; name: string; count: number; previousCount: number }>> {
    const previousFrom = new Date(r.from.getTime() - (r.to.getTime() - r.from.getTime()));
    const result = await this.db.raw(
      `SELECT b.id, b.code, b.name,
              count(i.id) FILTER (WHERE i.created_at >= :from)::int AS count,
              count(i.id) FILTER (WHERE i.created_at < :from)::int AS previous
       FROM branch_cities b
       LEFT JOIN inspections i ON i.branch_city_id = b.id AND i.created_at >= :previousFrom AND i.created_at < :to
       ${r.branchCityId ? 'WHERE b.id = :branch' : ''}
       GROUP BY b.id ORDER BY count DESC, b.code`,
      { from: r.from, to: r.to, previousFrom, branch: r.branchCityId ?? null },
    );
    return result.rows.map((x: { id: string; code: string; name: string; count: number; previous: number }) => ({
      branchCityId: x.id,
      code: x.code,
      name: x.name,
      count: Number(x.count),
      previousCount: Number(x.previous),
    }));
  }

  async byInspector(
    r: StatsRange,
  ): Promise<Array<{ inspectorId: string; name: string; count: number; approved: number }>> {
    const rows = await this.scoped(r)
      .join('users', 'users.id', 'inspections.inspector_id')
      .select('users.id as inspectorId', 'users.name as name')
      .count({ count: '*' })
      .select(this.db.raw(`count(*) FILTER (WHERE inspections.status <> 'NEED_REVIEW')::int AS approved`))
      .groupBy('users.id', 'users.name')
      .orderBy([{ column: 'count', order: 'desc' }, { column: 'name' }]);
    return (rows as Array<{ inspectorId: string; name: string; count: number; approved: number }>).map((x) => ({
      inspectorId: x.inspectorId,
      name: x.name,
      count: Number(x.count),
      approved: Number(x.approved),
    }));
  }
}
