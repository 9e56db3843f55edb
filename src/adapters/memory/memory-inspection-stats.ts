import { dateInZone } from '../../domain/inspection/pretty-id.js';
import { INSPECTION_STATUSES, type InspectionStatus } from '../../domain/inspection/status.js';
import type { Granularity, InspectionStats, StatsRange } from '../../ports/inspection-stats.js';
import type { MemoryStore } from './memory-store.js';

const DAY = 86_400_000;

/** Bucket start (local calendar date) like PostgreSQL's date_trunc: ISO weeks start on Monday. */
function bucketOf(localDate: string, g: Granularity): string {
  if (g === 'day') return localDate;
  if (g === 'month') return `${localDate.slice(0, 7)}-01`;
  const d = new Date(`${localDate}T00:00:00Z`);
  const monday = new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY);
  return monday.toISOString().slice(0, 10);
}

/** In-memory dashboard aggregates, pinned to the knex adapter by the stats contract suite. */
export class MemoryInspectionStats implements InspectionStats {
  constructor(private readonly store: MemoryStore) {}

  private inRange(r: StatsRange, from = r.from) {
    return [...this.store.state.inspections.values()].filter(
      (i) => i.createdAt >= from && i.createdAt < r.to && (!r.branchCityId || i.branchCityId === r.branchCityId),
    );
  }

  async countsByStatus(r: StatsRange): Promise<Record<InspectionStatus, number>> {
    const out = Object.fromEntries(INSPECTION_STATUSES.map((s) => [s, 0])) as Record<InspectionStatus, number>;
    for (const i of this.inRange(r)) out[i.status]++;
    return out;
  }

  async trend(r: StatsRange, g: Granularity): Promise<Array<{ bucket: string; count: number }>> {
    const first = dateInZone(r.from, r.timeZone);
    const last = dateInZone(new Date(r.to.getTime() - 1), r.timeZone);
    const buckets = new Map<string, number>();
    for (let d = new Date(`${first}T00:00:00Z`); d.toISOString().slice(0, 10) <= last; d = new Date(d.getTime() + DAY))
      buckets.set(bucketOf(d.toISOString().slice(0, 10), g), 0);
    for (const i of this.inRange(r)) {
      const b = bucketOf(dateInZone(i.createdAt, r.timeZone), g);
      buckets.set(b, (buckets.get(b) ?? 0) + 1);
    }
    return [...buckets.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([bucket, count]) => ({ bucket, count }));
  }

  async byBranch(
    r: StatsRange,
  ): Promise<Array<{ branchCityId: string; code: string; name: string; count: number; previousCount: number }>> {
    const previousFrom = new Date(r.from.getTime() - (r.to.getTime() - r.from.getTime()));
    const all = this.inRange({ ...r, branchCityId: undefined }, previousFrom);
    return [...this.store.state.branches.values()]
      .filter((b) => !r.branchCityId || b.id === r.branchCityId)
      .map((b) => ({
        branchCityId: b.id,
        code: b.code,
        name: b.name,
        count: all.filter((i) => i.branchCityId === b.id && i.createdAt >= r.from).length,
        previousCount: all.filter((i) => i.branchCityId === b.id && i.createdAt < r.from).length,
      }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  }

  async byInspector(
    r: StatsRange,
  ): Promise<Array<{ inspectorId: string; name: string; count: number; approved: number }>> {
    const per = new Map<string, { count: number; approved: number }>();
    for (const i of this.inRange(r)) {
      const e = per.get(i.inspectorId) ?? { count: 0, approved: 0 };
      e.count++;
      if (i.status !== 'NEED_REVIEW') e.approved++;
      per.set(i.inspectorId, e);
    }
    return [...per.entries()]
      .map(([inspectorId, v]) => ({ inspectorId, name: this.store.state.users.get(inspectorId)?.name ?? '', ...v }))
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  }
}
