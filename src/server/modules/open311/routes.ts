import formbody from '@fastify/formbody';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorObject } from 'ajv';
import { Type, type Static } from 'typebox';
import { CATEGORY_TYPE_LABELS } from '../../../shared/categories.ts';
import { errorMessage, type ErrorCode } from '../../../shared/errors.ts';
import type { Locale } from '../../../shared/i18n/locale.ts';
import { CLOCK_TYPE_LABELS } from '../../../shared/time-limits.ts';
import { authorize, scopeOf } from '../../platform/access.ts';
import type { UserActor } from '../../platform/actor.ts';
import { loadAssignments } from '../../platform/auth/sessions.ts';
import { AppError } from '../../platform/errors.ts';
import { ErrorResponse, withErrors } from '../../platform/http.ts';
import type { App } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { currentCategory, listCategories, type Category } from '../categories/repository.ts';
import { createApiKey, hashApiKey, revokeApiKey, submitServiceRequest } from './commands.ts';
import { INTEGRATION_ROLE, insidePudong, open311Status, requireKeyManager, scrubPersonalData } from './policy.ts';
import { committeesNamedIn, findByToken, findKey, findKeyByHash, findPlace, findPublicRequest, listKeys, listPublicRequests, type ApiKeyRow, type Place, type PublicRequestRow } from './repository.ts';
import {
  CreatedKey,
  CreateKeyBody,
  Discovery,
  FormatParams,
  JurisdictionQuery,
  KeyIdParams,
  KeyList,
  Open311Errors,
  RequestListQuery,
  RequestParams,
  ServiceDefinition,
  ServiceList,
  ServiceParams,
  ServiceRequestList,
  SubmitFields,
  SubmitResponse,
  TokenParams,
  TokenResponse,
} from './schemas.ts';
import { list, toXml, type XmlValue } from './xml.ts';

type Format = 'json' | 'xml';
type Fields = Static<typeof SubmitFields>;

const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';
/** When this endpoint's behaviour last changed (discovery `changeset`). */
const CHANGESET = '2026-12-01T00:00:00+08:00';
const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_WINDOW_DAYS = 90;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** ISO 8601 in Shanghai time with its offset: 2026-11-30T17:30:00+08:00. */
export function isoShanghai(instant: Date): string {
  return new Date(instant.getTime() + 8 * 60 * 60 * 1000).toISOString().replace(/\.\d{3}Z$/, '+08:00');
}

/** The format a URL asks for: its path ends in .xml or .json (anything else is answered in JSON). */
function formatOfUrl(url: string): Format {
  return /\.xml$/i.test(url.split('?')[0] ?? '') ? 'xml' : 'json';
}

function formatOf(params: { format: string }): Format {
  if (params.format === 'json' || params.format === 'xml') return params.format;
  throw new AppError('RESPONSE_FORMAT_UNKNOWN');
}

/** An XML document as the response body (the route's JSON schema does not apply to it). */
function sendXml(reply: FastifyReply, xml: string): FastifyReply {
  return reply.type('text/xml; charset=utf-8').send(xml);
}

function send(reply: FastifyReply, format: Format, root: string, itemName: string, items: ReadonlyArray<Record<string, XmlValue>>, status = 200): FastifyReply {
  reply.code(status);
  if (format === 'json') return reply.type('application/json; charset=utf-8').send(items);
  return sendXml(reply, toXml(root, list(itemName, items)));
}

// ---------------------------------------------------------------- errors

/** GeoReport v2 uses 400, 403 and 404; a refused api_key is 403. Size, media type, rate and server errors keep their status. */
function open311Status400(status: number): number {
  if (status === 401 || status === 403) return 403;
  if ([404, 413, 415, 429].includes(status) || status >= 500) return status;
  return 400;
}

