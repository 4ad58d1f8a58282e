import { ERROR_MESSAGES, errorMessage, type ErrorCode } from '../../shared/errors.ts';

/** An error meant for the API caller: a stable code, an HTTP status, optional details. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;

  constructor(code: ErrorCode, details?: unknown, options?: { cause?: unknown }) {
    super(errorMessage(code, 'en', details), options);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_MESSAGES[code].status;
    this.details = details;
  }
}

export const notFound = (details?: unknown) => new AppError('NOT_FOUND', details);
export const forbidden = (details?: unknown) => new AppError('FORBIDDEN', details);

/** PostgreSQL unique_violation, for mapping races on unique keys to 409s. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; constraint?: unknown };
  return e.code === '23505' && (constraint === undefined || e.constraint === constraint);
}
