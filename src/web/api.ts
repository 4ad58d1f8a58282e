import { DEFAULT_LOCALE, type Locale } from '../shared/i18n/locale.ts';
import { translate } from '../shared/i18n/ui.ts';
import type { PhotoStage } from '../shared/photos.ts';
import type {
  ApiErrorBody,
  AuditPage,
  AuditVerification,
  AutoDispatchRules,
  CoverageReport,
  CallerReveal,
  MapSettings,
  CaseDetail,
  CaseList,
  CreatedWebhook,
  NotificationList,
  Webhook,
  WebhookDeliveries,
  WebhookList,
  CasePhotoList,
  Category,
  CategoryDetail,
  CategoryPatch,
  CategoryVersion,
  CalendarSettings,
  CalendarYearDetail,
  CalendarYearInput,
  CalendarYearList,
  ClassifyResponse,
  DeadlineInput,
  DeadlineResult,
  NewCategory,
  WorkingPeriod,
  Department,
  FollowState,
  LoginResponse,
  Me,
  NotificationReadResult,
  NotificationUnread,
  Page,
  RegionDetail,
  RegionSummary,
  RevealResult,
  SimilarCases,
  User,
  DryRunResult,
  RuleDetail,
  RuleList,
  RuleView,
  Device,
  DeviceList,
  ReadingList,
  LedgerPersonDetail,
  LedgerPersonList,
  LedgerTagList,
  LedgerSourceList,
  LedgerImportPreview,
  LedgerImportStarted,
  LedgerImportView,
  LedgerAuthorityView,
  LedgerBulkResolveResponse,
  LedgerConflictList,
  LedgerDwellingView,
  LedgerHouseholdView,
  LedgerMappingList,
  LedgerResolveResponse,
  LedgerStats,
} from './types.ts';
import type { RuleDefinition } from '../shared/rules.ts';

/** An error answer of the API: `code` is stable, `message` is for people (in the UI language). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** What the server added to the error (`error.details`), for the pages that act on it. */
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

let locale: Locale = DEFAULT_LOCALE;
let unauthorizedHandler: (() => void) | null = null;

/** Server error messages come back in this language (Accept-Language). */
export function setApiLocale(next: Locale): void {
  locale = next;
}

/** Called on a 401 from anything but login and the initial "who am I". */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

type QueryValue = string | number | boolean | undefined | null;

interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** A multipart form (file uploads); the browser sets the content type and its boundary. */
  form?: FormData;
  /** false for requests where a 401 is an expected answer (login, the first /api/me). */
  handleUnauthorized?: boolean;
}

function queryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error: unknown = value.error;
  return typeof error === 'object' && error !== null && 'code' in error && 'message' in error && typeof error.code === 'string' && typeof error.message === 'string';
}

/** Exported for the feature folders that keep their own endpoints beside their pages (features/alarms). */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': locale };
  let body: string | FormData | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  } else if (options.form) {
    body = options.form;
  }
  let response: Response;
  try {
    response = await fetch(path + queryString(options.query), { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', translate(locale, 'error.network'));
  }
  if (response.status === 204) return undefined as T;
  const payload: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = isErrorBody(payload)
      ? new ApiError(response.status, payload.error.code, payload.error.message, payload.error.details)
      : new ApiError(response.status, `HTTP_${response.status}`, translate(locale, 'error.unexpected', { status: response.status }));
    if (response.status === 401 && options.handleUnauthorized !== false) unauthorizedHandler?.();
    throw error;
  }
  if (payload === undefined) throw new ApiError(response.status, 'BAD_RESPONSE', translate(locale, 'error.unexpected', { status: response.status }));
  return payload as T;
}

const seg = encodeURIComponent;

export interface DepartmentQuery {
  kind?: string | undefined;
  q?: string | undefined;
  region?: string | undefined;
  limit: number;
  offset: number;
}

export interface UserQuery {
  q?: string | undefined;
  role?: string | undefined;
  region?: string | undefined;
  limit: number;
  offset: number;
}

export interface AuditQuery {
  action?: string | undefined;
  actor?: string | undefined;
  objectType?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  before?: string | undefined;
  limit?: number | undefined;
}

export interface CaseQuery {
  status?: string | undefined;
  stage?: string | undefined;
  urgency?: string | undefined;
  channel?: string | undefined;
  q?: string | undefined;
  overdue?: boolean | undefined;
  active?: boolean | undefined;
  sort?: 'newest' | 'deadline' | undefined;
  limit: number;
  offset: number;
}

/** A report taken on the 12345 hotline. */
export interface HotlineReport {
  description: string;
  categoryCode?: string | undefined;
  urgency?: string | undefined;
  regionCode: string;
  address?: string | undefined;
  callType: string;
  confidential: boolean;
  caller: { name?: string | undefined; phone: string };
}

