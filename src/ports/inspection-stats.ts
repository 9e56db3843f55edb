import type { InspectionStatus } from '../domain/inspection/status.js';

export interface StatsRange {
  from: Date;
  to: Date;
  timeZone: string;
  branchCityId?: string;
}

export type Granularity = 'day' | 'week' | 'month';

export interface InspectionStats {
  /** Inspections created in the range, per status (every status present, zero when none). */
  countsByStatus(range: StatsRange): Promise<Record<InspectionStatus, number>>;
  /** Counts per bucket (local date of the bucket start in the time zone), every bucket present. */
  trend(range: StatsRange, granularity: Granularity): Promise<Array<{ bucket: string; count: number }>>;
  /** Counts per branch city in the range and in the previous range of equal length. */
  byBranch(
    range: StatsRange,
  ): Promise<Array<{ branchCityId: string; code: string; name: string; count: number; previousCount: number }>>;
  /** Counts per inspector in the range, highest first. */
  byInspector(
    range: StatsRange,
  ): Promise<Array<{ inspectorId: string; name: string; count: number; approved: number }>>;
}

export const InspectionStats = Symbol('InspectionStats');
