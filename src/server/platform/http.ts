import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyError, FastifyReply, FastifyRequest, FastifySchema, FastifySchemaCompiler } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { ERROR_MESSAGES, errorMessage, type ErrorBody, type ErrorCode } from '../../shared/errors.ts';
import { negotiateLocale, type Locale } from '../../shared/i18n/locale.ts';
import type { Actor } from './actor.ts';
import { AppError } from './errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    locale: Locale;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in (health, login). Everything else under /api needs a session. */
    public?: boolean;
    /** The bearer token is a device's credential, checked by the route: no user session is looked up. */
    deviceToken?: boolean;
  }
}

/** The error body every failing API call returns. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable machine-readable code, e.g. NOT_FOUND' }),
      message: Type.String({ description: "Human-readable message in the caller's language (zh-CN or en)" }),
      details: Type.Optional(Type.Unknown()),
    }),
  },
  { description: '{"error": {"code", "message"}}' },
);

/** Adds the standard error responses to a route's response schema. */
export function withErrors<R extends Record<number, TSchema>>(responses: R): R & Record<400 | 401 | 403 | 404 | 429, typeof ErrorResponse> {
  return { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 429: ErrorResponse, ...responses };
}

/**
 * Two validators: request bodies are strict (no coercion, unknown properties are an error,
 * never silently dropped); query strings and path parameters coerce "12" → 12 as URLs need.
 */
export function buildValidatorCompiler(): FastifySchemaCompiler<FastifySchema> {
  const strict = new Ajv({ allErrors: false, coerceTypes: false, removeAdditional: false, useDefaults: true, strict: false });
  const lenient = new Ajv({ allErrors: false, coerceTypes: 'array', removeAdditional: false, useDefaults: true, strict: false });
  addFormats.default(strict);
  addFormats.default(lenient);
  return ({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? strict : lenient;
    return ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<FastifySchema>>;
  };
}

export function sendError(reply: FastifyReply, request: FastifyRequest, code: ErrorCode, details?: unknown): FastifyReply {
  const body: ErrorBody = { error: { code, message: errorMessage(code, request.locale ?? 'zh-CN', details) } };
  if (details !== undefined) body.error.details = details;
  return reply.code(ERROR_MESSAGES[code].status).type('application/json; charset=utf-8').send(body);
}

function validationDetails(error: FastifyError): unknown {
  const issues = (error.validation ?? []) as ErrorObject[];
  return issues.map((issue) => ({
    in: error.validationContext ?? 'body',
    path: issue.instancePath || '/',
    rule: issue.keyword,
    ...(issue.keyword === 'additionalProperties' ? { property: (issue.params as { additionalProperty?: string }).additionalProperty } : {}),
    message: issue.message,
  }));
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'EMPTY_BODY',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
};

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof AppError) return sendError(reply, request, error.code, error.details);
  if (error.validation) return sendError(reply, request, 'VALIDATION_FAILED', validationDetails(error));
  const mapped = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (mapped) return sendError(reply, request, mapped);
  if (error instanceof SyntaxError || error.statusCode === 400) return sendError(reply, request, 'MALFORMED_JSON');
  if (error.statusCode === 413) return sendError(reply, request, 'PAYLOAD_TOO_LARGE');
  if (error.statusCode === 415) return sendError(reply, request, 'UNSUPPORTED_MEDIA_TYPE');
  if (error.statusCode === 429) return sendError(reply, request, 'RATE_LIMITED');
  if (error.statusCode === 405) return sendError(reply, request, 'METHOD_NOT_ALLOWED');
  request.log.error({ err: error }, 'unhandled error');
  return sendError(reply, request, 'INTERNAL');
}

export function localeOf(request: FastifyRequest): Locale {
  const header = request.headers['accept-language'];
  return negotiateLocale(Array.isArray(header) ? header[0] : header);
}
