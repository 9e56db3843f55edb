import { writeObjectManifest } from '../../adapters/cli/object-manifest-file.js';
import { KnexStoredObjects } from '../../adapters/postgres/knex-stored-objects.js';
import { objectStores } from './object-commands.js';
import type { CliContext } from './context.js';

/** The object manifest written beside a backup: every object the database references (objects.jsonl). */
export async function writeBackupManifest(
  ctx: CliContext,
  file: string,
): Promise<{ file: string; objects: number; sha256: string }> {
  const s = await writeObjectManifest(
    { catalog: new KnexStoredObjects(ctx.db.knex), storeFor: objectStores(ctx.config, ctx.logger) },
    file,
  );
  if (s.unverifiable + s.unhashed > 0)
    console.error(
      `objects manifest: ${s.unverifiable} objects on a store not configured here and ${s.unhashed} renditions without a hash (missing or unreadable; run storage:verify)`,
    );
  return { file: s.file, objects: s.objects, sha256: s.sha256OfFile };
}
