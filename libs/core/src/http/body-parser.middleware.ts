import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import { ValidationError } from '@plinth/plugin-sdk';
import {
  LIMITS,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  nulErrors,
  scanJson,
  type RequestLimits,
} from './limits';

/**
 * JSON bodies: any `application/json` content type, including pynautobot's `application/json;`
 * (a trailing `;` that strict parsers reject). Malformed JSON is a 400 naming the problem.
 */
function isJson(req: { headers: Request['headers'] }): boolean {
  const ct = req.headers['content-type'];
  return typeof ct === 'string' && /^\s*application\/(([\w.+-]+\+)?json)\s*(;|$)/i.test(ct);
}

function isMultipart(req: { headers: Request['headers'] }): boolean {
  const ct = req.headers['content-type'];
  return typeof ct === 'string' && /^\s*multipart\/form-data\s*;/i.test(ct);
}

/** Most files and fields in one multipart body (a job run's file variables, a form). */
const MAX_FILES = 20;
const MAX_FIELDS = 1000;

/**
 * Request bodies within the limits: at most `maxBodyBytes`; JSON no deeper than `maxJsonDepth`
 * and, as a list, of at most `maxBulkItems` items (both checked on the raw text before it is
 * parsed); no NUL characters (PostgreSQL cannot store them: a 400 naming the field, as Django
 * REST framework answers). Refusals: 413 for size, 415 for an unknown charset, 400 otherwise.
 */
export function bodyParserMiddleware(limits: RequestLimits = LIMITS): RequestHandler {
  const json = express.json({
    type: isJson,
    limit: limits.maxBodyBytes,
    strict: false,
    verify: (_req, _res, buf) => scanJson(buf, limits),
  });
  const form = express.urlencoded({ extended: false, limit: limits.maxBodyBytes });
  // Files (job file variables) are kept in memory, each within the body limit: `req.files`.
  const multipartForm = multer({
    storage: multer.memoryStorage(),
    limits: {
      fileSize: limits.maxBodyBytes,
      files: MAX_FILES,
      fields: MAX_FIELDS,
      fieldSize: limits.maxBodyBytes,
    },
  }).any();
  return (req: Request, res: Response, next: NextFunction): void => {
    const parser = isJson(req) ? json : isMultipart(req) ? multipartForm : form;
    parser(req, res, (err?: unknown) => {
      if (!err) {
        const nul = nulErrors(req.body);
        return next(nul ? new ValidationError(nul) : undefined);
      }
      const e = err as { type?: string; message?: string; status?: number; code?: string };
      if (parser === multipartForm)
        return next(
          err instanceof multer.MulterError &&
            (e.code === 'LIMIT_FILE_SIZE' || e.code === 'LIMIT_FIELD_VALUE')
            ? new PayloadTooLargeError(
                `An uploaded file is too large: the maximum is ${limits.maxBodyBytes} bytes (PLINTH_MAX_BODY_SIZE_MB).`,
              )
            : ValidationError.nonField(`Malformed multipart body: ${e.message ?? e.code ?? 'unreadable'}.`),
        );
      // The pre-parse scan's refusals come back as they were thrown.
      if (e instanceof ValidationError || e instanceof PayloadTooLargeError) return next(e);
      if (e.type === 'entity.parse.failed') {
        return next(ValidationError.nonField(`JSON parse error - ${e.message ?? 'malformed JSON'}`));
      }
      if (e.type === 'entity.too.large')
        return next(
          new PayloadTooLargeError(
            `Request body is too large: the maximum is ${limits.maxBodyBytes} bytes (PLINTH_MAX_BODY_SIZE_MB).`,
          ),
        );
      if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported')
        return next(new UnsupportedMediaTypeError(e.message ?? 'Unsupported media type.'));
      if (typeof e.status === 'number' && e.status >= 400 && e.status < 500)
        return next(ValidationError.nonField(e.message ?? 'Malformed request body.'));
      return next(err);
    });
  };
}
