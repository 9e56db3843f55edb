import type { Response } from 'express';
import { PHOTO_CATEGORIES, type PhotoMetadata } from '../../../domain/inspection/photo.js';
import type { InspectionStatus } from '../../../domain/inspection/status.js';
import { DomainError } from '../../../domain/shared/domain-error.js';
import type { Granularity } from '../../../ports/inspection-stats.js';
import { actorOf } from '../auth.js';
import { filesOf } from '../multipart.js';
import type { HttpUseCases } from '../use-cases.js';
import { validOf } from '../validation.js';
import type { OperationHandlers } from './types.js';
import { assertSafeKeys } from '../../../domain/shared/safe-keys.js';

type Q = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const list = <T>(v: unknown): T[] | undefined => (v === undefined ? undefined : ([] as T[]).concat(v as T[]));
const param = (res: Response, name: string) => String(validOf(res).params[name]);

/** The multipart `metadata` field: a JSON array of PhotoMetadata aligned with the files. */
function metadataOf(raw: unknown, count: number): Array<Partial<PhotoMetadata>> {
  if (raw === undefined || raw === '') return [];
  const bad = (message: string) =>
    new DomainError('VALIDATION.FAILED', 'validation', 'The request is not valid.', [
      { path: '/body/metadata', message },
    ]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(raw));
  } catch {
    throw bad('must be a JSON array');
  }
  assertSafeKeys(parsed, '/body/metadata');
  if (!Array.isArray(parsed)) throw bad('must be a JSON array');
  if (parsed.length > count) throw bad(`has ${parsed.length} items for ${count} files`);
  const allowed = new Set(['label', 'category', 'isMandatory', 'needAttention', 'displayInPdf', 'isDocument']);
  for (const [i, m] of parsed.entries()) {
    if (typeof m !== 'object' || m === null || Array.isArray(m)) throw bad(`item ${i} must be an object`);
    for (const [k, v] of Object.entries(m)) {
      if (!allowed.has(k)) throw bad(`item ${i}: ${k} is not allowed`);
      if (
        k === 'label'
          ? typeof v !== 'string' || v.length > 200
          : k === 'category'
            ? typeof v !== 'string'
            : typeof v !== 'boolean'
      )
        throw bad(`item ${i}: ${k} has the wrong type`);
      if (k === 'category' && !(PHOTO_CATEGORIES as readonly string[]).includes(v as string))
        throw bad(`item ${i}: category must be one of ${PHOTO_CATEGORIES.join(', ')}`);
    }
  }
  return parsed as Array<Partial<PhotoMetadata>>;
}

/** The use cases these handlers call (and nothing else of the bag). */
export type InspectionUseCases = Pick<
  HttpUseCases,
  | 'addPhotos'
  | 'approveInspection'
  | 'bulkApproveInspections'
  | 'changeInspectionStatus'
  | 'createInspection'
  | 'deleteChangeLogEntry'
  | 'deleteInspection'
  | 'deletePhoto'
  | 'getDashboard'
  | 'getInspection'
  | 'listChangeLog'
  | 'listInspections'
  | 'reorderPhotos'
  | 'replacePhotoFile'
  | 'reviewInspection'
  | 'updatePhotoMetadata'
>;

export function inspectionHandlers(uc: InspectionUseCases): OperationHandlers {
  return {
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
    listPhotos: async (_req, res) => {
      const d = await uc.getInspection.execute(actorOf(res), param(res, 'id'));
      res.json({ items: d.photos });
    },
    addPhotos: async (_req, res) => {
      const files = filesOf(res, 'photos');
      const meta = metadataOf((validOf(res).body as Q).metadata, files.length);
      const items = await uc.addPhotos.execute(actorOf(res), param(res, 'id'), files, meta);
      res.status(201).json({ items });
    },
    reorderPhotos: async (_req, res) => {
      res.json({
        items: await uc.reorderPhotos.execute(
          actorOf(res),
          param(res, 'id'),
          (validOf(res).body as { photoIds: string[] }).photoIds,
        ),
      });
    },
    updatePhoto: async (_req, res) => {
      res.json(
        await uc.updatePhotoMetadata.execute(
          actorOf(res),
          param(res, 'id'),
          param(res, 'photoId'),
          validOf(res).body as Partial<PhotoMetadata>,
        ),
      );
    },
    replacePhotoFile: async (_req, res) => {
      const [file] = filesOf(res, 'photo');
      res.json(
        await uc.replacePhotoFile.execute(
          actorOf(res),
          param(res, 'id'),
          param(res, 'photoId'),
          file as NonNullable<typeof file>,
        ),
      );
    },
    deletePhoto: async (_req, res) => {
      await uc.deletePhoto.execute(actorOf(res), param(res, 'id'), param(res, 'photoId'));
      res.status(204).end();
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