function validationText(error: FastifyError, locale: Locale): string {
  const issues = (error.validation ?? []) as ErrorObject[];
  const where = error.validationContext === 'querystring' ? 'query' : (error.validationContext ?? 'body');
  const parts = issues.map((issue) => {
    const field = issue.keyword === 'additionalProperties' ? (issue.params as { additionalProperty?: string }).additionalProperty : issue.instancePath.replace(/^\//, '');
    const what = issue.keyword === 'additionalProperties' ? (locale === 'en' ? 'unknown field' : '未知字段') : issue.message;
    return `${where} ${field || '/'}: ${what ?? issue.keyword}`;
  });
  return `${errorMessage('VALIDATION_FAILED', locale)} ${parts.join('; ')}`.trim();
}

function detailsText(details: unknown): string {
  if (!Array.isArray(details)) return '';
  return details
    .map((d: unknown) => (typeof d === 'object' && d !== null && 'path' in d ? `${String((d as { path: unknown }).path).replace(/^\//, '')}: ${String((d as { message?: unknown }).message ?? '')}` : ''))
    .filter(Boolean)
    .join('; ');
}

const FRAMEWORK: Record<number, ErrorCode> = { 400: 'MALFORMED_JSON', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 429: 'RATE_LIMITED' };

function open311Error(error: FastifyError, request: FastifyRequest): { status: number; description: string } {
  const locale = request.locale;
  if (error instanceof AppError) {
    const extra = error.code === 'VALIDATION_FAILED' ? detailsText(error.details) : '';
    return { status: open311Status400(error.status), description: `${errorMessage(error.code, locale, error.details)}${extra ? ` ${extra}` : ''}` };
  }
  if (error.validation) return { status: 400, description: validationText(error, locale) };
  const code = error.statusCode !== undefined ? FRAMEWORK[error.statusCode] : undefined;
  if (code) return { status: open311Status400(error.statusCode!), description: errorMessage(code, locale) };
  if (error instanceof SyntaxError) return { status: 400, description: errorMessage('MALFORMED_JSON', locale) };
  request.log.error({ err: error }, 'unhandled error');
  return { status: 500, description: errorMessage('INTERNAL', locale) };
}

function sendError(reply: FastifyReply, request: FastifyRequest, status: number, description: string): FastifyReply {
  return send(reply, formatOfUrl(request.url), 'errors', 'error', [{ code: status, description }], status);
}

// ---------------------------------------------------------------- presenting

function presentService(c: Category, locale: Locale) {
  const en = locale === 'en';
  return {
    service_code: c.code,
    service_name: en ? c.nameEn : c.name,
    description: en ? `${c.parentNameEn ?? ''} › ${c.nameEn} (${c.name})` : `${c.parentName ?? ''} › ${c.name}（${c.nameEn}）`,
    metadata: false,
    type: 'realtime' as const,
    keywords: c.keywords.length ? c.keywords.join(',') : null,
    group: CATEGORY_TYPE_LABELS[c.type][locale],
  };
}

/**
 * A case as a public Open311 request. Requests submitted through Open311 show what their
 * submitter sent for publication (description, address, coordinates, media URL). Cases from
 * other channels (resident app, hotline, patrol…) were not submitted for publication: they show
 * their service, status, dates, agency and committee, but not the reporter's text, exact
 * address or coordinates. Contact data and the reporter are never part of it.
 */
function presentRequest(r: PublicRequestRow, locale: Locale) {
  const published = r.channel === 'open311';
  const committee = locale === 'en' ? `${r.committeeName}, ${r.streetName}, Pudong New Area` : `浦东新区${r.streetName}${r.committeeName}`;
  const status = open311Status(r.status);
  return {
    service_request_id: r.number,
    status,
    status_notes: r.statusNote ? scrubPersonalData(r.statusNote) : null,
    service_name: locale === 'en' ? r.serviceNameEn : r.serviceName,
    service_code: r.categoryCode,
    description: published ? scrubPersonalData(r.description) : null,
    agency_responsible: r.agency,
    service_notice: null,
    requested_datetime: isoShanghai(r.createdAt),
    updated_datetime: isoShanghai(r.status === 'closed' && r.closedAt ? r.closedAt : r.updatedAt),
    expected_datetime: r.deadlineAt ? isoShanghai(r.deadlineAt) : null,
    address: published && r.address ? r.address : committee,
    address_id: published ? (r.addressId ?? r.regionCode) : r.committeeCode,
    zipcode: null,
    lat: published ? r.lat : null,
    long: published ? r.lng : null,
    media_url: published ? r.mediaUrl : null,
  };
}

function serviceNotice(number: string, category: Category, locale: Locale): string {
  const limit = category.timeLimits?.normal;
  const en = locale === 'en';
  const time = limit ? `${limit.amount} ${CLOCK_TYPE_LABELS[limit.clock][locale]}` : null;
  if (en) return `Received as case ${number}. The street operations centre registers it; then the normal time limit applies${time ? `: ${time}` : ''}.`;
  return `已受理，案件编号 ${number}。街镇城运中心立案后按一般时限处理${time ? `：${time}` : ''}。`;
}

// ---------------------------------------------------------------- routes at /open311/v2

function splitList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return [...new Set(value.split(',').map((v) => v.trim()).filter(Boolean))];
}

