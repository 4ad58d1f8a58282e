import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../db/index.ts';
import { sendError } from '../http.ts';
import { resolveSession } from './sessions.ts';

export const SESSION_COOKIE = 'gz_session';

/** The token of an `Authorization: Bearer …` header, if the request has one. */
export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  return /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? null;
}

export function tokenFrom(request: FastifyRequest): string | null {
  if (request.headers.authorization) return bearerToken(request);
  return request.cookies[SESSION_COOKIE] ?? null;
}

/** onRequest hook for /api: every route needs a valid session unless its config says `public`. */
export function authenticate(db: Database, ttlHours: number) {
  return async function authenticateRequest(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    request.actor = null;
    if (request.routeOptions.config.deviceToken) return undefined;
    const token = tokenFrom(request);
    if (token) {
      const found = await resolveSession(db, token, ttlHours);
      if (found.ok) request.actor = found.actor;
      else if (!request.routeOptions.config.public) {
        return sendError(reply, request, found.reason === 'expired' ? 'SESSION_EXPIRED' : found.reason === 'disabled' ? 'ACCOUNT_DISABLED' : 'UNAUTHENTICATED');
      }
    }
    if (!request.actor && !request.routeOptions.config.public) return sendError(reply, request, 'UNAUTHENTICATED');
    return undefined;
  };
}
