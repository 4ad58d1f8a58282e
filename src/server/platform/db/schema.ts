import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/**
 * The database as Kysely sees it. Migrations are typed `Kysely<unknown>` and never import this
 * file; this is the shape the current code expects after all migrations ran.
 * `ltree` and `bigint` columns arrive as strings.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string, string>;

export interface RegionTable {
  code: string;
  parent_code: string | null;
  level: string;
  kind: string | null;
  name: string;
  path: string;
  source: string;
  created_at: Timestamp;
}

export interface DepartmentTable {
  id: Generated<string>;
  code: string;
  name: string;
  kind: string;
  region_code: string;
  region_path: string;
  created_at: Timestamp;
}

export interface UserTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  phone: string | null;
  password_hash: string;
  status: Generated<string>;
  failed_login_count: Generated<number>;
  locked_until: Timestamp | null;
  password_changed_at: Timestamp;
  created_at: Timestamp;
  preferred_assignment_id: string | null;
}

export interface RoleAssignmentTable {
  id: Generated<string>;
  user_id: string;
  role: string;
  region_code: string;
  region_path: string;
  department_id: string | null;
  created_at: Timestamp;
}

export interface SessionTable {
  id: Generated<string>;
  token_hash: string;
  user_id: string;
  kind: string;
  active_assignment_id: string | null;
  created_at: Timestamp;
  last_used_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  client_ip: string | null;
  user_agent: string | null;
}

export interface AuditLogTable {
  id: ColumnType<string, string, never>;
  at: ColumnType<Date, Date, never>;
  actor_user_id: ColumnType<string | null, string | null, never>;
  actor_username: ColumnType<string | null, string | null, never>;
  actor_role: ColumnType<string | null, string | null, never>;
  action: ColumnType<string, string, never>;
  object_type: ColumnType<string, string, never>;
  object_id: ColumnType<string | null, string | null, never>;
  region_path: ColumnType<string | null, string | null, never>;
  reason: ColumnType<string | null, string | null, never>;
  details: ColumnType<unknown, string, never>;
  request_id: ColumnType<string | null, string | null, never>;
  prev_hash: ColumnType<string, string, never>;
  hash: ColumnType<string, string, never>;
}

export interface OutboxEventTable {
  id: Generated<string>;
  event_id: string;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  region_path: string | null;
  actor_user_id: string | null;
  payload: Json;
  occurred_at: Timestamp;
  completed_at: Timestamp | null;
}

export interface OutboxDeliveryTable {
  event_id: string;
  subscriber: string;
  delivered_at: Timestamp | null;
  attempts: Generated<number>;
  last_error: string | null;
  next_attempt_at: Timestamp | null;
}

/** The working calendar (migration 0002-calendar): one settings row, known years, exceptional days. */
export interface CalendarSettingsTable {
  id: ColumnType<number, number | undefined, never>;
  working_hours: Json;
  /** bigint: bumped by every change to the calendar */
  version: ColumnType<string, string | undefined, string>;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface CalendarYearTable {
  year: number;
  source: string;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface CalendarDayTable {
  /** `date`: node-postgres would turn it into a local-midnight Date; repositories select `date::text`. */
  date: ColumnType<Date, string, string>;
  year: number;
  kind: string;
  name: string | null;
}

/** The case category catalogue: one row per class or leaf; its attributes live in immutable versions. */
export interface CategoryTable {
  code: ColumnType<string, string, never>;
  parent_code: ColumnType<string | null, string | null, never>;
  type: ColumnType<string, string, never>;
  level: ColumnType<string, string, never>;
  current_version: number;
  active: Generated<boolean>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  updated_at: Timestamp;
}

/** Append-only (a trigger refuses UPDATE and DELETE): a case keeps the version it was registered under. */
export interface CategoryVersionTable {
  code: ColumnType<string, string, never>;
  version: ColumnType<number, number, never>;
  name: ColumnType<string, string, never>;
  name_en: ColumnType<string, string, never>;
  department_kind: ColumnType<string | null, string | null, never>;
  responsibility: ColumnType<string | null, string | null, never>;
  /** jsonb `{"normal": {"amount", "clock"}, "urgent": …, "critical": …}`; null for classes. */
  time_limits: ColumnType<unknown, string | null, never>;
  verification: ColumnType<string | null, string | null, never>;
  resident_selectable: ColumnType<boolean | null, boolean | null, never>;
  /** jsonb array of strings. */
  keywords: ColumnType<unknown, string, never>;
  duplicate_radius_m: ColumnType<number | null, number | null, never>;
  note: ColumnType<string | null, string | null, never>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  created_by: ColumnType<string | null, string | null, never>;
  created_by_name: ColumnType<string, string, never>;
}

/** Examples the category classifier learned: a report's text and its confirmed or corrected category. */
export interface ClassifierExampleTable {
  id: Generated<number>;
  text: ColumnType<string, string, never>;
  category_code: ColumnType<string, string, never>;
  source: ColumnType<string, string, never>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  created_by: ColumnType<string | null, string | null, never>;
}

/** Cases (migration 0005-cases). */
export interface CaseTable {
  id: Generated<string>;
  number: string;
  status: string;
  channel: string;
  description: string;
  category_code: string | null;
  category_version: number | null;
  urgency: Generated<string>;
  region_code: string;
  region_path: string;
  handling_level_path: string;
  lat: number | null;
  lng: number | null;
  address: string | null;
  reporter_user_id: string | null;
  main_unit_id: string | null;
  assisting_unit_ids: ColumnType<string[], string[] | undefined, string[]>;
  verification: Generated<string>;
  pending_request: string | null;
  registered_at: Timestamp | null;
  deadline_at: Timestamp | null;
  warn_at: Timestamp | null;
  rework_count: Generated<number>;
  rating: number | null;
  rating_comment: string | null;
  closed_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  caller_name: string | null;
  caller_phone: string | null;
  call_type: string | null;
  confidential: Generated<boolean>;
  handled_at: Timestamp | null;
  suspended_at: Timestamp | null;
  /** numeric: arrives as a string. */
  requested_extension: ColumnType<string | null, number | null | undefined, number | null>;
  /** The master this duplicate is merged into (status `merged`); migration 0010. */
  merged_into_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** 1 + the reports merged into this case: its priority on the board. */
  report_count: Generated<number>;
}

/** People told about a case they did not report (migration 0010). */
export interface CaseFollowerTable {
  case_id: string;
  user_id: string;
  source: 'follow' | 'merge';
  created_at: Generated<Date>;
}

/** One merge of a duplicate into a master, kept after unmerge so it can be undone exactly. */
export interface CaseMergeTable {
  id: Generated<string>;
  master_id: string;
  duplicate_id: string;
  merged_at: Generated<Date>;
  merged_by: string | null;
  previous_status: string;
  followers_added: ColumnType<string[], string[] | undefined, string[]>;
  reports_added: number;
  unmerged_at: Timestamp | null;
  unmerged_by: string | null;
}

export interface CaseTimerTable {
  case_id: string;
  kind: string;
  stage: string;
  clock: string;
  started_at: Timestamp;
  warn_at: Timestamp;
  due_at: Timestamp;
  escalate_at: Timestamp;
  warned_at: Timestamp | null;
  overdue_at: Timestamp | null;
  escalated_at: Timestamp | null;
  paused_at: Timestamp | null;
  /** Counted partly on a year whose holidays are not published yet (weekdays assumed). */
  provisional: Generated<boolean>;
}

export interface NotificationTable {
  id: Generated<string>;
  user_id: string;
  kind: string;
  event_id: string;
  case_id: string | null;
  params: Json;
  created_at: Generated<Date>;
  read_at: Timestamp | null;
}

export interface WebhookTable {
  id: Generated<string>;
  url: string;
  description: Generated<string>;
  event_types: string[];
  region_path: string;
  secret: string;
  active: Generated<boolean>;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface WebhookDeliveryTable {
  id: Generated<string>;
  webhook_id: string;
  event_id: string;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  claimed_until: Timestamp | null;
  delivered_at: Timestamp | null;
  failed_at: Timestamp | null;
  last_status: number | null;
  last_error: string | null;
  created_at: Generated<Date>;
}

export interface CaseEventTable {
  id: Generated<string>;
  case_id: string;
  action: string;
  from_status: string | null;
  to_status: string;
  actor_user_id: string | null;
  actor_name: string;
  actor_role: string | null;
  note: string | null;
  details: Json;
  at: Timestamp;
}

/** Case photos (migration 0007-case-photos); the files are on disk under `<DATA_DIR>/photos/`. */
export interface CasePhotoTable {
  id: string;
  case_id: string;
  stage: string;
  uploader_user_id: string | null;
  uploader_name: string;
  mime: string;
  bytes: number;
  width: number;
  height: number;
  sha256: string;
  created_at: Generated<Date>;
  seq: ColumnType<string, never, never>;
}

/** Open311 API keys (migration 0008-open311): only the SHA-256 of a key is stored. */
export interface Open311ApiKeyTable {
  id: Generated<string>;
  name: string;
  key_hash: string;
  key_prefix: string;
  user_id: string;
  created_at: Timestamp;
  created_by: string | null;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
}

/** What an Open311 submission adds to its case; the contact columns are personal data, never public. */
export interface Open311RequestTable {
  case_id: string;
  token: Generated<string>;
  api_key_id: string;
  address_id: string | null;
  media_url: string | null;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  device_id: string | null;
  account_id: string | null;
  created_at: Timestamp;
}

export interface AutoDispatchRuleTable {
  category_code: string;
  /** numeric: arrives as a string. */
  min_score: ColumnType<string, number, number>;
  updated_by: string | null;
  updated_at: Timestamp;
}

/** IoT devices (migration 0012-devices); only the SHA-256 of a device token is stored. */
export interface DeviceTable {
  id: Generated<string>;
  profile: string;
  name: string;
  region_code: string;
  region_path: string;
  lat: number | null;
  lng: number | null;
  owner: string | null;
  /** date: read back as a string (YYYY-MM-DD) by the queries that select it. */
  installed_on: ColumnType<string | null, string | null | undefined, string | null>;
  expected_interval_s: number;
  state: Generated<string>;
  token_hash: string;
  rejected_count: Generated<number>;
  last_seen_at: Timestamp | null;
  last_values: ColumnType<unknown, string | null | undefined, string | null>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  connectivity: Generated<'unknown' | 'online' | 'offline'>;
  connectivity_changed_at: Timestamp | null;
  unauthorised_count: Generated<number>;
  last_rejection: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface DeviceReadingTable {
  /** bigint identity: read back as a string. */
  id: ColumnType<string, never, never>;
  device_id: string;
  kind: 'telemetry' | 'event';
  observed_at: Timestamp;
  received_at: ColumnType<Date, Date | string | undefined, Date | string>;
  msg_id: string | null;
  values: ColumnType<unknown, string, string>;
}

export interface CoverageNormTable {
  id: Generated<string>;
  region_code: string;
  region_path: string;
  profile: string;
  unit: 'committee' | 'building';
  expected: number;
  updated_at: Generated<Date>;
}

/** IoT rules (migration 0015-device-rules): overrides of the built-in rules and custom rules, by region or device. */
export interface DeviceRuleTable {
  id: Generated<string>;
  key: string;
  profile: string;
  region_code: string | null;
  region_path: string;
  device_id: string | null;
  definition: ColumnType<unknown, string, string>;
  enabled: boolean;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  updated_by: string | null;
}

export interface DeviceRuleVersionTable {
  rule_id: string;
  version: number;
  change: 'create' | 'update' | 'delete';
  definition: ColumnType<unknown, string, string>;
  enabled: boolean;
  note: string | null;
  changed_at: Generated<Date>;
  changed_by: string | null;
}

export interface DeviceRuleGenerationTable {
  id: Generated<string>;
  /** bigint: read back as a string. */
  generation: ColumnType<string, never, never>;
}

export interface DeviceRuleStateTable {
  device_id: string;
  rule_key: string;
  active: boolean;
  since: Timestamp | null;
  changed_at: Timestamp;
}

export interface DB {
  devices: DeviceTable;
  device_readings: DeviceReadingTable;
  coverage_norms: CoverageNormTable;
  cases: CaseTable;
  case_events: CaseEventTable;
  case_timers: CaseTimerTable;
  auto_dispatch_rules: AutoDispatchRuleTable;
  notifications: NotificationTable;
  webhooks: WebhookTable;
  webhook_deliveries: WebhookDeliveryTable;
  case_photos: CasePhotoTable;
  case_followers: CaseFollowerTable;
  case_merges: CaseMergeTable;
  regions: RegionTable;
  departments: DepartmentTable;
  users: UserTable;
  role_assignments: RoleAssignmentTable;
  sessions: SessionTable;
  audit_log: AuditLogTable;
  outbox_events: OutboxEventTable;
  outbox_deliveries: OutboxDeliveryTable;
  categories: CategoryTable;
  category_versions: CategoryVersionTable;
  classifier_examples: ClassifierExampleTable;
  calendar_settings: CalendarSettingsTable;
  calendar_years: CalendarYearTable;
  calendar_days: CalendarDayTable;
  open311_api_keys: Open311ApiKeyTable;
  open311_requests: Open311RequestTable;
  alarms: AlarmTable;
  alarm_events: AlarmEventTable;
  alarm_windows: AlarmWindowTable;
  alarm_out_of_service: AlarmOutOfServiceTable;
  alarm_type_settings: AlarmTypeSettingTable;
  alarm_escalation_settings: AlarmEscalationSettingTable;
  alarm_type_categories: AlarmTypeCategoryTable;
  device_emergency_contacts: DeviceEmergencyContactTable;
  device_rules: DeviceRuleTable;
  device_rule_versions: DeviceRuleVersionTable;
  device_rule_generation: DeviceRuleGenerationTable;
  device_rule_state: DeviceRuleStateTable;
}

export type RegionRow = Selectable<RegionTable>;
export type NewRegion = Insertable<RegionTable>;
export type DepartmentRow = Selectable<DepartmentTable>;
export type UserRow = Selectable<UserTable>;
export type RoleAssignmentRow = Selectable<RoleAssignmentTable>;
export type SessionRow = Selectable<SessionTable>;
export type AuditLogRow = Selectable<AuditLogTable>;
export type OutboxEventRow = Selectable<OutboxEventTable>;

export interface AlarmTable {
  id: Generated<string>;
  device_id: string;
  type: string;
  severity: string;
  kind: string;
  latched: boolean;
  region_code: string;
  region_path: string;
  condition_active: boolean;
  active: boolean;
  acknowledged: Generated<boolean>;
  suppressed: Generated<boolean>;
  out_of_service: Generated<boolean>;
  shelved_until: Timestamp | null;
  /** Generated from the flags above (migration 0014). */
  state: ColumnType<string, never, never>;
  repeat_count: Generated<number>;
  escalation_level: Generated<number>;
  escalate_from: Timestamp;
  first_at: Timestamp;
  last_at: Timestamp;
  rtn_at: Timestamp | null;
  acked_at: Timestamp | null;
  acked_by: string | null;
  case_mode: string;
  recheck: string | null;
  case_id: string | null;
  source: Json;
  values: ColumnType<unknown, string | null | undefined, string | null>;
  detail: ColumnType<unknown, string | null | undefined, string | null>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface AlarmEventTable {
  id: ColumnType<string, never, never>;
  alarm_id: string;
  action: string;
  from_state: string | null;
  to_state: string;
  actor_user_id: string | null;
  actor_name: string;
  note: string | null;
  details: ColumnType<unknown, string | undefined, string>;
  at: Generated<Date>;
}

export interface AlarmWindowTable {
  id: Generated<string>;
  kind: string;
  region_code: string | null;
  region_path: string | null;
  device_id: string | null;
  starts_at: Timestamp;
  ends_at: Timestamp;
  reason: string;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface AlarmOutOfServiceTable {
  device_id: string;
  type: string;
  reason: string;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface AlarmTypeSettingTable {
  type: string;
  case_mode: string;
  updated_by: string | null;
  updated_at: Generated<Date>;
}

export interface AlarmEscalationSettingTable {
  severity: string;
  minutes: number | null;
  updated_by: string | null;
  updated_at: Generated<Date>;
}

export interface AlarmTypeCategoryTable {
  type: string;
  category_code: string;
}

export interface DeviceEmergencyContactTable {
  device_id: string;
  name: string;
  phone: string;
  updated_by: string | null;
  updated_at: Generated<Date>;
}
// ---- the committee ledger (migration 0017-ledger) ----
// Declared as a second `DB` interface, which TypeScript merges with the one above.

export interface LedgerSourceTable {
  name: string;
  code: string;
  name_en: string;
  created_at: Generated<Date>;
}

export interface LedgerTagTable {
  code: string;
  name: string;
  name_en: string;
  category: 'general' | 'welfare' | 'disability' | 'health' | 'security';
  derived: boolean;
  sort: number;
}

export interface LedgerFieldAuthorityTable {
  field: string;
  source_name: string;
  updated_at: Generated<Date>;
}

export interface LedgerDwellingTable {
  id: Generated<string>;
  region_code: string;
  region_path: string;
  dwelling_key: string;
  place: string;
  building: string | null;
  unit: string | null;
  room: string | null;
  address: string;
  created_at: Generated<Date>;
}

export interface LedgerHouseholdTable {
  id: Generated<string>;
  region_code: string;
  region_path: string;
  household_number: string;
  created_at: Generated<Date>;
}

export interface LedgerPersonTable {
  id: Generated<string>;
  region_code: string;
  region_path: string;
  name: string;
  name_initials: Generated<string>;
  id_number: string | null;
  sex: 'male' | 'female' | null;
  /** `date`: selected with to_char so both engines answer a YYYY-MM-DD string. */
  birth_date: ColumnType<string | null, string | null, string | null>;
  phone: string | null;
  dwelling_id: string | null;
  household_id: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface LedgerImportTable {
  id: Generated<string>;
  source_name: string;
  file_name: string;
  format: 'csv' | 'xlsx';
  status: Generated<'running' | 'done' | 'failed'>;
  rows: Generated<number>;
  imported: Generated<number>;
  unchanged: Generated<number>;
  rejected: Generated<number>;
  conflicts: Generated<number>;
  header_row: number | null;
  mapping: ColumnType<unknown, string | null | undefined, string | null>;
  message: string | null;
  region_path: string;
  created_by: string | null;
  created_at: Generated<Date>;
  progressed_at: Generated<Date>;
  finished_at: Timestamp | null;
}

export interface LedgerImportErrorTable {
  id: Generated<string>;
  import_id: string;
  row_number: number;
  field: string | null;
  reason: string;
  value: string | null;
}

export interface LedgerMappingTable {
  id: Generated<string>;
  name: string;
  source_name: string;
  columns: ColumnType<unknown, string, string>;
  region_path: string;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface LedgerSourceRecordTable {
  id: Generated<string>;
  source_name: string;
  record_key: string;
  has_own_key: boolean;
  row_hash: string;
  person_id: string | null;
  region_path: string;
  import_id: string | null;
  row_number: number | null;
  data: ColumnType<unknown, string, string>;
  received_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface LedgerFieldHistoryTable {
  id: Generated<string>;
  person_id: string;
  field: string;
  value: string | null;
  source_name: string;
  source_record_id: string | null;
  observed_at: Timestamp;
  recorded_at: Generated<Date>;
  outcome: 'set' | 'confirmed' | 'replaced' | 'conflict' | 'accepted' | 'rejected' | 'verified';
  /** 0021: the reviewer's note and who decided, on `accepted` / `rejected` / `verified` entries. */
  note: Generated<string | null>;
  decided_by: Generated<string | null>;
}

export interface LedgerPersonFieldTable {
  person_id: string;
  field: string;
  value: string | null;
  source_name: string;
  observed_at: Timestamp;
  history_id: string;
}

export interface LedgerConflictTable {
  id: Generated<string>;
  person_id: string;
  region_path: string;
  field: string;
  current_value: string | null;
  current_source: string;
  proposed_value: string | null;
  proposed_source: string;
  history_id: string;
  status: Generated<'open' | 'resolved'>;
  created_at: Generated<Date>;
  resolved_at: Timestamp | null;
  resolved_by: string | null;
  resolution: string | null;
  /** 0021: the value the review settled on, and the reviewer's note. */
  resolved_value: Generated<string | null>;
  resolution_note: Generated<string | null>;
}

export interface DB {
  ledger_sources: LedgerSourceTable;
  ledger_tags: LedgerTagTable;
  ledger_field_authority: LedgerFieldAuthorityTable;
  ledger_dwellings: LedgerDwellingTable;
  ledger_households: LedgerHouseholdTable;
  ledger_persons: LedgerPersonTable;
  ledger_imports: LedgerImportTable;
  ledger_import_errors: LedgerImportErrorTable;
  ledger_mappings: LedgerMappingTable;
  ledger_source_records: LedgerSourceRecordTable;
  ledger_field_history: LedgerFieldHistoryTable;
  ledger_person_fields: LedgerPersonFieldTable;
  ledger_conflicts: LedgerConflictTable;
  ledger_match_candidates: LedgerMatchCandidateTable;
  ledger_merges: LedgerMergeTable;
  ledger_linkage_runs: LedgerLinkageRunTable;
}

// ---- record linkage (migration 0019-ledger-linkage) ----

export interface LedgerMatchCandidateTable {
  id: Generated<string>;
  person_a: string;
  person_b: string;
  region_path: string;
  score: number;
  evidence: unknown;
  status: Generated<'pending' | 'merged' | 'rejected' | 'stale'>;
  automatic: Generated<boolean>;
  created_at: Generated<Date>;
  decided_at: Timestamp | null;
  decided_by: string | null;
}

export interface LedgerMergeTable {
  id: Generated<string>;
  candidate_id: string | null;
  survivor_id: string;
  absorbed_id: string;
  region_path: string;
  score: number | null;
  automatic: boolean;
  snapshot: unknown;
  merged_by: string | null;
  merged_at: Timestamp;
  undone_at: Timestamp | null;
  undone_by: string | null;
}

export interface LedgerLinkageRunTable {
  id: Generated<string>;
  trigger: string;
  status: Generated<'running' | 'done' | 'failed'>;
  started_at: Generated<Date>;
  finished_at: Timestamp | null;
  since: Timestamp | null;
  pairs: Generated<number>;
  auto_merged: Generated<number>;
  queued: Generated<number>;
  message: string | null;
}

// ---- the committee ledger's review (migration 0021-ledger-review) ----

export interface LedgerAuthorityChangeTable {
  id: Generated<string>;
  field: string;
  old_source: string | null;
  new_source: string;
  reason: string;
  changed_by: string | null;
  changed_at: Generated<Date>;
}

export interface DB {
  ledger_authority_changes: LedgerAuthorityChangeTable;
}

/** Notices, proposals (居民议事), volunteers and points (migration 0024-civic). */
export interface NoticeTable {
  id: Generated<string>;
  title: string;
  body: string;
  link: string | null;
  region_code: string;
  region_path: string;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  valid_from: Timestamp;
  valid_until: Timestamp | null;
  published_by: string;
  publisher_name: string;
  withdrawn_at: Timestamp | null;
  created_at: Generated<Date>;
  announced_at: Timestamp | null;
}
export interface NoticeReadTable {
  notice_id: string;
  user_id: string;
  read_at: Generated<Date>;
}
export interface ProposalThresholdTable {
  region_code: string;
  region_path: string;
  support_threshold: number;
  updated_at: Generated<Date>;
}
export interface ProposalTable {
  id: Generated<string>;
  title: string;
  description: string;
  scope_code: string;
  scope_path: string;
  scope_level: 'committee' | 'building';
  committee_path: string;
  origin: 'resident' | 'hotspot';
  hotspot: Json | null;
  proposer_user_id: string;
  proposer_name: string;
  status: string;
  support_threshold: number;
  support_count: Generated<number>;
  vote_kind: string | null;
  vote_options: string[] | null;
  vote_opens_at: Timestamp | null;
  vote_closes_at: Timestamp | null;
  result: Json | null;
  responsible: string | null;
  done_at: Timestamp | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}
export interface ProposalSupportTable {
  proposal_id: string;
  user_id: string;
  created_at: Generated<Date>;
}
export interface ProposalCommentTable {
  id: Generated<string>;
  proposal_id: string;
  user_id: string;
  author_name: string;
  body: string;
  created_at: Generated<Date>;
}
export interface ProposalVoteTable {
  proposal_id: string;
  user_id: string;
  choice: string;
  cast_at: Generated<Date>;
}
export interface ProposalMilestoneTable {
  id: Generated<string>;
  proposal_id: string;
  title: string;
  /** date: arrives as a string (YYYY-MM-DD) only when the pg type parser says so; read through to_char. */
  due_date: ColumnType<string | null, string | null, string | null>;
  done_at: Timestamp | null;
  sort: number;
}
export interface ProposalUpdateTable {
  id: Generated<string>;
  proposal_id: string;
  milestone_id: string | null;
  note: string;
  author_name: string;
  created_at: Generated<Date>;
}
export interface VolunteerTable {
  user_id: string;
  region_path: string;
  skills: ColumnType<string[], string[] | undefined, string[]>;
  availability: Generated<string>;
  party_member: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}
export interface VolunteerTaskTable {
  id: Generated<string>;
  region_code: string;
  region_path: string;
  kind: 'general' | 'visit_alone';
  title: string;
  description: Generated<string>;
  starts_at: Timestamp;
  ends_at: Timestamp;
  capacity: number;
  points_per_hour: number;
  created_by: string;
  created_at: Generated<Date>;
}
export interface VolunteerSignupTable {
  task_id: string;
  user_id: string;
  signed_up_at: Generated<Date>;
  checked_in_at: Timestamp | null;
  checked_out_at: Timestamp | null;
  /** numeric: arrives as a string. */
  hours: ColumnType<string | null, number | null | undefined, number | null>;
}
export interface PointsAccountTable {
  user_id: string;
  balance: Generated<number>;
  updated_at: Generated<Date>;
}
export interface PointsEntryTable {
  /** bigserial: arrives as a string. */
  id: Generated<string>;
  user_id: string;
  amount: number;
  balance_after: number;
  reason: 'report' | 'verify_fix' | 'vote' | 'volunteer' | 'redeem';
  source_id: string;
  region_path: string | null;
  note: string | null;
  created_at: Generated<Date>;
}
export interface RewardTable {
  id: Generated<string>;
  region_code: string;
  region_path: string;
  name: string;
  description: Generated<string>;
  cost: number;
  stock: number;
  active: Generated<boolean>;
  created_by: string;
  created_at: Generated<Date>;
}
export interface RedemptionTable {
  id: Generated<string>;
  reward_id: string;
  user_id: string;
  code: string;
  cost: number;
  region_path: string;
  created_at: Generated<Date>;
}

export interface DB {
  notices: NoticeTable;
  notice_reads: NoticeReadTable;
  proposal_thresholds: ProposalThresholdTable;
  proposals: ProposalTable;
  proposal_supports: ProposalSupportTable;
  proposal_comments: ProposalCommentTable;
  proposal_votes: ProposalVoteTable;
  proposal_milestones: ProposalMilestoneTable;
  proposal_updates: ProposalUpdateTable;
  volunteers: VolunteerTable;
  volunteer_tasks: VolunteerTaskTable;
  volunteer_signups: VolunteerSignupTable;
  points_accounts: PointsAccountTable;
  points_entries: PointsEntryTable;
  rewards: RewardTable;
  redemptions: RedemptionTable;
}

export interface ReportTemplateTable {
  id: Generated<string>;
  code: string;
  version: number;
  name: string;
  definition: Json;
  builtin: Generated<boolean>;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface ReportScheduleTable {
  id: Generated<string>;
  template_code: string;
  region_code: string;
  region_path: string;
  day_of_month: number;
  hour: number;
  department_id: string | null;
  active: Generated<boolean>;
  next_run_at: Timestamp;
  created_by: string;
  created_role: string;
  created_at: Generated<Date>;
}

export interface ReportRunTable {
  id: Generated<string>;
  template_id: string;
  template_code: string;
  template_version: number;
  template_name: string;
  region_code: string;
  region_path: string;
  format: 'xlsx' | 'json';
  row_count: number;
  sensitive: boolean;
  schedule_id: string | null;
  department_id: string | null;
  created_by: string | null;
  created_by_name: string;
  created_at: Generated<Date>;
  file_name: string;
  file: Buffer;
}

export interface DB {
  report_templates: ReportTemplateTable;
  report_schedules: ReportScheduleTable;
  report_runs: ReportRunTable;
}

export interface ServiceTable {
  id: Generated<string>;
  code: string;
  name: string;
  name_en: Generated<string>;
  category: string;
  department: string;
  description: Generated<string>;
  how_to_apply: Generated<string>;
  documents: Generated<string[]>;
  auto_grant: Generated<boolean>;
  valid_from: string | null;
  valid_to: string | null;
  region_code: string;
  region_path: string;
  version: Generated<number>;
  rule: unknown;
  examples: Generated<unknown>;
  enabled: Generated<boolean>;
  evaluated_on: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ServiceVersionTable {
  service_id: string;
  version: number;
  snapshot: unknown;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface ServiceReceiptTable {
  id: Generated<string>;
  person_id: string;
  service_code: string;
  since: string;
  until: string | null;
  source: string;
  created_at: Generated<Date>;
}

export interface ServiceMatchTable {
  id: Generated<string>;
  service_id: string;
  person_id: string;
  region_path: string;
  version: number;
  eligible: Generated<boolean>;
  status: Generated<'matched' | 'informed' | 'applied' | 'received' | 'declined'>;
  status_at: Generated<Date>;
  decline_reason: string | null;
  follow_up_on: string | null;
  matched_at: Generated<Date>;
  evaluated_at: Generated<Date>;
}

export interface ServiceUptakeEventTable {
  id: Generated<string>;
  match_id: string;
  from_status: string | null;
  to_status: string;
  reason: string | null;
  actor_user_id: string | null;
  on_behalf_of: string | null;
  at: Generated<Date>;
}

export interface ServiceVisitTable {
  id: Generated<string>;
  match_id: string;
  person_id: string;
  region_path: string;
  visited_on: string;
  outcome: 'informed' | 'applied' | 'declined' | 'not_home' | 'received';
  note: string | null;
  follow_up_on: string | null;
  worker_user_id: string;
  created_at: Generated<Date>;
}

export interface ResidentLinkTable {
  user_id: string;
  person_id: string;
  method: 'self' | 'worker';
  confirmed_by: string | null;
  created_at: Generated<Date>;
}

export interface ServiceProxyTable {
  id: Generated<string>;
  person_id: string;
  agent_user_id: string;
  relation: string;
  basis: 'resident' | 'written';
  granted_by: string;
  created_at: Generated<Date>;
  revoked_at: Timestamp | null;
}

export interface DB {
  services: ServiceTable;
  service_versions: ServiceVersionTable;
  service_receipts: ServiceReceiptTable;
  service_matches: ServiceMatchTable;
  service_uptake_events: ServiceUptakeEventTable;
  service_visits: ServiceVisitTable;
  resident_links: ResidentLinkTable;
  service_proxies: ServiceProxyTable;
}