function coordinate(value: number | string | undefined, field: 'lat' | 'long', limit: number): number | null {
  if (value === undefined) return null;
  const n = typeof value === 'number' ? value : Number(value.trim());
  if (!Number.isFinite(n) || Math.abs(n) > limit) throw new AppError('VALIDATION_FAILED', [{ path: `/${field}`, rule: 'range', message: `must be a WGS-84 coordinate within ±${limit}` }]);
  return n;
}

/** Form clients send empty fields for what they leave out; they count as absent. */
function dropEmpty(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  for (const [key, v] of Object.entries(record)) if (v === '') delete record[key];
}

export async function open311Routes(app: App, platform: Platform): Promise<void> {
  const { db, config } = platform;
  const tags = ['open311'];
  // Form bodies (what Open311 clients send) are parsed here only; /api keeps answering 415 to them.
  await app.register(formbody);
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { status, description } = open311Error(error, request);
    return sendError(reply, request, status, description);
  });
  app.setNotFoundHandler((request, reply) => sendError(reply, request, 404, errorMessage('ROUTE_NOT_FOUND', request.locale)));

  const errors = { 400: Open311Errors, 403: Open311Errors, 404: Open311Errors };

  function checkJurisdiction(jurisdictionId: string | undefined): void {
    if (jurisdictionId !== undefined && jurisdictionId !== config.rootRegionCode) {
      throw new AppError('JURISDICTION_UNKNOWN', { jurisdictionId, expected: config.rootRegionCode });
    }
  }

  const services = () => listCategories(db, { level: 'leaf', selectable: true, residentSelectable: true });
  const isService = (c: Category | undefined): c is Category => c !== undefined && c.level === 'leaf' && c.selectable && c.residentSelectable === true;

  app.get(
    '/discovery.:format',
    { schema: { tags, summary: 'GeoReport v2 discovery: where the endpoint is and what it speaks', params: FormatParams, querystring: JurisdictionQuery, response: { 200: Discovery, ...errors } } },
    async (request, reply) => {
      const format = formatOf(request.params);
      const en = request.locale === 'en';
      const base = `${request.protocol}://${request.host}`;
      const discovery = {
        changeset: CHANGESET,
        contact: en ? 'Gongzhi 共治 — Pudong New Area operations centre (城运中心)' : '共治 Gongzhi — 浦东新区城运中心',
        key_service: en ? 'API keys are issued by an administrator of this installation (POST /api/open311/keys).' : 'api_key 由本平台系统管理员签发（POST /api/open311/keys）。',
        endpoints: [{ specification: SPECIFICATION, url: `${base}/open311/v2`, changeset: CHANGESET, type: 'production', formats: ['application/json', 'text/xml'] }],
      };
      if (format === 'json') return reply.type('application/json; charset=utf-8').send(discovery);
      const xml = { ...discovery, endpoints: list('endpoint', discovery.endpoints.map((e) => ({ ...e, formats: list('format', e.formats) }))) };
      return sendXml(reply, toXml('discovery', xml));
    },
  );

  app.get(
    '/services.:format',
    {
      schema: {
        tags,
        summary: 'The services: the case categories residents may choose (部件 / 事件 / 社区事项 as group)',
        params: FormatParams,
        querystring: JurisdictionQuery,
        response: { 200: ServiceList, ...errors },
      },
    },
    async (request, reply) => {
      const format = formatOf(request.params);
      checkJurisdiction(request.query.jurisdiction_id);
      return send(reply, format, 'services', 'service', (await services()).map((c) => presentService(c, request.locale)));
    },
  );

  app.get(
    '/services/:service_code.:format',
    { schema: { tags, summary: 'A service definition (no extra attributes: the list is empty)', params: ServiceParams, querystring: JurisdictionQuery, response: { 200: ServiceDefinition, ...errors } } },
    async (request, reply) => {
      const format = formatOf(request.params);
      checkJurisdiction(request.query.jurisdiction_id);
      const category = await currentCategory(db, request.params.service_code);
      if (!isService(category)) throw new AppError('NOT_FOUND');
      const definition = { service_code: category.code, attributes: [] };
      if (format === 'json') return reply.type('application/json; charset=utf-8').send(definition);
      return sendXml(reply, toXml('service_definition', { service_code: category.code, attributes: list('attribute', []) }));
    },
  );

  app.get(
    '/requests.:format',
    {
      schema: {
        tags,
        summary:
          'Public service requests, newest first. Filters: service_request_id (overrides the rest), service_code, start_date, end_date, status; ' +
          'without dates the last 90 days. Paging: page (from 1), page_size (default and maximum 1000).',
        params: FormatParams,
        querystring: RequestListQuery,
        response: { 200: ServiceRequestList, ...errors },
      },
    },
    async (request, reply) => {
      const format = formatOf(request.params);
      const q = request.query;
      checkJurisdiction(q.jurisdiction_id);
      const numbers = splitList(q.service_request_id);
      const start = q.start_date ? new Date(q.start_date) : undefined;
      const end = q.end_date ? new Date(q.end_date) : undefined;
      if (start && end && start > end) throw new AppError('VALIDATION_FAILED', [{ path: '/start_date', rule: 'order', message: 'start_date must not be after end_date' }]);
      const from = start ?? new Date((end ?? new Date()).getTime() - DEFAULT_WINDOW_DAYS * DAY_MS);
      const pageSize = q.page_size ?? 1000;
      const rows = await listPublicRequests(db, {
        ...(numbers ? { numbers: numbers.slice(0, 1000) } : {}),
        serviceCodes: splitList(q.service_code),
        statuses: splitList(q.status) as Array<'open' | 'closed'> | undefined,
        from,
        ...(end ? { to: end } : {}),
        limit: pageSize,
        offset: ((q.page ?? 1) - 1) * pageSize,
      });
      return send(reply, format, 'service_requests', 'request', rows.map((r) => presentRequest(r, request.locale)));
    },
  );

  app.get(
    '/requests/:service_request_id.:format',
    { schema: { tags, summary: 'One public service request by its id (the case number)', params: RequestParams, querystring: JurisdictionQuery, response: { 200: ServiceRequestList, ...errors } } },
    async (request, reply) => {
      const format = formatOf(request.params);
      checkJurisdiction(request.query.jurisdiction_id);
      const row = await findPublicRequest(db, request.params.service_request_id);
      if (!row) throw new AppError('NOT_FOUND');
      return send(reply, format, 'service_requests', 'request', [presentRequest(row, request.locale)]);
    },
  );

  app.get(
    '/tokens/:token_id.:format',
    { schema: { tags, summary: 'The service_request_id a submission token stands for', params: TokenParams, querystring: JurisdictionQuery, response: { 200: TokenResponse, ...errors } } },
    async (request, reply) => {
      const format = formatOf(request.params);
      checkJurisdiction(request.query.jurisdiction_id);
      const token = request.params.token_id.toLowerCase();
      const found = UUID.test(token) ? await findByToken(db, token) : undefined;
      if (!found) throw new AppError('NOT_FOUND');
      return send(reply, format, 'service_requests', 'request', [{ service_request_id: found.number, token: found.token }]);
    },
  );

  /** The integration account behind a valid key, acting through its role assignment. */
  async function actorOfKey(apiKey: string | undefined): Promise<{ key: ApiKeyRow; actor: UserActor }> {
    const key = apiKey ? await findKeyByHash(db, hashApiKey(apiKey)) : undefined;
    if (!key || key.revokedAt || !key.userActive) throw new AppError('API_KEY_INVALID');
    const assignments = await loadAssignments(db, key.userId);
    const assignment = assignments.find((a) => a.role === INTEGRATION_ROLE) ?? assignments[0];
    if (!assignment) throw new AppError('API_KEY_INVALID');
    return { key, actor: { kind: 'user', userId: key.userId, username: key.username, displayName: key.displayName, sessionId: '', assignment, assignments } };
  }

  /**
   * Where the case goes. A case lies in a committee, grid or building; the platform has no
   * boundaries for them, so coordinates cannot decide it. The place is `address_id` (a region
   * code), or else the one committee whose full name `address_string` contains (the street or
   * town named too when the same name exists in several). Otherwise 400, saying what is needed.
   */
  async function placeOf(actor: UserActor, f: Fields): Promise<Place> {
    const scope = scopeOf(actor);
    if (f.address_id !== undefined) {
      const place = await findPlace(db, scope, f.address_id.trim().toUpperCase());
      if (!place || !['committee', 'grid', 'building'].includes(place.level)) throw new AppError('ADDRESS_ID_UNKNOWN', { addressId: f.address_id });
      return place;
    }
    if (f.address_string === undefined) throw new AppError('PLACE_REQUIRED');
    const text = f.address_string;
    let matches = await committeesNamedIn(db, scope, text);
    if (matches.length > 1) {
      const inNamedStreet = matches.filter((m) => text.includes(m.streetName));
      if (inNamedStreet.length > 0) matches = inNamedStreet;
      // a committee name inside another matched name (X居委会 inside 新X居委会) is part of the longer one
      matches = matches.filter((m) => !matches.some((other) => other.name.length > m.name.length && other.name.includes(m.name)));
    }
    if (matches.length === 0) throw new AppError('ADDRESS_UNPLACED');
    if (matches.length > 1) throw new AppError('ADDRESS_AMBIGUOUS', { candidates: matches.slice(0, 5).map((m) => `${m.streetName}${m.name} ${m.code}`).join('、') });
    return matches[0]!;
  }

  app.post(
    '/requests.:format',
    {
      schema: {
        tags,
        summary:
          'Submit a service request (api_key required). Form-encoded, JSON or query parameters. The place is address_id (committee, grid or building code) ' +
          'or a committee named in full in address_string; lat/long are stored but cannot place a request. Returns service_request_id (the case number) and a token.',
        params: FormatParams,
        querystring: SubmitFields,
        body: SubmitFields,
        response: { 200: SubmitResponse, ...errors },
      },
      preValidation: async (request) => {
        // everything may come in the query string, so the body may be absent
        if (request.body === undefined || request.body === null) request.body = {};
        dropEmpty(request.query);
        dropEmpty(request.body);
      },
    },
    async (request, reply) => {
      const format = formatOf(request.params);
      const f: Fields = { ...request.query, ...(request.body ?? {}) };
      checkJurisdiction(f.jurisdiction_id);
      const { key, actor } = await actorOfKey(f.api_key);
      if (f.service_code === undefined) throw new AppError('VALIDATION_FAILED', [{ path: '/service_code', rule: 'required', message: 'service_code is required' }]);
      const category = await currentCategory(db, f.service_code.trim());
      if (!isService(category)) throw new AppError('SERVICE_UNKNOWN', { serviceCode: f.service_code });
      const lat = coordinate(f.lat, 'lat', 90);
      const lng = coordinate(f.long, 'long', 180);
      if ((lat === null) !== (lng === null)) throw new AppError('VALIDATION_FAILED', [{ path: '/lat', rule: 'pair', message: 'lat and long come together' }]);
      if (lat !== null && lng !== null && !insidePudong(lat, lng)) throw new AppError('LOCATION_OUTSIDE_DISTRICT');
      const place = await placeOf(actor, f);
      const text = (s: string | undefined) => (s === undefined ? null : s.trim() || null);
      const submitted = await platform.transaction(
        actor,
        (ctx) =>
          submitServiceRequest(
            { ...ctx, actor },
            platform,
            {
              apiKeyId: key.id,
              serviceCode: category.code,
              // GeoReport makes the description optional; a case needs one, so the service's name stands in.
              description: text(f.description) ?? category.name,
              place,
              lat,
              lng,
              addressString: text(f.address_string),
              addressId: f.address_id !== undefined ? place.code : null,
              mediaUrl: text(f.media_url),
              contact: {
                email: text(f.email),
                firstName: text(f.first_name),
                lastName: text(f.last_name),
                phone: text(f.phone),
                deviceId: text(f.device_id),
                accountId: text(f.account_id),
              },
            },
          ),
        { requestId: request.id },
      );
      return send(reply, format, 'service_requests', 'request', [
        { service_request_id: submitted.number, token: submitted.token, service_notice: serviceNotice(submitted.number, category, request.locale), account_id: null },
      ]);
    },
  );
}

