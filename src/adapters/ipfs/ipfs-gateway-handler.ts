import type { RequestHandler } from 'express';
import { pipeline } from 'node:stream';
import { isDomainError } from '../../domain/shared/domain-error.js';
import type { Ipfs } from '../../ports/ipfs.js';
import { sendProblem, STATUS_OF_KIND } from '../http/problem.js';

/**
 * Types a `?filename=` may ask for. Deliberately short and free of anything a browser would execute
 * (html, svg, js): the bytes come from uploads and are served from our own origin.
 */
const TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  json: 'application/json',
  txt: 'text/plain; charset=utf-8',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
};

function contentTypeOf(filename: string | undefined): string {
  const ext = filename?.match(/\.([a-z0-9]+)$/i)?.[1]?.toLowerCase();
  return (ext && TYPES[ext]) || 'application/octet-stream';
}

/** `inline; filename="..."` as Kubo's gateway sends for `?filename=`, with header-breaking characters replaced. */
function inlineDisposition(filename: string): string {
  return `inline; filename="${filename.replace(/[^\x20-\x7e]|["\\]/g, '_')}"`;
}

/**
 * Serves `GET /ipfs/:cid` from this node, like a trustless-enough subset of an IPFS gateway: only content
 * that is pinned AND published (`isPublished`: the public report of an inspection that is neither
 * deactivated, back in review, nor deleted), 404 IPFS.NOT_FOUND otherwise (the same answer for a withdrawn
 * CID as for an unknown one), 400 IPFS.INVALID_CID for a malformed CID, 503 IPFS.UNAVAILABLE when the node
 * is down. Content under a CID never changes, hence the immutable public cache lifetime; a withdrawn
 * report can still sit in caches that fetched it before (documented in the threat model).
 */
export function ipfsGatewayHandler(ipfs: Ipfs, isPublished: (cid: string) => Promise<boolean>): RequestHandler {
  return async (req, res, next) => {
    const cid = String(req.params.cid ?? '');
    // A repeated parameter arrives as an array: ignore it rather than guess which one was meant.
    const filename = typeof req.query.filename === 'string' ? req.query.filename : undefined;
    try {
      // Unpinned content may linger until garbage collection; it is withdrawn and must not be served.
      if (!(await ipfs.isPinned(cid)) || !(await isPublished(cid)))
        return sendProblem(res, 404, 'IPFS.NOT_FOUND', `No content for ${cid} on this IPFS node.`);
      const body = await ipfs.cat(cid);
      res.status(200);
      res.setHeader('Content-Type', contentTypeOf(filename));
      res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      res.setHeader('X-Ipfs-Path', `/ipfs/${cid}`);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      if (filename) res.setHeader('Content-Disposition', inlineDisposition(filename));
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