/** The body of `POST /api/cases/{id}/transitions`: the action and the fields it needs. */
export interface TransitionInput {
  action: string;
  categoryCode?: string | undefined;
  urgency?: string | undefined;
  mainUnitId?: string | undefined;
  reason?: string | undefined;
  text?: string | undefined;
  result?: string | undefined;
  passed?: boolean | undefined;
  score?: number | undefined;
  comment?: string | undefined;
  amount?: number | undefined;
  masterId?: string | undefined;
  reached?: boolean | undefined;
}

/** The body of `POST /api/cases` (the console sends the first two; the resident app the place too). */
export interface ReportInput {
  description: string;
  categoryCode?: string | undefined;
  regionCode?: string | undefined;
  lat?: number | undefined;
  lng?: number | undefined;
  /** Browsers' Geolocation API gives WGS-84. */
  coordSystem?: 'wgs84' | 'gcj02' | undefined;
  address?: string | undefined;
  /** Staff reporting from their rounds send `patrol`; residents' reports are always `resident_app`. */
  channel?: 'patrol' | undefined;
}

/** The body of `POST /api/cases/similar`. */
export interface SimilarQuery {
  description: string;
  categoryCode?: string | undefined;
  regionCode?: string | undefined;
  lat?: number | undefined;
  lng?: number | undefined;
}

/** Drops undefined and blank fields so the server's strict schemas see only what was given. */
function compact<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}

