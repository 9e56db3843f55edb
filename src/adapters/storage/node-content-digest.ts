import { createHash } from 'node:crypto';
import type { ContentDigest } from '../../ports/content-digest.js';
import type { ByteSource } from '../../ports/object-storage.js';

/** ContentDigest with node:crypto, streaming: an object is never held in memory whole. */
export class NodeContentDigest implements ContentDigest {
  async sha256(body: ByteSource): Promise<{ sha256: string; size: number }> {
    const hash = createHash('sha256');
    if (Buffer.isBuffer(body)) return { sha256: hash.update(body).digest('hex'), size: body.length };
    let size = 0;
    for await (const chunk of body) {
      const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      hash.update(b);
      size += b.length;
    }
    return { sha256: hash.digest('hex'), size };
  }
}