// ---------------------------------------------------------------- admin routes under /api

function presentKey(k: ApiKeyRow) {
  return {
    id: k.id,
    name: k.name,
    keyPrefix: k.keyPrefix,
    userId: k.userId,
    username: k.username,
    userActive: k.userActive,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

export function open311KeyRoutes(app: App, platform: Platform): void {
  const { db, permissions } = platform;
  const tags = ['open311'];
  const manager = (request: FastifyRequest) => {
    const actor = authorize(permissions, request.actor, 'open311.manageKeys');
    requireKeyManager(permissions, actor);
    return actor;
  };

  app.post(
    '/open311/keys',
    {
      schema: {
        tags,
        summary: 'Issue an Open311 api_key (district administrators). Creates the integration account the key reports as, unless userId names one; the key is shown once.',
        body: CreateKeyBody,
        response: withErrors({ 201: CreatedKey, 409: ErrorResponse, 422: ErrorResponse }),
      },
    },
    async (request, reply) => {
      const actor = manager(request);
      const created = await platform.transaction(actor, (ctx) => createApiKey(ctx, platform, request.body), { requestId: request.id });
      const key = await findKey(db, created.id);
      return reply.code(201).send({ id: created.id, name: key!.name, key: created.key, keyPrefix: created.keyPrefix, userId: created.userId, username: created.username, createdAt: key!.createdAt.toISOString() });
    },
  );

  app.get('/open311/keys', { schema: { tags, summary: 'Open311 api_keys (never the keys themselves)', response: withErrors({ 200: KeyList }) } }, async (request) => {
    manager(request);
    const items = (await listKeys(db)).map(presentKey);
    return { items, total: items.length };
  });

  app.delete(
    '/open311/keys/:id',
    { schema: { tags, summary: 'Revoke an Open311 api_key (at once, for good)', params: KeyIdParams, response: withErrors({ 204: Type.Null() }) } },
    async (request, reply) => {
      const actor = manager(request);
      await platform.transaction(
        actor,
        async (ctx) => {
          const key = await findKey(ctx.trx, request.params.id, { forUpdate: true });
          if (!key) throw new AppError('NOT_FOUND');
          await revokeApiKey(ctx, key);
        },
        { requestId: request.id },
      );
      return reply.code(204).send(null);
    },
  );
}
