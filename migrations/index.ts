import type { Knex } from 'knex';
import * as identity from './20261124000100_identity.js';
import * as inspections from './20261124000200_inspections.js';
import * as renditions from './20261124000300_photo_renditions.js';
import * as reportJobs from './20261124000400_report_jobs.js';
import * as reportIpfs from './20261124000500_report_ipfs.js';
import * as mintJobs from './20261124000600_mint_jobs.js';
import * as customerVehicles from './20261124000700_customer_vehicles.js';
import * as customerRequests from './20261124000800_customer_requests.js';
import * as neutralisePrototypePaths from './20261203000100_neutralise_prototype_paths.js';
import * as mintJobOrigin from './20261203000200_mint_job_origin.js';
import * as renditionSha256 from './20261203000300_rendition_sha256.js';

export interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * Every migration in order. Listed explicitly (not discovered on disk) so the same list works from
 * TypeScript sources, a build, and tests; names are the file names and must never change once released.
 */
export const migrations: ReadonlyArray<readonly [string, Migration]> = [
  ['20261124000100_identity', identity],
  ['20261124000200_inspections', inspections],
  ['20261124000300_photo_renditions', renditions],
  ['20261124000400_report_jobs', reportJobs],
  ['20261124000500_report_ipfs', reportIpfs],
  ['20261124000600_mint_jobs', mintJobs],
  ['20261124000700_customer_vehicles', customerVehicles],
  ['20261124000800_customer_requests', customerRequests],
  ['20261203000100_neutralise_prototype_paths', neutralisePrototypePaths],
  ['20261203000200_mint_job_origin', mintJobOrigin],
  ['20261203000300_rendition_sha256', renditionSha256],
];
