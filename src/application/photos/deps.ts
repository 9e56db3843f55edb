import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';
import type { ObjectStorage } from '../../ports/object-storage.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import type { ImageCheck } from './incoming-file.js';
import type { ObjectDeleter } from './object-deleter.js';
import type { PhotoLinks } from './photo-links.js';

/** Photos one upload may add to an inspection. */
export const MAX_PHOTOS_PER_REQUEST = 10;

export interface PhotoLimits {
  maxBytes: number;
}

/** What the inspection photo use cases need. */
export interface PhotoDeps {
  uow: UnitOfWork;
  storage: ObjectStorage;
  deleter: ObjectDeleter;
  links: PhotoLinks;
  ids: IdGenerator;
  clock: Clock;
  limits: PhotoLimits;
  check: ImageCheck;
}
