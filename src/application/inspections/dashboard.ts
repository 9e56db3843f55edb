import type { InspectionStatus } from '../../domain/inspection/status.js';
import { invalidInput } from '../../domain/shared/domain-error.js';
import type { Clock } from '../../ports/clock.js';
import type { Granularity, InspectionStats } from '../../ports/inspection-stats.js';

export interface DashboardQuery {
  from?: Date;
  to?: Date;
  timeZone?: string;
  granularity?: Granularity;
  branchCityId?: string;
}

export interface Dashboard {
  range: { from: Date; to: Date; timeZone: string; granularity: Granularity; previousFrom: Date };
  total: number;
  countsByStatus: Record<InspectionStatus, number>;
  trend: Array<{ bucket: string; count: number }>;
  branches: Array<{
    branchCityId: string;
    code: string;
    name: string;
    count: number;
    previousCount: number;
    change: number;
    changePercent: number | null;
  }>;
  inspectors: Array<{ inspectorId: string; name: string; count: number; approved: number }>;
}

const MAX_RANGE_DAYS = 366;

/** Administrator statistics over a range (default: the last 30 days, Asia/Jakarta, daily buckets). */
export class GetDashboard {
  constructor(
    private readonly stats: InspectionStats,
    private readonly clock: Clock,
    private readonly defaultTimeZone: string,
  ) {}

  async execute(q: DashboardQuery): Promise<Dashboard> {
    const to = q.to ?? this.clock.now();
    const from = q.from ?? new Date(to.getTime() - 30 * 86_400_000);
    const timeZone = q.timeZone ?? this.defaultTimeZone;
    const granularity = q.granularity ?? 'day';
    const bad = invalidInput;
    if (from >= to) throw bad('/query/from', 'must be before to');
    if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000)
      throw bad('/query/from', `the range may span at most ${MAX_RANGE_DAYS} days`);
    try {
      new Intl.DateTimeFormat('en', { timeZone });
    } catch {
      throw bad('/query/timeZone', 'must be an IANA time zone such as Asia/Jakarta');
    }
    const range = { from, to, timeZone, branchCityId: q.branchCityId };
    const [countsByStatus, trend, branches, inspectors] = await Promise.all([
      this.stats.countsByStatus(range),
      this.stats.trend(range, granularity),
      this.stats.byBranch(range),
      this.stats.byInspector(range),
    ]);
    return {
      range: {
        from,
        to,
        timeZone,
        granularity,
        previousFrom: new Date(from.getTime() - (to.getTime() - from.getTime())),
      },
      total: Object.values(countsByStatus).reduce((a, b) => a + b, 0),
      countsByStatus,
      trend,
      branches: branches.map((b) => ({
        ...b,
        change: b.count - b.previousCount,
        changePercent:
          b.previousCount === 0 ? null : Math.round(((b.count - b.previousCount) / b.previousCount) * 1000) / 10,
      })),
      inspectors,
    };
  }
}
