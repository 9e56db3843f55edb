import type { ContainerModule } from 'inversify';
import { administrationFeature } from './administration.js';
import { archiveFeature } from './archive.js';
import { authFeature } from './auth.js';
import { creditsFeature } from './credits.js';
import { customerHistoryFeature } from './customer-history.js';
import { inspectionRequestsFeature } from './inspection-requests.js';
import { inspectionsFeature } from './inspections.js';
import { paymentsFeature } from './payments.js';
import { pricingFeature } from './pricing.js';
import { reportsFeature } from './reports.js';
import { sharedServices } from './shared.js';
import { vehiclesFeature } from './vehicles.js';
import { verifyFeature } from './verify.js';

/** Every feature module (use cases and HTTP handlers), plus the services they share. */
export const featureModules = (): ContainerModule[] => [
  sharedServices(),
  authFeature(),
  administrationFeature(),
  inspectionsFeature(),
  reportsFeature(),
  archiveFeature(),
  verifyFeature(),
  customerHistoryFeature(),
  vehiclesFeature(),
  pricingFeature(),
  inspectionRequestsFeature(),
  paymentsFeature(),
  creditsFeature(),
];
