import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { IncomingFile } from '../../application/photos/incoming-file.js';
import type { OperationSpec } from './openapi.js';
import { sendProblem } from './problem.js';

export interface MultipartOptions {
  maxFileBytes: number;
  tmpDir?: string;
}

async function describe(file: Express.Multer.File): Promise<IncomingFile> {
  const fh = await open(file.path, 'r');
  const head = Buffer.alloc(16);
  try {
    await fh.read(head, 0, 16, 0);
  } finally {
    await fh.close();
  }
  const hash = createHash('sha256');
  await pipeline(createReadStream(file.path), hash);
  return {
    originalName: file.originalname || null,
    size: file.size,
    head: new Uint8Array(head.subarray(0, Math.min(16, file.size))),
    sha256: hash.digest('hex'),
    open: () => createReadStream(file.path),
  };
}

const MULTER_ERRORS: Record<string, [number, string, string]> = {
  LIMIT_FILE_SIZE: [413, 'PHOTO.TOO_LARGE', 'A file is larger than this endpoint accepts.'],
  LIMIT_FILE_COUNT: [400, 'PHOTO.TOO_MANY', 'Too many files in one request.'],
  LIMIT_UNEXPECTED_FILE: [
    400,
    'REQUEST.UNEXPECTED_FILE',
    'A file was sent in a field that takes no file, or too many files in one field.',
  ],
  LIMIT_PART_COUNT: [400, 'REQUEST.TOO_MANY_PARTS', 'Too many parts in the form.'],
  LIMIT_FIELD_KEY: [400, 'REQUEST.INVALID', 'A form field name is too long.'],
  LIMIT_FIELD_VALUE: [413, 'REQUEST.TOO_LARGE', 'A form field is too long.'],
  LIMIT_FIELD_COUNT: [400, 'REQUEST.TOO_MANY_PARTS', 'Too many form fields.'],
};

/**
 * Receives multipart/form-data into temporary files (never whole uploads in memory), with size and count
 * limits from the operation, and hands the files on as IncomingFile (head bytes and SHA-256 computed).
 * Temporary files are removed when the response ends, whatever happened.
 */
export function multipartUpload(op: OperationSpec, o: MultipartOptions) {
  const files = op.multipart?.files ?? [];
  const dir = o.tmpDir ?? path.join(os.tmpdir(), 'cardano-uploads');
  mkdirSync(dir, { recursive: true });
  const upload = multer({
    storage: multer.diskStorage({ destination: dir }),
    limits: {
      fileSize: op.multipart?.maxFileBytes ?? o.maxFileBytes,
      files: files.reduce((n, f) => n + f.maxCount, 0),
      fields: 20,
      fieldSize: 64 * 1024,
      parts: 60,
    },
  }).fields(files.map((f) => ({ name: f.name, maxCount: f.maxCount })));

  return (req: Request, res: Response, next: NextFunction): void => {
    if (!req.is('multipart/form-data')) {
      // An operation that also takes JSON: the body is validated as JSON after this.
      if (op.hasJsonBody) return next();
      return sendProblem(res, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE', 'Send the files as multipart/form-data.');
    }
    const received: string[] = [];
    res.on('close', () => {
      for (const p of received) void unlink(p).catch(() => undefined);
    });
    upload(req, res, (err?: unknown) => {
      const got = (req.files ?? {}) as Record<string, Express.Multer.File[]>;
      for (const list of Object.values(got)) for (const f of list) received.push(f.path);
      if (err) {
        const code = (err as { code?: string }).code ?? '';
        const known = MULTER_ERRORS[code];
        if (code === 'LIMIT_FILE_SIZE' && op.multipart?.tooLargeCode)
          return sendProblem(
            res,
            413,
            op.multipart.tooLargeCode,
            `A file is larger than this endpoint accepts (${op.multipart.maxFileBytes ?? o.maxFileBytes} bytes).`,
          );
        if (known) return sendProblem(res, known[0], known[1], known[2]);
        return sendProblem(res, 400, 'REQUEST.MALFORMED_MULTIPART', 'The multipart body could not be read.');
      }
      Promise.all(
        Object.entries(got).map(async ([field, list]) => [field, await Promise.all(list.map(describe))] as const),
      ).then((described) => {
        res.locals.files = Object.fromEntries(described);
        next();
      }, next);
    });
  };
}

export const filesOf = (res: Response, field: string): IncomingFile[] =>
  ((res.locals.files ?? {}) as Record<string, IncomingFile[]>)[field] ?? [];
