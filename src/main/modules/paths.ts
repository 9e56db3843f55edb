import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory holding package.json and openapi.yaml, from sources (src/main) or a build (dist/src/main). */
export const PROJECT_ROOT = ((): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'openapi.yaml')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
})();
export const OPENAPI_FILE = path.join(PROJECT_ROOT, 'openapi.yaml');