export const api = {
  login: (username: string, password: string) =>
    request<LoginResponse>('POST', '/api/auth/login', { body: { username, password }, handleUnauthorized: false }),
  logout: () => request<void>('POST', '/api/auth/logout', { handleUnauthorized: false }),

  /** The signed-in user, or null when there is no valid session. */
  async me(): Promise<Me | null> {
    try {
      return await request<Me>('GET', '/api/me', { handleUnauthorized: false });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
  switchScope: (assignmentId: string) => request<Me>('PUT', '/api/me/scope', { body: { assignmentId } }),
  changePassword: (currentPassword: string, newPassword: string) =>
    request<void>('POST', '/api/me/password', { body: { currentPassword, newPassword } }),

  region: (code: string) => request<RegionDetail>('GET', `/api/regions/${seg(code)}`),
  regionChildren: (code: string) => request<RegionSummary[]>('GET', `/api/regions/${seg(code)}/children`),
  searchRegions: (q: string, limit = 20) => request<RegionSummary[]>('GET', '/api/regions/search', { query: { q, limit } }),
  createRegion: (parentCode: string, level: 'grid' | 'building', name: string) =>
    request<RegionSummary>('POST', `/api/regions/${seg(parentCode)}/children`, { body: { level, name } }),
  renameRegion: (code: string, name: string) => request<RegionSummary>('PATCH', `/api/regions/${seg(code)}`, { body: { name } }),
  deleteRegion: (code: string) => request<void>('DELETE', `/api/regions/${seg(code)}`),

  categories: (query: { type?: string | undefined; q?: string | undefined; selectable?: boolean; includeInactive?: boolean }) =>
    request<Page<Category>>('GET', '/api/categories', { query: { ...query } }),
  category: (code: string) => request<CategoryDetail>('GET', `/api/categories/${seg(code)}`),
  categoryVersion: (code: string, version: number) => request<CategoryVersion>('GET', `/api/categories/${seg(code)}/versions/${version}`),
  createCategory: (body: NewCategory) => request<CategoryDetail>('POST', '/api/categories', { body }),
  updateCategory: (code: string, patch: CategoryPatch) => request<CategoryDetail>('PATCH', `/api/categories/${seg(code)}`, { body: patch }),
  /** Switches a category off or on; the reason goes to the audit log. */
  setCategoryActive: (code: string, active: boolean, reason?: string) =>
    request<CategoryDetail>('POST', `/api/categories/${seg(code)}/${active ? 'activate' : 'deactivate'}`, { body: reason ? { reason } : {} }),

  calendarYears: () => request<CalendarYearList>('GET', '/api/calendar/years'),
  calendarYear: (year: number) => request<CalendarYearDetail>('GET', `/api/calendar/years/${year}`),
  /** Replaces the whole schedule of a year (it becomes `manual`). */
  replaceCalendarYear: (year: number, body: CalendarYearInput) => request<CalendarYearDetail>('PUT', `/api/calendar/years/${year}`, { body }),
  calendarSettings: () => request<CalendarSettings>('GET', '/api/calendar/settings'),
  updateCalendarSettings: (workingHours: WorkingPeriod[]) => request<CalendarSettings>('PUT', '/api/calendar/settings', { body: { workingHours } }),
  calendarDeadline: (body: DeadlineInput) => request<DeadlineResult>('POST', '/api/calendar/deadline', { body }),
  departments: (query: DepartmentQuery) => request<Page<Department>>('GET', '/api/departments', { query: { ...query } }),

  users: (query: UserQuery) => request<Page<User>>('GET', '/api/users', { query: { ...query } }),
  revealPhone: (userId: string, reason: string) => request<RevealResult>('POST', `/api/users/${seg(userId)}/reveal`, { body: { field: 'phone', reason } }),
  setUserStatus: (userId: string, status: 'active' | 'disabled') => request<User>('PUT', `/api/users/${seg(userId)}/status`, { body: { status } }),
  unlockUser: (userId: string) => request<User>('POST', `/api/users/${seg(userId)}/unlock`),

  cases: (query: CaseQuery) => request<CaseList>('GET', '/api/cases', { query: { ...query } }),
  case: (id: string) => request<CaseDetail>('GET', `/api/cases/${seg(id)}`),
  reportCase: (body: ReportInput) => request<CaseDetail>('POST', '/api/cases', { body: compact(body) }),
  transitionCase: (id: string, input: TransitionInput) => request<CaseDetail>('POST', `/api/cases/${seg(id)}/transitions`, { body: compact(input) }),
  similarCases: (query: SimilarQuery) => request<SimilarCases>('POST', '/api/cases/similar', { body: compact(query) }),
  followCase: (id: string) => request<FollowState>('POST', `/api/cases/${seg(id)}/follow`),
  unfollowCase: (id: string) => request<FollowState>('DELETE', `/api/cases/${seg(id)}/follow`),
  casePhotos: (id: string) => request<CasePhotoList>('GET', `/api/cases/${seg(id)}/photos`),
  /** Several photos in one request: all are kept, or none. */
  uploadCasePhotos: (id: string, stage: PhotoStage, files: readonly File[]) => {
    const form = new FormData();
    form.append('stage', stage);
    for (const file of files) form.append('files', file, file.name);
    return request<CasePhotoList>('POST', `/api/cases/${seg(id)}/photos`, { form });
  },
  reportHotline: (body: HotlineReport) =>
    request<CaseDetail>('POST', '/api/cases', { body: { ...compact(body), channel: 'hotline', caller: compact(body.caller) } }),
  revealCaller: (id: string, reason: string) => request<CallerReveal>('POST', `/api/cases/${seg(id)}/caller/reveal`, { body: { reason } }),

  mapSettings: () => request<MapSettings>('GET', '/api/system/map'),
  autoDispatchRules: () => request<AutoDispatchRules>('GET', '/api/cases/auto-dispatch'),
  setAutoDispatchRule: (code: string, minScore: number) => request<AutoDispatchRules>('PUT', `/api/cases/auto-dispatch/${seg(code)}`, { body: { minScore } }),
  removeAutoDispatchRule: (code: string) => request<AutoDispatchRules>('DELETE', `/api/cases/auto-dispatch/${seg(code)}`),

  coverage: (region: string | undefined, days: number) => request<CoverageReport>('GET', '/api/coverage', { query: { region, days } }),


  webhooks: () => request<WebhookList>('GET', '/api/webhooks'),
  createWebhook: (body: { url: string; eventTypes: string[]; description?: string | undefined }) => request<CreatedWebhook>('POST', '/api/webhooks', { body: compact(body) }),
  setWebhookActive: (id: string, active: boolean) => request<Webhook>('PATCH', `/api/webhooks/${seg(id)}`, { body: { active } }),
  webhookDeliveries: (id: string) => request<WebhookDeliveries>('GET', `/api/webhooks/${seg(id)}/deliveries`),

  classify: (text: string) => request<ClassifyResponse>('POST', '/api/cases/classify', { body: { text } }),

  notifications: (query: { unread?: boolean | undefined; limit?: number | undefined } = {}) => request<NotificationList>('GET', '/api/notifications', { query: { ...query } }),
  unreadNotifications: () => request<NotificationUnread>('GET', '/api/notifications/unread-count'),
  readNotifications: (ids: readonly string[] | 'all') =>
    request<NotificationReadResult>('POST', '/api/notifications/read', { body: ids === 'all' ? { all: true } : { ids } }),

  devices: (query: { profile?: string | undefined; regionCode?: string | undefined; state?: string | undefined; limit: number; offset: number }) =>
    request<DeviceList>('GET', '/api/devices', { query: { ...query } }),
  device: (id: string) => request<Device>('GET', `/api/devices/${seg(id)}`),
  /** Newest first, observed in [from, to). */
  deviceReadings: (id: string, query: { from?: string | undefined; to?: string | undefined; limit?: number | undefined }) =>
    request<ReadingList>('GET', `/api/devices/${seg(id)}/readings`, { query: { ...query } }),

  audit: (query: AuditQuery) => request<AuditPage>('GET', '/api/audit', { query: { ...query } }),
  verifyAudit: () => request<AuditVerification>('GET', '/api/audit/verify'),
  devicesOfProfile: (profile: string) => request<DeviceList>('GET', '/api/devices', { query: { profile, limit: 200 } }),
  rules: (query: { profile?: string; region?: string; device?: string }) => request<RuleList>('GET', '/api/rules', { query: { ...query } }),
  rule: (id: string) => request<RuleDetail>('GET', `/api/rules/${seg(id)}`),
  createRule: (body: { key?: string; regionCode?: string; deviceId?: string; definition: RuleDefinition; enabled: boolean; note?: string }) => request<RuleView>('POST', '/api/rules', { body }),
  updateRule: (id: string, body: { definition?: RuleDefinition; enabled?: boolean; note?: string }) => request<RuleView>('PATCH', `/api/rules/${seg(id)}`, { body }),
  removeRule: (id: string) => request<undefined>('DELETE', `/api/rules/${seg(id)}`),
  dryRunRule: (body: { definition: RuleDefinition; deviceIds?: string[]; regionCode?: string; from: string; to: string }) => request<DryRunResult>('POST', '/api/rules/dry-run', { body }),

  ledgerPersons: (query: { q?: string | undefined; tag?: string | undefined; region?: string | undefined; limit: number; offset: number }) =>
    request<LedgerPersonList>('GET', '/api/ledger/persons', { query: { ...query } }),
  ledgerPerson: (id: string) => request<LedgerPersonDetail>('GET', `/api/ledger/persons/${seg(id)}`),
  ledgerTags: () => request<LedgerTagList>('GET', '/api/ledger/tags'),
  ledgerReveal: (id: string, field: 'id_number' | 'phone', reason: string) =>
    request<{ field: string; value: string | null }>('POST', `/api/ledger/persons/${seg(id)}/reveal`, { body: { field, reason } }),
  ledgerSources: () => request<LedgerSourceList>('GET', '/api/ledger/sources'),
  ledgerPreview: (file: File, source: string, mappingId?: string, columns?: Record<string, string>) =>
    request<LedgerImportPreview>('POST', '/api/ledger/imports/preview', { form: ledgerForm(file, source, mappingId, columns) }),
  ledgerImport: (file: File, source: string, mappingId?: string, columns?: Record<string, string>) =>
    request<LedgerImportStarted>('POST', '/api/ledger/imports', { form: ledgerForm(file, source, mappingId, columns) }),
  ledgerImportStatus: (id: string) => request<LedgerImportView>('GET', `/api/ledger/imports/${seg(id)}`),
  ledgerConflicts: (query: { field?: string | undefined; source?: string | undefined; region?: string | undefined; personId?: string | undefined; limit: number; offset: number }) =>
    request<LedgerConflictList>('GET', '/api/ledger/conflicts', { query: { ...query } }),
  ledgerResolve: (id: string, body: { action: 'keep' | 'accept' | 'verified'; value?: string; note?: string }) =>
    request<LedgerResolveResponse>('POST', `/api/ledger/conflicts/${seg(id)}/resolve`, { body }),
  ledgerBulkResolve: (body: { field: string; source: string; action: 'keep' | 'accept'; region?: string; expectedCount: number; note: string }) =>
    request<LedgerBulkResolveResponse>('POST', '/api/ledger/conflicts/bulk-resolve', { body }),
  ledgerAuthority: () => request<LedgerAuthorityView>('GET', '/api/ledger/authority'),
  ledgerSetAuthority: (field: string, body: { source: string; reason: string }) => request<unknown>('PUT', `/api/ledger/authority/${seg(field)}`, { body }),
  ledgerHousehold: (id: string) => request<LedgerHouseholdView>('GET', `/api/ledger/households/${seg(id)}`),
  ledgerDwelling: (id: string) => request<LedgerDwellingView>('GET', `/api/ledger/dwellings/${seg(id)}`),
  ledgerStats: () => request<LedgerStats>('GET', '/api/ledger/stats'),
  ledgerMappings: () => request<LedgerMappingList>('GET', '/api/ledger/mappings'),
  ledgerSaveMapping: (body: { name: string; source: string; columns: Record<string, string> }) => request<unknown>('POST', '/api/ledger/mappings', { body }),
};

/** The upload's form: a saved mapping by id, and the columns mapped by hand on top of it (header → field). */
function ledgerForm(file: File, source: string, mappingId?: string, columns?: Record<string, string>): FormData {
  const form = new FormData();
  form.append('source', source);
  if (mappingId) form.append('mappingId', mappingId);
  if (columns && Object.keys(columns).length > 0) form.append('mapping', JSON.stringify(columns));
  form.append('file', file, file.name);
  return form;
}
