import type { AddPhotos } from '../../../application/photos/add-photos.js';
import type { DeletePhoto } from '../../../application/photos/delete-photo.js';
import type { ReorderPhotos } from '../../../application/photos/reorder-photos.js';
import type { ReplacePhotoFile } from '../../../application/photos/replace-photo-file.js';
import type { UpdatePhotoMetadata } from '../../../application/photos/update-photo-metadata.js';
import type { GetInspection } from '../../../application/inspections/get-inspection.js';
import type { Response } from 'express';
import { PHOTO_CATEGORIES, type PhotoMetadata } from '../../../domain/inspection/photo.js';
import { DomainError } from '../../../domain/shared/domain-error.js';
import { assertSafeKeys } from '../../../domain/shared/safe-keys.js';
import { actorOf } from '../auth.js';
import { filesOf } from '../multipart.js';
import { validOf } from '../validation.js';
import type { OperationHandlers } from './types.js';

type Q = Record<string, unknown>;
const param = (res: Response, name: string) => String(validOf(res).params[name]);

const badMetadata = (message: string) =>
  new DomainError('VALIDATION.FAILED', 'validation', 'The request is not valid.', [
    { path: '/body/metadata', message },
  ]);

const ALLOWED_KEYS = new Set(['label', 'category', 'isMandatory', 'needAttention', 'displayInPdf', 'isDocument']);

/** Whether one metadata value has its key's type (label: text up to 200; category: text; the rest: booleans). */
const rightType = (k: string, v: unknown): boolean =>
  k === 'label'
    ? typeof v === 'string' && v.length <= 200
    : k === 'category'
      ? typeof v === 'string'
      : typeof v === 'boolean';

/** One item of the `metadata` array: an object of known keys with values of the right type. */
function checkMetadataItem(m: unknown, i: number): void {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) throw badMetadata(`item ${i} must be an object`);
  for (const [k, v] of Object.entries(m)) {
    if (!ALLOWED_KEYS.has(k)) throw badMetadata(`item ${i}: ${k} is not allowed`);
    if (!rightType(k, v)) throw badMetadata(`item ${i}: ${k} has the wrong type`);
    if (k === 'category' && !(PHOTO_CATEGORIES as readonly string[]).includes(v as string))
      throw badMetadata(`item ${i}: category must be one of ${PHOTO_CATEGORIES.join(', ')}`);
  }
}

/** The multipart `metadata` field: a JSON array of PhotoMetadata aligned with the files. */
function metadataOf(raw: unknown, count: number): Array<Partial<PhotoMetadata>> {
  if (raw === undefined || raw === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(raw));
  } catch {
    throw badMetadata('must be a JSON array');
  }
  assertSafeKeys(parsed, '/body/metadata');
  if (!Array.isArray(parsed)) throw badMetadata('must be a JSON array');
  if (parsed.length > count) throw badMetadata(`has ${parsed.length} items for ${count} files`);
  parsed.forEach(checkMetadataItem);
  return parsed as Array<Partial<PhotoMetadata>>;
}

/** The use cases these handlers call. */
export interface PhotoUseCases {
  addPhotos: AddPhotos;
  deletePhoto: DeletePhoto;
  getInspection: GetInspection;
  reorderPhotos: ReorderPhotos;
  replacePhotoFile: ReplacePhotoFile;
  updatePhotoMetadata: UpdatePhotoMetadata;
}

/** An inspection's photos: list, add (multipart with metadata), reorder, edit metadata, replace the file, delete. */
export function photoHandlers(uc: PhotoUseCases): OperationHandlers {
  return {
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
  };
}
