/**
 * Shapes of the API responses the console reads, derived from the server's TypeBox schemas so
 * that the two cannot drift apart. Type-only imports: nothing of the server reaches the bundle.
 */
import type { Static } from 'typebox';
import type { AuditEntry as AuditEntrySchema, AuditPage as AuditPageSchema, Verification } from '../server/modules/audit/schemas.ts';
import type { auditPermissions } from '../server/modules/audit/manifest.ts';
import type { photoPermissions } from '../server/modules/cases/photos/policy.ts';
import type { casePermissions } from '../server/modules/cases/policy.ts';
import type {
  CaseDetail as CaseDetailSchema,
  CaseList as CaseListSchema,
  CaseView as CaseViewSchema,
  FollowState as FollowStateSchema,
  SimilarCases as SimilarCasesSchema,
} from '../server/modules/cases/schemas.ts';
import type { CasePhoto as CasePhotoSchema, CasePhotoList as CasePhotoListSchema } from '../server/modules/cases/photos/schemas.ts';
import type { ClassifyResponse as ClassifyResponseSchema } from '../server/modules/classifier/schemas.ts';
import type { calendarPermissions } from '../server/modules/calendar/policy.ts';
import type { categoryPermissions } from '../server/modules/categories/policy.ts';
import type {
  CategoryDetail as CategoryDetailSchema,
  CategorySchema,
  CategoryVersionSchema,
  CreateCategoryBody,
  UpdateCategoryBody,
} from '../server/modules/categories/schemas.ts';
import type {
  CalendarSettingsSchema,
  CalendarYearDetail as CalendarYearDetailSchema,
  CalendarYearList as CalendarYearListSchema,
  DeadlineBody,
  DeadlineResponse,
  ReplaceCalendarYearBody,
  UpdateCalendarSettingsBody,
} from '../server/modules/calendar/schemas.ts';
import type { DepartmentSchema } from '../server/modules/departments/schemas.ts';
import type { departmentPermissions } from '../server/modules/departments/policy.ts';
import type { Assignment as AssignmentSchema, LoginResponse as LoginResponseSchema, Me as MeSchema, RevealResponse, UserSchema } from '../server/modules/identity/schemas.ts';
import type { identityPermissions } from '../server/modules/identity/policy.ts';
import type { NotificationList as NotificationListSchema, ReadResult as ReadResultSchema, UnreadCount as UnreadCountSchema } from '../server/modules/notifications/schemas.ts';
import type { RegionDetail as RegionDetailSchema, RegionSummary as RegionSummarySchema } from '../server/modules/regions/schemas.ts';
import type { regionPermissions } from '../server/modules/regions/policy.ts';
import type { notificationPermissions } from '../server/modules/notifications/policy.ts';
import type { CreatedWebhook as CreatedWebhookSchema, DeliveryList as DeliveryListSchema, WebhookList as WebhookListSchema } from '../server/modules/webhooks/schemas.ts';
import type { webhookPermissions } from '../server/modules/webhooks/policy.ts';
import type { alarmPermissions } from '../server/modules/alarms/policy.ts';
import type { rulePermissions } from '../server/modules/rules/policy.ts';
import type { DryRunResponse as DryRunResponseSchema, RuleDetail as RuleDetailSchema, RuleList as RuleListSchema, RuleSchema as RuleViewSchema } from '../server/modules/rules/schemas.ts';
import type { ledgerPermissions } from '../server/modules/ledger/policy.ts';
import type { ledgerReviewPermissions } from '../server/modules/ledger/review/policy.ts';
import type { civicPermissions } from '../server/modules/civic/policy.ts';
import type { linkagePermissions } from '../server/modules/ledger/linkage/policy.ts';
import type { servicePermissions } from '../server/modules/services/policy.ts';
import type {
  ImportPreview as LedgerImportPreviewSchema,
  ImportStarted as LedgerImportStartedSchema,
  ImportView as LedgerImportViewSchema,
  PersonDetail as LedgerPersonDetailSchema,
  PersonList as LedgerPersonListSchema,
  SourceList as LedgerSourceListSchema,
  TagList as LedgerTagListSchema,
} from '../server/modules/ledger/schemas.ts';
import type { AutoDispatchRules as AutoDispatchRulesSchema, RevealCallerResponse } from '../server/modules/cases/schemas.ts';
import type { MapSettings as MapSettingsSchema } from '../server/modules/system/manifest.ts';
import type { CoverageReportSchema } from '../server/modules/coverage/schemas.ts';
import type { coveragePermissions } from '../server/modules/coverage/manifest.ts';
import type { ErrorBody } from '../shared/errors.ts';
import type { DeviceList as DeviceListSchema, ReadingList as ReadingListSchema } from '../server/modules/devices/schemas.ts';
import type { devicePermissions } from '../server/modules/devices/policy.ts';
import type { ClockType } from '../shared/time-limits.ts';
import type { reportPermissions } from '../server/modules/reports/policy.ts';

