import type { ContainerModule } from 'inversify';
import { PIN_CHECK_DRIVER, PublicArchive } from '../../../application/archive/public-archive.js';
import { OwnedPhotoLinks } from '../../../application/photos/owned-photo-links.js';
import { ObjectDeleter } from '../../../application/photos/object-deleter.js';
import { PhotoLinks } from '../../../application/photos/photo-links.js';
import { PrintRenditions } from '../../../application/reports/print-renditions.js';
import { Clock } from '../../../ports/clock.js';
import { ImageProcessor } from '../../../ports/image-processor.js';
import { InspectionRepository } from '../../../ports/inspection-repository.js';
import { Ipfs } from '../../../ports/ipfs.js';
import { ObjectStorage } from '../../../ports/object-storage.js';
import { PendingDeletions } from '../../../ports/pending-deletions.js';
import { PhotoRepository } from '../../../ports/photo-repository.js';
import { InspectionReports } from '../../../ports/report-jobs.js';
import { Tokens } from '../../tokens.js';
import { featureModule } from '../feature-module.js';

/** Services several features share: photo links, object deletion, print renditions, the public archive. */
export const sharedServices = (): ContainerModule =>
  featureModule((b) => {
    b.factory(PhotoLinks, (g) => new PhotoLinks(g(ObjectStorage), g(Clock), g(Tokens.Config).photos.urlTtlSeconds));
    b.factory(ObjectDeleter, (g) => {
      // During a storage switch the store also deletes from the old one: items recorded for either driver.
      const storage = g<ObjectStorage>(ObjectStorage);
      const fallback = g(Tokens.Config).storage.fallbackDriver;
      const stores = fallback ? { [storage.driver]: storage, [fallback]: storage } : storage;
      return new ObjectDeleter(stores, g(PendingDeletions), g(Clock), g(Tokens.Logger), [PIN_CHECK_DRIVER]);
    });
    b.factory(
      OwnedPhotoLinks,
      (g) => new OwnedPhotoLinks(g(ObjectStorage), g(Clock), g(Tokens.Config).photos.urlTtlSeconds),
    );
    b.factory(
      PrintRenditions,
      (g) =>
        new PrintRenditions(
          g(PhotoRepository),
          g(ObjectStorage),
          g(ImageProcessor),
          g(Clock),
          g(Tokens.Config).photos.rendition,
        ),
    );
    b.factory(
      PublicArchive,
      (g) =>
        new PublicArchive(
          g(InspectionReports),
          g(InspectionRepository),
          g(Ipfs),
          g(ObjectStorage),
          g(PendingDeletions),
          g(Clock),
          g(Tokens.Logger),
        ),
    );
  });
