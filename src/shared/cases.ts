import type { Role } from './roles.ts';

/**
 * The case closed loop, after the national digital-city-management workflow:
 * 发现/上报 → 立案 → 派遣 → 处置 → 核查 → 结案 → 评价.
 */
export const CASE_STATUSES = ['reported', 'registered', 'rejected', 'dispatched', 'in_progress', 'handled', 'suspended', 'closed', 'merged'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_STATUS_LABELS: Record<CaseStatus, { 'zh-CN': string; en: string }> = {
  reported: { 'zh-CN': '待立案', en: 'Reported' },
  registered: { 'zh-CN': '待派遣', en: 'Registered' },
  rejected: { 'zh-CN': '不予立案', en: 'Rejected' },
  dispatched: { 'zh-CN': '待签收', en: 'Dispatched' },
  in_progress: { 'zh-CN': '处置中', en: 'In progress' },
  handled: { 'zh-CN': '待核查', en: 'Handled, awaiting verification' },
  suspended: { 'zh-CN': '挂账/缓办', en: 'Suspended' },
  closed: { 'zh-CN': '已结案', en: 'Closed' },
  merged: { 'zh-CN': '已合并', en: 'Merged into another case' },
};

/** Statuses out of the loop: no clocks, no duplicates search, no follows, no photos. */
export const CASE_ENDED_STATUSES = ['closed', 'rejected', 'merged'] as const satisfies readonly CaseStatus[];

export const CASE_ACTIONS = [
  'register',
  'reject',
  'dispatch',
  'accept',
  'return',
  'transfer',
  'escalate',
  'note',
  'extend',
  'suspend',
  'approve',
  'deny',
  'resume',
  'handled',
  'verify',
  'rate',
  'followup',
  'reopen',
  'merge',
  'unmerge',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export const CASE_ACTION_LABELS: Record<CaseAction, { 'zh-CN': string; en: string }> = {
  register: { 'zh-CN': '立案', en: 'Register' },
  reject: { 'zh-CN': '不予立案', en: 'Reject' },
  dispatch: { 'zh-CN': '派遣', en: 'Dispatch' },
  accept: { 'zh-CN': '签收', en: 'Accept' },
  return: { 'zh-CN': '回退', en: 'Return' },
  transfer: { 'zh-CN': '转派', en: 'Transfer' },
  escalate: { 'zh-CN': '上报上级（联勤联动）', en: 'Escalate' },
  note: { 'zh-CN': '过程记录', en: 'Progress note' },
  extend: { 'zh-CN': '申请延期', en: 'Request extension' },
  suspend: { 'zh-CN': '申请挂账/缓办', en: 'Request suspension' },
  approve: { 'zh-CN': '批准申请', en: 'Approve request' },
  deny: { 'zh-CN': '驳回申请', en: 'Deny request' },
  resume: { 'zh-CN': '恢复办理', en: 'Resume' },
  handled: { 'zh-CN': '处理反馈', en: 'Report handled' },
  verify: { 'zh-CN': '核查', en: 'Verify' },
  rate: { 'zh-CN': '评价', en: 'Rate' },
  followup: { 'zh-CN': '电话回访', en: 'Follow-up call' },
  reopen: { 'zh-CN': '重新打开', en: 'Reopen' },
  merge: { 'zh-CN': '合并', en: 'Merge' },
  unmerge: { 'zh-CN': '取消合并', en: 'Unmerge' },
};

/** The roles that staff a dispatch desk (街镇/区城运中心, and the committee for its own matters). */
export const DESK_ROLES: ReadonlySet<Role> = new Set<Role>(['street_dispatcher', 'district_operator', 'committee_head', 'admin']);
/**
 * Duplicates (重复上报): a report is compared with the open cases of the same category (or class)
 * reported in the last DUPLICATE_WINDOW_DAYS days, within the category's duplicate radius when both
 * have coordinates, in the same committee otherwise. MIN score of the text similarity (0..1).
 */
export const DUPLICATE_WINDOW_DAYS = 14;
export const DUPLICATE_MIN_SCORE = 0.05;
export const DUPLICATE_MAX_RESULTS = 5;
/** How much of a case's description a resident sees in the similar-cases list. */
export const DUPLICATE_PUBLIC_DESCRIPTION_CHARS = 60;

/** Days after closing during which the reporter (or the dispatch desk) may reopen a case. */
export const REOPEN_WINDOW_DAYS = 7;

/**
 * The clocks of a case. Each desk stage has its own short limit (立案, 派遣, 签收, 核查); the
 * handling limit (处置时限) comes from the category and runs from registration until the unit
 * reports it handled, paused while suspended or waiting for verification.
 */
export const CASE_STAGES = ['register', 'dispatch', 'accept', 'handle', 'verify'] as const;
export type CaseStage = (typeof CASE_STAGES)[number];

export const CASE_STAGE_LABELS: Record<CaseStage, { 'zh-CN': string; en: string }> = {
  register: { 'zh-CN': '立案', en: 'Registration' },
  dispatch: { 'zh-CN': '派遣', en: 'Dispatch' },
  accept: { 'zh-CN': '签收', en: 'Acceptance' },
  handle: { 'zh-CN': '处置', en: 'Handling' },
  verify: { 'zh-CN': '核查', en: 'Verification' },
};

/** The desk stage a status waits in; in_progress runs only the handling clock. */
export const STAGE_OF_STATUS: Partial<Record<CaseStatus, CaseStage>> = {
  reported: 'register',
  registered: 'dispatch',
  dispatched: 'accept',
  handled: 'verify',
};

/** Timeline entries the platform itself writes (not actions anyone takes). */
export const CASE_SYSTEM_ENTRIES = ['report', 'deadline_warning', 'overdue', 'supervise', 'follow', 'unfollow', 'merged_in', 'merged_out'] as const;
export type CaseSystemEntry = (typeof CASE_SYSTEM_ENTRIES)[number];

export const CASE_ENTRY_LABELS: Record<CaseSystemEntry, { 'zh-CN': string; en: string }> = {
  report: { 'zh-CN': '上报', en: 'Reported' },
  deadline_warning: { 'zh-CN': '时限预警', en: 'Deadline warning' },
  overdue: { 'zh-CN': '超期', en: 'Overdue' },
  supervise: { 'zh-CN': '超期督办', en: 'Escalated for supervision' },
  follow: { 'zh-CN': '关注', en: 'Followed' },
  unfollow: { 'zh-CN': '取消关注', en: 'Unfollowed' },
  merged_in: { 'zh-CN': '并入重复上报', en: 'Duplicate report merged in' },
  merged_out: { 'zh-CN': '移出重复上报', en: 'Duplicate report unmerged' },
};

/** 12345 来电类别. */
export const CALL_TYPES = ['consult', 'help', 'complaint', 'suggestion'] as const;
export type CallType = (typeof CALL_TYPES)[number];

export const CALL_TYPE_LABELS: Record<CallType, { 'zh-CN': string; en: string }> = {
  consult: { 'zh-CN': '咨询', en: 'Enquiry' },
  help: { 'zh-CN': '求助', en: 'Request for help' },
  complaint: { 'zh-CN': '投诉', en: 'Complaint' },
  suggestion: { 'zh-CN': '建议', en: 'Suggestion' },
};

export const CASE_CHANNELS = ['resident_app', 'hotline', 'patrol', 'iot', 'open311', 'staff'] as const;
export type CaseChannel = (typeof CASE_CHANNELS)[number];

export const CASE_CHANNEL_LABELS: Record<CaseChannel, { 'zh-CN': string; en: string }> = {
  resident_app: { 'zh-CN': '居民上报', en: 'Resident app' },
  hotline: { 'zh-CN': '12345 热线', en: '12345 hotline' },
  patrol: { 'zh-CN': '巡查发现', en: 'Patrol' },
  iot: { 'zh-CN': '物联感知', en: 'IoT alarm' },
  open311: { 'zh-CN': 'Open311 对接', en: 'Open311' },
  staff: { 'zh-CN': '工作人员录入', en: 'Staff' },
};