export type Permission =
  | keyof typeof regionPermissions
  | keyof typeof departmentPermissions
  | keyof typeof identityPermissions
  | keyof typeof auditPermissions
  | keyof typeof calendarPermissions
  | keyof typeof categoryPermissions
  | keyof typeof casePermissions
  | keyof typeof photoPermissions
  | keyof typeof coveragePermissions
  | keyof typeof notificationPermissions
  | keyof typeof webhookPermissions
  | keyof typeof alarmPermissions
  | keyof typeof rulePermissions
  | keyof typeof devicePermissions
  | keyof typeof ledgerPermissions
  | keyof typeof ledgerReviewPermissions
  | keyof typeof civicPermissions
  | keyof typeof reportPermissions
  | keyof typeof linkagePermissions
  | keyof typeof servicePermissions;

export type Assignment = Static<typeof AssignmentSchema>;
export type Me = Static<typeof MeSchema>;
export type LoginResponse = Static<typeof LoginResponseSchema>;
export type RegionSummary = Static<typeof RegionSummarySchema>;
export type RegionDetail = Static<typeof RegionDetailSchema>;
export type RegionAncestor = RegionDetail['ancestors'][number];
export type Department = Static<typeof DepartmentSchema>;
export type Category = Static<typeof CategorySchema>;
export type CategoryDetail = Static<typeof CategoryDetailSchema>;
export type CategoryVersionSummary = CategoryDetail['versions'][number];
export type CategoryVersion = Static<typeof CategoryVersionSchema>;
export type NewCategory = Static<typeof CreateCategoryBody>;
export type CategoryPatch = Static<typeof UpdateCategoryBody>;
export type CalendarYearList = Static<typeof CalendarYearListSchema>;
export type CalendarYearSummary = CalendarYearList['items'][number];
export type CalendarYearDetail = Static<typeof CalendarYearDetailSchema>;
export type CalendarDay = CalendarYearDetail['days'][number];
export type CalendarYearInput = Static<typeof ReplaceCalendarYearBody>;
export type CalendarSettings = Static<typeof CalendarSettingsSchema>;
export type WorkingPeriod = Static<typeof UpdateCalendarSettingsBody>['workingHours'][number];
/** The schema builds its clock union from CLOCK_TYPES.map, which Static cannot see through; the clock is a ClockType. */
export type DeadlineInput = Omit<Static<typeof DeadlineBody>, 'clock'> & { clock: ClockType };
export type DeadlineResult = Static<typeof DeadlineResponse>;
export type User = Static<typeof UserSchema>;
export type RevealResult = Static<typeof RevealResponse>;
export type AuditEntry = Static<typeof AuditEntrySchema>;
export type AuditPage = Static<typeof AuditPageSchema>;
export type AuditVerification = Static<typeof Verification>;
export type ApiErrorBody = ErrorBody;
export type CaseView = Static<typeof CaseViewSchema>;
export type CaseDetail = Static<typeof CaseDetailSchema>;
export type CaseList = Static<typeof CaseListSchema>;
export type CaseTimelineEntry = CaseDetail['timeline'][number];
export type SimilarCases = Static<typeof SimilarCasesSchema>;
export type SimilarCase = SimilarCases['items'][number];
export type FollowState = Static<typeof FollowStateSchema>;
export type ClassifyResponse = Static<typeof ClassifyResponseSchema>;
export type CasePhoto = Static<typeof CasePhotoSchema>;
export type CasePhotoList = Static<typeof CasePhotoListSchema>;

