import type { ApproveInspection } from '../../../application/inspections/approve-inspection.js';
import type { BulkApproveInspections } from '../../../application/inspections/bulk-approve-inspections.js';
import type { ChangeInspectionStatus } from '../../../application/inspections/change-status.js';
import type { CreateInspection } from '../../../application/inspections/create-inspection.js';
import type { DeleteChangeLogEntry } from '../../../application/inspections/delete-change-log-entry.js';
import type { ReviewInspection } from '../../../application/inspections/review-inspection.js';
import type { DeleteInspection } from '../../../application/inspections/delete-inspection.js';
import type { GetDashboard } from '../../../application/inspections/dashboard.js';
import type { GetInspection } from '../../../application/inspections/get-inspection.js';
import type { ListChangeLog } from '../../../application/inspections/list-change-log.js';
import type { ListInspections } from '../../../application/inspections/list-inspections.js';
import type { Response } from 'express';
import type { InspectionStatus } from '../../../domain/inspection/status.js';
import type { Granularity } from '../../../ports/inspection-stats.js';
import { actorOf } from '../auth.js';
import { validOf } from '../validation.js';
import type { OperationHandlers } from './types.js';

type Q = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const list = <T>(v: unknown): T[] | undefined => (v === undefined ? undefined : ([] as T[]).concat(v as T[]));
const param = (res: Response, name: string) => String(validOf(res).params[name]);

/** The use cases these handlers call. */
export interface InspectionUseCases {
  approveInspection: ApproveInspection;
  bulkApproveInspections: BulkApproveInspections;
  changeInspectionStatus: ChangeInspectionStatus;
  createInspection: CreateInspection;
  deleteChangeLogEntry: DeleteChangeLogEntry;
  deleteInspection: DeleteInspection;
  getDashboard: GetDashboard;
  getInspection: GetInspection;
  listChangeLog: ListChangeLog;
  listInspections: ListInspections;
  reviewInspection: ReviewInspection;
}

export function inspectionHandlers(uc: InspectionUseCases): OperationHandlers {
  return {
    ...statusHandlers(uc),
    listInspections: async (_req, res) => {
      const q = validOf(res).query as Q;
      const filter = {
        status: list<InspectionStatus>(q.status),
        branchCityId: str(q.branchCityId),
        inspectorId: str(q.inspectorId),
        dateFrom: str(q.dateFrom),
        dateTo: str(q.dateTo),
        plate: str(q.plate),
        keyword: str(q.q),
      };
      res.json(
        await uc.listInspections.execute(actorOf(res), filter, {
          page: q.page as number | undefined,
          pageSize: q.pageSize as number | undefined,
        }),
      );
    },
    createInspection: async (_req, res) => {
      const created = await uc.createInspection.execute(actorOf(res), validOf(res).body as never);
      res.status(201).location(`/api/v1/inspections/${created.id}`).json(created);
    },
    getInspection: async (_req, res) => {
      const d = await uc.getInspection.execute(actorOf(res), param(res, 'id'));
      res.json({
        ...d.inspection,
        photos: d.photos,
        statusHistory: d.statusHistory.map(({ fromStatus, toStatus, actorId, reason, createdAt }) => ({
          fromStatus,
          toStatus,
          actorId,
          reason,
          createdAt,
        })),
        pendingChanges: d.pendingChanges,
      });
    },
    reviewInspection: async (_req, res) => {
      const changes = await uc.reviewInspection.execute(
        actorOf(res),
        param(res, 'id'),
        validOf(res).body as Record<string, unknown>,
      );
      res.json({ changes });
    },
    deleteInspection: async (_req, res) => {
      await uc.deleteInspection.execute(actorOf(res), param(res, 'id'));
      res.status(204).end();
    },
    listChangeLog: async (_req, res) => {
      res.json({
        items: await uc.listChangeLog.execute(actorOf(res), param(res, 'id'), validOf(res).query.all === true),
      });
    },
    deleteChangeLogEntry: async (_req, res) => {
      await uc.deleteChangeLogEntry.execute(actorOf(res), param(res, 'id'), param(res, 'changeId'));
      res.status(204).end();
    },
  };
}

/** Status changes (approve one or many, deactivate, activate, revert) and the dashboard. */
function statusHandlers(uc: InspectionUseCases): OperationHandlers {
  return {
    approveInspection: async (_req, res) => {
      res.json(await uc.approveInspection.execute(actorOf(res), param(res, 'id')));
    },
    bulkApproveInspections: async (_req, res) => {
      const results = await uc.bulkApproveInspections.execute(
        actorOf(res),
        (validOf(res).body as { ids: string[] }).ids,
      );
      res
        .status(202)
        .json({ approved: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length, results });
    },
    deactivateInspection: async (_req, res) => {
      res.json(await uc.changeInspectionStatus.execute(actorOf(res), param(res, 'id'), 'DEACTIVATED', null));
    },
    activateInspection: async (_req, res) => {
      res.json(await uc.changeInspectionStatus.execute(actorOf(res), param(res, 'id'), 'ARCHIVED', null));
    },
    revertInspection: async (_req, res) => {
      const b = validOf(res).body as { to: InspectionStatus; reason: string };
      res.json(await uc.changeInspectionStatus.execute(actorOf(res), param(res, 'id'), b.to, b.reason));
    },
    getDashboardStats: async (_req, res) => {
      const q = validOf(res).query as Q;
      const date = (v: unknown) => (typeof v === 'string' ? new Date(v) : undefined);
      res.json(
        await uc.getDashboard.execute({
          from: date(q.from),
          to: date(q.to),
          timeZone: str(q.timeZone),
          granularity: q.granularity as Granularity | undefined,
          branchCityId: str(q.branchCityId),
        }),
      );
    },
  };
}
