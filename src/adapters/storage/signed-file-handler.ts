import type { RequestHandler } from 'express';
import { pipeline } from 'node:stream';
import { isDomainError } from '../../domain/shared/domain-error.js';
import type { ObjectStorage } from '../../ports/object-storage.js';
import { sendProblem, STATUS_OF_KIND } from '../http/problem.js';
import type { UrlSigner } from './url-signer.js';

/**
 * `Content-Disposition: attachment` for a download name: a quoted filename, plus the RFC 8187 `filename*`
 * form carrying the exact UTF-8 name when the quoted one had to replace characters.
 */
export function attachmentDisposition(name: string): string {
  // Quotes, backslashes and non-printable characters would break out of the quoted string (or the header).
  const fallback = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  if (fallback === name) return `attachment; filename="${name}"`;
  const exact = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${exact}`;
}

/**
 * Serves `GET /files/*key` for URLs made by FsObjectStorage.signedGetUrl: checks the signature and expiry
 * (403 STORAGE.URL_INVALID / STORAGE.URL_EXPIRED), then streams the object (404 STORAGE.NOT_FOUND when it
 * is gone). Mount it with express 5 wildcard syntax, where `req.params.key` is the list of path segments.
 */
export function signedFileHandler(storage: ObjectStorage, signer: UrlSigner): RequestHandler {
  return async (req, res, next) => {
    const raw = req.params.key;
    const key = Array.isArray(raw) ? raw.join('/') : (raw ?? '');
    // A repeated parameter arrives as an array: never signed by us, so it reads as a missing value.
    const param = (name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : undefined);
    const expires = param('expires');
    const signature = param('signature');
    const download = param('download');
    const verdict =
      expires !== undefined && signature !== undefined ? signer.verify(key, expires, signature, download) : 'invalid';
    if (verdict === 'expired') return sendProblem(res, 403, 'STORAGE.URL_EXPIRED', 'This download link has expired.');
    if (verdict === 'invalid') return sendProblem(res, 403, 'STORAGE.URL_INVALID', 'This download link is not valid.');
    try {
      // The object can be replaced between head and get; headers then describe the newer version while
      // the bytes are the older one. Overwrites of stored reports are rare enough to accept that window.
      const info = await storage.head(key);
      if (!info) return sendProblem(res, 404, 'STORAGE.NOT_FOUND', `No stored object ${key}.`);
      const body = await storage.get(key);
      res.status(200);
      res.setHeader('Content-Type', info.contentType);
      res.setHeader('Content-Length', String(info.size));
      res.setHeader('ETag', `"${info.etag}"`);
      res.setHeader('Last-Modified', info.lastModified.toUTCString());
      // The URL stops working at `expires`; a cache must not keep serving it longer, nor share it.
      res.setHeader('Cache-Control', `private, max-age=${Math.max(0, Number(expires) - signer.nowSeconds())}`);
      // Stored files come from uploads: never let a browser sniff them into something executable.
      res.setHeader('X-Content-Type-Options', 'nosniff');
      if (download !== undefined) res.setHeader('Content-Disposition', attachmentDisposition(download));
      pipeline(body, res, (err) => {
        // Once bytes are out the status cannot change; pipeline has already cut the connection.
        if (err && !res.headersSent) next(err);
      });
    } catch (e) {
      if (isDomainError(e)) return sendProblem(res, STATUS_OF_KIND[e.kind], e.code, e.message);
      next(e);
    }
  };
}
