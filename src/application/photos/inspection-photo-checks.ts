import { InspectionErrors, type Inspection } from '../../domain/inspection/inspection.js';
import type { ImageType } from '../../domain/inspection/photo.js';
import { isEditable } from '../../domain/inspection/status.js';
import type { TransactionalPorts } from '../../ports/unit-of-work.js';
import type { Actor } from '../actor.js';
import { loadVisible } from '../inspections/access.js';
import { MAX_PHOTOS_PER_REQUEST, type PhotoLimits } from './deps.js';
import { checkUploads, type ImageCheck, type IncomingFile } from './incoming-file.js';

/** The inspection, locked, when the actor sees it and it is still in review (else INSPECTION.NOT_EDITABLE). */
export async function editableInspection(tx: TransactionalPorts, actor: Actor, id: string): Promise<Inspection> {
  const inspection = await loadVisible(tx.inspections, actor, id, true);
  if (!isEditable(inspection.status)) throw InspectionErrors.notEditable(inspection.status);
  return inspection;
}

/** Every file is checked (count, size, type by magic bytes, decoded whole) before anything is stored. */
export function checkInspectionPhotos(
  files: IncomingFile[],
  limits: PhotoLimits,
  check: ImageCheck,
): Promise<ImageType[]> {
  return checkUploads(files, { field: 'photos', maxFiles: MAX_PHOTOS_PER_REQUEST, maxBytes: limits.maxBytes }, check);
}
