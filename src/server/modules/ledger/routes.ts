import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { ROW_PROBLEMS, type HistoryOutcome, type RevealableField } from '../../../shared/ledger.ts';
import type { Locale } from '../../../shared/i18n/locale.ts';
import { maskIdNumber, maskName, maskPhone } from '../../../shared/mask.ts';
import { authorize, can, scopeOf } from '../../platform/access.ts';
import type { UserActor } from '../../platform/actor.ts';
import { AppError } from '../../platform/errors.ts';
import { buildValidatorCompiler, ErrorResponse, localeOf, withErrors } from '../../platform/http.ts';
import type { App } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { revealPersonField, saveColumnMapping } from './commands.ts';
import { beginImport, inspectFile, parseMappingOverrides, previewImport, resolveSource, runImport, type ReadyFile } from './importer.ts';
import { ageOn, SENSITIVE_TAG_CATEGORIES } from './policy.ts';
import { writeErrorReport } from './report.ts';
import { listDemoLedgerFiles } from './demo.ts';
import {
  findImport,
  findMapping,
  findPerson,
  listMappings,
  ledgerStats,
  listPersons,
  listSources,
  listTags,
  loadAuthority,
  personFieldValues,
  personHistory,
  personOpenConflicts,
  personSourceRecords,
  type ImportRun,
  type LedgerTag,
  type PersonSummary,
} from './repository.ts';
import { findRegion } from '../regions/repository.ts';
import {
  IdParams,
  ImportForm,
  DemoFileList,
  DemoFileParams,
  MappingList,
  MappingSchema,
  SaveMappingBody,
  ImportPreview,
  ImportStarted,
  ImportView,
  PersonDetail,
  PersonList,
  PersonListQuery,
  RevealBody,
  RevealResponse,
  SourceList,
  StatsQuery,
  StatsSchema,
  TagList,
} from './schemas.ts';

const megabytes = (bytes: number) => Number((bytes / (1024 * 1024)).toFixed(1));
const PREVIEW_ROWS = 20;

interface Upload {
  dir: string;
  path: string;
  fileName: string;
  source: string | undefined;
  mapping: string | undefined;
  mappingId: string | undefined;
}

/**
 * Streams the multipart upload to a private temporary file (never into memory): the field `file`
 * and the text fields `source` and `mapping`. Too large → 413, refused before reading when the
 * declared length already says so.
 */
async function receiveUpload(request: FastifyRequest, maxBytes: number): Promise<Upload> {
  if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
  const tooLarge = () => new AppError('LEDGER_IMPORT_TOO_LARGE', { maxBytes, maxMb: megabytes(maxBytes) });
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > maxBytes + 64 * 1024) throw tooLarge();
  const dir = await mkdtemp(join(tmpdir(), 'gongzhi-ledger-'));
  const upload: Upload = { dir, path: join(dir, randomUUID()), fileName: '', source: undefined, mapping: undefined, mappingId: undefined };
  try {
    let files = 0;
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || files > 0) throw new AppError('VALIDATION_FAILED', [{ path: `/${part.fieldname}`, rule: 'multipart', message: 'one file, in the field "file"' }]);
        files += 1;
        upload.fileName = part.filename.slice(0, 200) || 'upload';
        await pipeline(part.file, createWriteStream(upload.path));
        if (part.file.truncated) throw tooLarge();
      } else if (part.fieldname === 'source') upload.source = String(part.value);
      else if (part.fieldname === 'mapping') upload.mapping = String(part.value);
      else if (part.fieldname === 'mappingId') upload.mappingId = String(part.value);
      else throw new AppError('VALIDATION_FAILED', [{ path: `/${part.fieldname}`, rule: 'additionalProperties', message: 'unknown field' }]);
    }
    if (files === 0) throw new AppError('VALIDATION_FAILED', [{ path: '/file', rule: 'required', message: 'the spreadsheet goes in the field "file"' }]);
    return upload;
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    const code = (error as { code?: unknown }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_FILES_LIMIT') throw new AppError('PAYLOAD_TOO_LARGE');
    if (code === 'FST_PROTO_VIOLATION' || code === 'FST_INVALID_JSON_FIELD_ERROR') throw new AppError('VALIDATION_FAILED', [{ path: '/', rule: 'multipart', message: 'malformed form' }]);
    throw error;
  }
}

