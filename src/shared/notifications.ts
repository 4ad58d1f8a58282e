import type { Locale } from './i18n/locale.ts';

/**
 * What a notification tells its recipient. The server stores the kind and a few parameters
 * (case number, stage…); the console and the SMS sender render the words from here, in the
 * reader's language.
 */
export const NOTIFICATION_KINDS = [
  'new_case',
  'new_task',
  'assist_task',
  'returned',
  'escalated',
  'request_pending',
  'request_decided',
  'to_verify',
  'verified',
  'rework',
  'case_closed',
  'case_rejected',
  'rated',
  'reopened',
  'deadline_warning',
  'overdue',
  'supervised',
  'case_merged',
  'case_unmerged',
  'followed_closed',
  'followed_rejected',
  'alarm_raised',
  'alarm_escalated',
  'report_published',
  'service_matched',
  'services_verified',
  'notice_published',
  'vote_opened',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface NotificationParams {
  number?: string;
  stage?: string;
  score?: number;
  approved?: boolean;
  [key: string]: unknown;
}

type Text = (p: NotificationParams) => string;

const ZH: Record<NotificationKind, Text> = {
  new_case: (p) => `新上报案件 ${p.number} 待立案`,
  new_task: (p) => `新任务：案件 ${p.number} 已派遣给本单位，请签收`,
  assist_task: (p) => `协办任务：案件 ${p.number} 需要本单位协同处置`,
  returned: (p) => `案件 ${p.number} 被处置单位回退，请重新派遣`,
  escalated: (p) => `案件 ${p.number} 已上报至本级，请处理`,
  request_pending: (p) => `案件 ${p.number} 有${p.request === 'suspension' ? '挂账/缓办' : '延期'}申请待审批`,
  request_decided: (p) => `案件 ${p.number} 的申请${p.approved ? '已批准' : '被驳回'}`,
  to_verify: (p) => `案件 ${p.number} 已处理完毕，请核查是否解决`,
  verified: (p) => `案件 ${p.number} 核查通过，已结案`,
  rework: (p) => `案件 ${p.number} 核查未通过，请返工`,
  case_closed: (p) => `您反映的问题（${p.number}）已办结，欢迎评价`,
  case_rejected: (p) => `您反映的问题（${p.number}）未予立案，原因见案件详情`,
  rated: (p) => `案件 ${p.number} 收到评价：${p.score} 分`,
  reopened: (p) => `案件 ${p.number} 已被重新打开`,
  deadline_warning: (p) => `时限预警：案件 ${p.number} 的${stageZh(p.stage)}时限已用 80%`,
  overdue: (p) => `超期：案件 ${p.number} 已超过${stageZh(p.stage)}时限`,
  supervised: (p) => `督办：案件 ${p.number} 超期未办，已提请上级督办`,
  case_merged: (p) => `您反映的问题（${p.number}）与案件 ${p.master} 是同一问题，已合并办理，办结时会通知您`,
  case_unmerged: (p) => `案件 ${p.number} 已取消与 ${p.master} 的合并，将单独办理`,
  followed_closed: (p) => `您关注的问题（${p.number}）已办结`,
  followed_rejected: (p) => `您关注的问题（${p.number}）未予立案，原因见案件详情`,
  alarm_raised: (p) => `紧急告警：${p.device}（${p.regionName}）${p.typeName}${Number(p.count) > 1 ? `等 ${p.count} 条` : ''}，请立即处置`,
  alarm_escalated: (p) => `告警升级（第 ${p.level} 级）：${p.device}（${p.regionName}）${p.typeName} 超时未确认`,
  report_published: (p) => `报表已生成：${p.name}（${p.regionName}，${p.rows} 条），请在报表页下载`,
  service_matched: (p) =>
    `您可能可以享受：${p.service}${list(p.reasons) ? `（${list(p.reasons)}）` : ''}${p.autoGrant ? '。免申即享，无需申请，请点开确认' : '，点开看怎么办理'}`,
  services_verified: (p) =>
    Number(p.count) > 0
      ? `实名核验已完成。您可能可以享受${p.count}项服务：${list(p.services)}${Number(p.count) > 3 ? '等' : ''}，点开查看`
      : '实名核验已完成。有适合您的服务时，我们会在这里告诉您',
  notice_published: (p) => `新通知：${p.title}（${p.publisher}）`,
  vote_opened: (p) => `居民议事“${p.title}”开始投票，${p.closesOn} 截止，欢迎参与`,
};

const EN: Record<NotificationKind, Text> = {
  new_case: (p) => `New report ${p.number} awaits registration`,
  new_task: (p) => `New task: case ${p.number} was dispatched to your unit; please accept it`,
  assist_task: (p) => `Assisting task: case ${p.number} needs your unit's help`,
  returned: (p) => `Case ${p.number} was returned by the unit; please dispatch it again`,
  escalated: (p) => `Case ${p.number} was escalated to your level`,
  request_pending: (p) => `Case ${p.number} has ${p.request === 'suspension' ? 'a suspension' : 'an extension'} request awaiting approval`,
  request_decided: (p) => `The request on case ${p.number} was ${p.approved ? 'approved' : 'denied'}`,
  to_verify: (p) => `Case ${p.number} was reported handled; please verify the fix`,
  verified: (p) => `Case ${p.number} passed verification and is closed`,
  rework: (p) => `Case ${p.number} failed verification; please rework it`,
  case_closed: (p) => `Your report ${p.number} is resolved; please rate it`,
  case_rejected: (p) => `Your report ${p.number} was not registered; see the case for the reason`,
  rated: (p) => `Case ${p.number} was rated ${p.score}/5`,
  reopened: (p) => `Case ${p.number} was reopened`,
  deadline_warning: (p) => `Deadline warning: 80 % of the ${stageEn(p.stage)} limit of case ${p.number} is used`,
  overdue: (p) => `Overdue: case ${p.number} is past its ${stageEn(p.stage)} limit`,
  supervised: (p) => `Supervision: overdue case ${p.number} was escalated to the level above`,
  case_merged: (p) => `Your report ${p.number} is the same problem as case ${p.master}; they are handled together and you will hear when it is resolved`,
  case_unmerged: (p) => `Case ${p.number} is no longer merged into ${p.master} and is handled on its own`,
  followed_closed: (p) => `The problem you follow (${p.number}) is resolved`,
  followed_rejected: (p) => `The problem you follow (${p.number}) was not registered; see the case for the reason`,
  alarm_raised: (p) => `Critical alarm: ${p.typeNameEn} at ${p.device} (${p.regionName})${Number(p.count) > 1 ? ` and ${Number(p.count) - 1} more` : ''}; act now`,
  alarm_escalated: (p) => `Alarm escalated (level ${p.level}): ${p.typeNameEn} at ${p.device} (${p.regionName}) is still unacknowledged`,
  report_published: (p) => `Report ready: ${p.name} (${p.regionName}, ${p.rows} rows); download it on the reports page`,
  service_matched: (p) =>
    `You may be entitled to: ${p.serviceEn || p.service}${list(p.reasonsEn) ? ` (${list(p.reasonsEn, ', ')})` : ''}${p.autoGrant ? '. Granted without applying; open to confirm' : '; open to see how to apply'}`,
  services_verified: (p) =>
    Number(p.count) > 0
      ? `Identity verified. You may be entitled to ${p.count} service${Number(p.count) > 1 ? 's' : ''}: ${list(p.servicesEn, ', ')}${Number(p.count) > 3 ? ' and more' : ''}; open to see them`
      : 'Identity verified. We will tell you here when a service fits you',
  notice_published: (p) => `New notice: ${p.title} (${p.publisher})`,
  vote_opened: (p) => `Voting is open on "${p.title}" until ${p.closesOn}; have your say`,
};

/** The first three entries of a string list parameter, joined (empty when absent). */
function list(value: unknown, separator = '、'): string {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string').slice(0, 3).join(separator) : '';
}

const STAGE_ZH: Record<string, string> = { register: '立案', dispatch: '派遣', accept: '签收', handle: '处置', verify: '核查' };
const STAGE_EN: Record<string, string> = { register: 'registration', dispatch: 'dispatch', accept: 'acceptance', handle: 'handling', verify: 'verification' };
const stageZh = (stage: unknown) => STAGE_ZH[String(stage)] ?? '';
const stageEn = (stage: unknown) => STAGE_EN[String(stage)] ?? '';

export function notificationText(kind: NotificationKind, params: NotificationParams, locale: Locale): string {
  return (locale === 'en' ? EN : ZH)[kind](params);
}

export function isNotificationKind(value: string): value is NotificationKind {
  return (NOTIFICATION_KINDS as readonly string[]).includes(value);
}