export type CaseClock = CaseView['clocks'][number];
export type CallerReveal = Static<typeof RevealCallerResponse>;
export type MapSettings = Static<typeof MapSettingsSchema>;
export type AutoDispatchRules = Static<typeof AutoDispatchRulesSchema>;
export type CoverageReport = Static<typeof CoverageReportSchema>;
export type AutoDispatchRule = AutoDispatchRules['items'][number];
export type NotificationList = Static<typeof NotificationListSchema>;
export type WebhookList = Static<typeof WebhookListSchema>;
export type Webhook = WebhookList['items'][number];
export type CreatedWebhook = Static<typeof CreatedWebhookSchema>;
export type WebhookDeliveries = Static<typeof DeliveryListSchema>;
export type NotificationView = NotificationList['items'][number];
export type NotificationReadResult = Static<typeof ReadResultSchema>;
export type NotificationUnread = Static<typeof UnreadCountSchema>;

export type DeviceList = Static<typeof DeviceListSchema>;
export type Device = DeviceList['items'][number];
export type ReadingList = Static<typeof ReadingListSchema>;
export type Reading = ReadingList['items'][number];

/** A page of a paginated list (`{items, total}`). */
export interface Page<T> {
  items: T[];
  total: number;
}

export type RuleView = Static<typeof RuleViewSchema>;
export type RuleList = Static<typeof RuleListSchema>;
export type RuleDetail = Static<typeof RuleDetailSchema>;
export type DryRunResult = Static<typeof DryRunResponseSchema>;
export type LedgerPersonList = Static<typeof LedgerPersonListSchema>;
export type LedgerPerson = LedgerPersonList['items'][number];
export type LedgerPersonDetail = Static<typeof LedgerPersonDetailSchema>;
export type LedgerTagList = Static<typeof LedgerTagListSchema>;
export type LedgerSourceList = Static<typeof LedgerSourceListSchema>;
export type LedgerImportPreview = Static<typeof LedgerImportPreviewSchema>;
export type LedgerImportStarted = Static<typeof LedgerImportStartedSchema>;
export type LedgerImportView = Static<typeof LedgerImportViewSchema>;

// ---- the committee ledger's review (ledger/review) ----
import type {
  AuthorityView as LedgerAuthorityViewSchema,
  BulkResolveResponse as LedgerBulkResolveResponseSchema,
  ConflictList as LedgerConflictListSchema,
  DwellingView as LedgerDwellingViewSchema,
  HouseholdView as LedgerHouseholdViewSchema,
  ResolveResponse as LedgerResolveResponseSchema,
} from '../server/modules/ledger/review/schemas.ts';
import type { MappingList as LedgerMappingListSchema, StatsSchema as LedgerStatsSchema } from '../server/modules/ledger/schemas.ts';

export type LedgerConflictList = Static<typeof LedgerConflictListSchema>;
export type LedgerConflict = LedgerConflictList['items'][number];
export type LedgerResolveResponse = Static<typeof LedgerResolveResponseSchema>;
export type LedgerBulkResolveResponse = Static<typeof LedgerBulkResolveResponseSchema>;
export type LedgerAuthorityView = Static<typeof LedgerAuthorityViewSchema>;
export type LedgerHouseholdView = Static<typeof LedgerHouseholdViewSchema>;
export type LedgerDwellingView = Static<typeof LedgerDwellingViewSchema>;
export type LedgerMappingList = Static<typeof LedgerMappingListSchema>;
export type LedgerStats = Static<typeof LedgerStatsSchema>;