function presentImport(run: ImportRun) {
  return {
    id: run.id,
    status: run.status,
    source: run.sourceName,
    fileName: run.fileName,
    format: run.format,
    headerRow: run.headerRow,
    rows: run.rows,
    imported: run.imported,
    unchanged: run.unchanged,
    rejected: run.rejected,
    conflicts: run.conflicts,
    message: run.message,
    errorReportUrl: `/api/ledger/imports/${run.id}/errors.xlsx`,
    createdAt: run.createdAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

/** What a role may see of a value: revealable numbers masked, names and addresses only for committee staff. */
export function presentValue(field: string, value: string | null, personal: boolean): string | null {
  if (value === null) return null;
  if (field === 'id_number') return maskIdNumber(value);
  if (field === 'phone' || field === 'emergency_contact_phone' || field === 'guardian_phone') return maskPhone(value);
  if (personal) return value;
  if (field === 'name' || field === 'emergency_contact_name' || field === 'guardian_name') return maskName(value);
  if (field === 'birth_date') return value.slice(0, 4);
  if (field === 'hukou_address' || field === 'residence_address') return null;
  return value;
}

export interface Viewer {
  personal: boolean;
  tags: Map<string, LedgerTag>;
  hiddenTags: Set<string>;
  today: string;
}

export function fieldVisible(field: string, viewer: Viewer): boolean {
  return !(field.startsWith('tag.') && viewer.hiddenTags.has(field.slice(4)));
}

export function presentPerson(p: PersonSummary, viewer: Viewer, locale: Locale) {
  return {
    id: p.id,
    name: presentValue('name', p.name, viewer.personal) ?? '',
    idNumber: presentValue('id_number', p.idNumber, viewer.personal),
    sex: p.sex,
    birthDate: presentValue('birth_date', p.birthDate, viewer.personal),
    age: p.birthDate ? ageOn(p.birthDate, viewer.today) : null,
    phone: presentValue('phone', p.phone, viewer.personal),
    address: presentValue('residence_address', p.residenceAddress, viewer.personal),
    regionCode: p.regionCode,
    regionName: p.regionName,
    householdNumber: p.householdNumber,
    householdId: p.householdId,
    dwellingId: p.dwellingId,
    tags: p.tags
      .filter((code) => !viewer.hiddenTags.has(code))
      .map((code) => {
        const tag = viewer.tags.get(code);
        return { code, name: tag ? (locale === 'en' ? tag.nameEn : tag.name) : code };
      }),
    updatedAt: p.updatedAt.toISOString(),
  };
}

/** What the caller may see of the ledger: names and addresses in full, which tags (policy.ts). */
export async function ledgerViewer(platform: Platform, actor: UserActor): Promise<Viewer> {
  const all = await listTags(platform.db);
  const personal = can(platform.permissions, actor, 'ledger.personal.read');
  return {
    personal,
    tags: new Map(all.map((t) => [t.code, t])),
    hiddenTags: new Set(personal ? [] : all.filter((t) => SENSITIVE_TAG_CATEGORIES.has(t.category)).map((t) => t.code)),
    today: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10),
  };
}

/** Imports still running in this process; closing the app waits for them. */
const running = new Set<Promise<unknown>>();

export async function ledgerRoutes(app: App, platform: Platform): Promise<void> {
  const { db, permissions, config } = platform;
  const tags = ['ledger'];
  const compile = buildValidatorCompiler();

  const viewerOf = (actor: UserActor) => ledgerViewer(platform, actor);

  async function loadImport(actor: UserActor, id: string): Promise<ImportRun> {
    const run = await findImport(db, scopeOf(actor), id);
    if (!run) throw new AppError('NOT_FOUND');
    return run;
  }

  async function readyUpload(request: FastifyRequest, actor: UserActor): Promise<{ upload: Upload; file: ReadyFile; source: string }> {
    const upload = await receiveUpload(request, config.ledgerImportMaxBytes);
    try {
      if (!upload.source) throw new AppError('VALIDATION_FAILED', [{ path: '/source', rule: 'required', message: 'the source of the data, e.g. 民政' }]);
      const source = await resolveSource(platform, upload.source);
      const tagCodes = (await listTags(db)).map((t) => t.code);
      let overrides = {};
      if (upload.mappingId) {
        const saved = /^[0-9a-f-]{36}$/i.test(upload.mappingId) ? await findMapping(db, scopeOf(actor), upload.mappingId) : undefined;
        if (!saved) throw new AppError('NOT_FOUND', { mappingId: upload.mappingId });
        overrides = parseMappingOverrides(saved.columns, tagCodes);
      }
      if (upload.mapping) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(upload.mapping);
        } catch {
          throw new AppError('LEDGER_MAPPING_INVALID', { reason: 'not JSON' });
        }
        overrides = { ...overrides, ...parseMappingOverrides(parsed, tagCodes) };
      }
      return { upload, file: await inspectFile(platform, upload.path, upload.fileName, overrides), source };
    } catch (error) {
      await rm(upload.dir, { recursive: true, force: true });
      throw error;
    }
  }

  app.addHook('onClose', async () => {
    await Promise.allSettled([...running]);
  });

  await app.register(async (context) => {
    const uploads = context.withTypeProvider<TypeBoxTypeProvider>();
    // Registered only in this context: the JSON routes keep answering 415 to multipart bodies.
    await uploads.register(multipart, {
      throwFileSizeLimit: true,
      limits: { fileSize: config.ledgerImportMaxBytes, files: 1, fields: 4, fieldSize: 64 * 1024, parts: 6 },
    });
    const skipBody = { validatorCompiler: (route: Parameters<typeof compile>[0]) => (route.httpPart === 'body' ? () => true : compile(route)) };

    uploads.post(
      '/ledger/imports',
      {
        schema: {
          tags,
          summary: 'Import a department’s spreadsheet (CSV or XLSX) into the ledger; runs in the background',
          description:
            'Multipart: `file`, `source` (民政, 卫健, 残联, 公安实有人口, 房管, 社工走访, 居民自报 … or their codes) and optionally `mapping` (JSON, header → field). The header is detected among the first 20 rows. Re-importing the same rows changes nothing.',
          consumes: ['multipart/form-data'],
          body: ImportForm,
          response: withErrors({ 202: ImportStarted, 413: ErrorResponse, 415: ErrorResponse, 422: ErrorResponse }),
        },
        ...skipBody,
      },
      async (request, reply) => {
        const actor = authorize(permissions, request.actor, 'ledger.import');
        const { upload, file, source } = await readyUpload(request, actor);
        let id: string;
        try {
          id = await beginImport(platform, actor, file, source, request.id);
        } catch (error) {
          await rm(upload.dir, { recursive: true, force: true });
          throw error;
        }
        const work = runImport(platform, actor, id, file, source).finally(() => rm(upload.dir, { recursive: true, force: true }));
        running.add(work);
        void work.finally(() => running.delete(work));
        return reply.code(202).send({ id, status: 'running' as const });
      },
    );

    uploads.post(
      '/ledger/imports/preview',
      {
        schema: {
          tags,
          summary: 'Preview an import: the detected header and mapping and the first 20 rows with their problems; writes nothing',
          consumes: ['multipart/form-data'],
          body: ImportForm,
          response: withErrors({ 200: ImportPreview, 413: ErrorResponse, 415: ErrorResponse, 422: ErrorResponse }),
        },
        ...skipBody,
      },
      async (request) => {
        const actor = authorize(permissions, request.actor, 'ledger.import');
        const { upload, file, source } = await readyUpload(request, actor);
        try {
          const locale = localeOf(request);
          const rows = await previewImport(platform, actor, file, source, PREVIEW_ROWS);
          return {
            format: file.sniffed.format,
            encoding: file.sniffed.format === 'csv' ? file.sniffed.encoding : null,
            headerRow: file.mapping.headerRow,
            columns: file.mapping.headers.map((header, index) => ({ index, header, target: file.mapping.targets[index] ?? null })),
            rows: rows.map((r) => ({
              ...r,
              values: Object.fromEntries(Object.entries(r.values).map(([field, value]) => [field, presentValue(field, value, true) ?? ''])),
              problems: r.problems.map((p) => ({ ...p, effect: ROW_PROBLEMS[p.code].effect, message: ROW_PROBLEMS[p.code][locale] })),
            })),
          };
        } finally {
          await rm(upload.dir, { recursive: true, force: true });
        }
      },
    );
  });

  app.get(
    '/ledger/imports/:id',
    { schema: { tags, summary: 'An import’s progress and outcome: status running / done / failed and the row counts', params: IdParams, response: withErrors({ 200: ImportView }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'ledger.import');
      return presentImport(await loadImport(actor, request.params.id));
    },
  );

  app.get(
    '/ledger/imports/:id/errors.xlsx',
    {
      schema: {
        tags,
        summary: 'The error report of an import as XLSX: row number, field, problem and what was done, in the caller’s language',
        params: IdParams,
        response: withErrors({ 200: { description: 'XLSX', content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } } } } }),
      },
    },
    async (request, reply) => {
      const actor = authorize(permissions, request.actor, 'ledger.import');
      const run = await loadImport(actor, request.params.id);
      const body = new PassThrough();
      writeErrorReport(db, run, localeOf(request), body).catch((error: unknown) => body.destroy(error as Error));
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="import-${run.id}-errors.xlsx"`)
        .header('x-content-type-options', 'nosniff')
        .send(body);
    },
  );

  app.get('/ledger/demo-files', { schema: { tags, summary: 'Demo mode: three departments’ generated spreadsheets to import (synthetic, nobody real)', response: withErrors({ 200: DemoFileList }) } }, async (request) => {
    authorize(permissions, request.actor, 'ledger.import');
    const files = await listDemoLedgerFiles(platform.config);
    return { items: files.map((f, index) => ({ name: f.name, source: f.source, format: f.format, bytes: f.bytes, url: `/api/ledger/demo-files/${index}` })) };
  });

  app.get(
    '/ledger/demo-files/:index',
    {
      schema: {
        tags,
        summary: 'Demo mode: one of the demo spreadsheets, to download and import',
        params: DemoFileParams,
        response: withErrors({ 200: { description: 'CSV or XLSX', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } } }),
      },
    },
    async (request, reply) => {
      authorize(permissions, request.actor, 'ledger.import');
      const file = (await listDemoLedgerFiles(platform.config))[request.params.index];
      if (!file) throw new AppError('NOT_FOUND');
      return reply
        .type(file.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`)
        .header('x-content-type-options', 'nosniff')
        .send(createReadStream(file.path));
    },
  );

  app.get('/ledger/mappings', { schema: { tags, summary: 'Saved column mappings of the caller’s scope', response: withErrors({ 200: MappingList }) } }, async (request) => {
    const actor = authorize(permissions, request.actor, 'ledger.import');
    return { items: (await listMappings(db, scopeOf(actor))).map((m) => ({ id: m.id, name: m.name, source: m.sourceName, columns: m.columns, createdAt: m.createdAt.toISOString() })) };
  });

  app.post(
    '/ledger/mappings',
    { schema: { tags, summary: 'Save a column mapping (header → field) under a name for the caller’s region; the same name replaces it', body: SaveMappingBody, response: withErrors({ 201: MappingSchema, 422: ErrorResponse }) } },
    async (request, reply) => {
      const actor = authorize(permissions, request.actor, 'ledger.import');
      const source = await resolveSource(platform, request.body.source);
      const columns = parseMappingOverrides(request.body.columns, (await listTags(db)).map((t) => t.code));
      const name = request.body.name.trim();
      const id = await platform.transaction(actor, (ctx) => saveColumnMapping(ctx, { name, sourceName: source, columns, regionPath: actor.assignment.regionPath }), { requestId: request.id });
      const saved = await findMapping(db, scopeOf(actor), id);
      if (!saved) throw new AppError('NOT_FOUND');
      return reply.code(201).send({ id, name: saved.name, source: saved.sourceName, columns: saved.columns, createdAt: saved.createdAt.toISOString() });
    },
  );

  app.get('/ledger/sources', { schema: { tags, summary: 'The sources values come from, and the fields each is authoritative for (一数一源)', response: withErrors({ 200: SourceList }) } }, async (request) => {
    authorize(permissions, request.actor, 'ledger.read');
    const authority = await loadAuthority(db);
    return {
      items: (await listSources(db)).map((s) => ({ ...s, authoritativeFor: [...authority].filter(([, source]) => source === s.name).map(([field]) => field).sort() })),
    };
  });

  app.get('/ledger/tags', { schema: { tags, summary: 'The tag dictionary (derived tags are computed, the others come from sources)', response: withErrors({ 200: TagList }) } }, async (request) => {
    const actor = authorize(permissions, request.actor, 'ledger.read');
    const viewer = await viewerOf(actor);
    return { items: [...viewer.tags.values()].filter((t) => !viewer.hiddenTags.has(t.code)) };
  });

  app.get(
    '/ledger/persons',
    { schema: { tags, summary: 'Persons in the caller’s scope, masked; search by name, pinyin initials, ID tail or address; filter by tag and region', querystring: PersonListQuery, response: withErrors({ 200: PersonList }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'ledger.read');
      const viewer = await viewerOf(actor);
      const q = request.query;
      const tag = q.tag ? [...viewer.tags.values()].find((t) => t.code === q.tag || t.name === q.tag)?.code ?? q.tag : undefined;
      const { items, total } = await listPersons(db, scopeOf(actor), {
        ...(q.q ? { q: q.q.trim() } : {}),
        ...(tag ? { tag } : {}),
        ...(q.region ? { regionCode: q.region } : {}),
        hiddenTags: viewer.hiddenTags,
        limit: q.limit ?? 50,
        offset: q.offset ?? 0,
      });
      const locale = localeOf(request);
      return { items: items.map((p) => presentPerson(p, viewer, locale)), total };
    },
  );

  app.get(
    '/ledger/persons/:id',
    { schema: { tags, summary: 'A person: masked fields with their sources, the source records, every field’s history and open conflicts', params: IdParams, response: withErrors({ 200: PersonDetail }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'ledger.read');
      const person = await findPerson(db, scopeOf(actor), request.params.id);
      if (!person) throw new AppError('NOT_FOUND');
      const viewer = await viewerOf(actor);
      const [fields, history, sources, conflicts, authority] = await Promise.all([
        personFieldValues(db, person.id),
        personHistory(db, person.id),
        personSourceRecords(db, person.id),
        personOpenConflicts(db, person.id),
        loadAuthority(db),
      ]);
      const shown = (field: string, value: string | null) => presentValue(field, value, viewer.personal);
      return {
        ...presentPerson(person, viewer, localeOf(request)),
        sources: sources.map((s) => ({ source: s.source, recordKey: s.recordKey, receivedAt: s.receivedAt.toISOString() })),
        fields: fields
          .filter((f) => fieldVisible(f.field, viewer))
          .map((f) => ({ field: f.field, value: shown(f.field, f.value), source: f.source, observedAt: f.observedAt.toISOString(), authoritative: authority.get(f.field) === f.source })),
        history: history
          .filter((h) => fieldVisible(h.field, viewer))
          .map((h) => ({
            field: h.field,
            value: shown(h.field, h.value),
            source: h.source,
            observedAt: h.observedAt.toISOString(),
            outcome: h.outcome as HistoryOutcome,
            recordKey: h.recordKey,
            recordedAt: h.recordedAt.toISOString(),
            note: h.note,
          })),
        conflicts: conflicts
          .filter((c) => fieldVisible(c.field, viewer))
          .map((c) => ({ ...c, currentValue: shown(c.field, c.currentValue), proposedValue: shown(c.field, c.proposedValue), createdAt: c.createdAt.toISOString() })),
      };
    },
  );

  app.post(
    '/ledger/persons/:id/reveal',
    { schema: { tags, summary: 'One masked value of a person in full (ID number, phone), for a reason; audited', params: IdParams, body: RevealBody, response: withErrors({ 200: RevealResponse }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'ledger.reveal');
      const field = request.body.field as RevealableField;
      const value = await platform.transaction(
        actor,
        async (ctx) => {
          const person = await findPerson(ctx.trx, scopeOf(actor), request.params.id);
          if (!person) throw new AppError('NOT_FOUND');
          const current = (await personFieldValues(ctx.trx, person.id)).find((f) => f.field === field);
          return revealPersonField(ctx, person, field, request.body.reason.trim(), current?.value ?? null);
        },
        { requestId: request.id },
      );
      return { field, value };
    },
  );

  app.get(
    '/ledger/stats',
    { schema: { tags, summary: 'Counts of the ledger in the caller’s scope, or in one region of it', querystring: StatsQuery, response: withErrors({ 200: StatsSchema }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'ledger.read');
      const scope = scopeOf(actor);
      let regionPath: string | null = null;
      if (request.query.region) {
        const region = await findRegion(db, scope, request.query.region);
        if (!region) throw new AppError('NOT_FOUND');
        regionPath = region.regionPath;
      }
      return ledgerStats(db, scope, regionPath);
    },
  );
}

