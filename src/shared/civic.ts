/** Resident self-governance (issue #6 items 4–6): notices, proposals (居民议事), volunteers and points. */

export const PROPOSAL_STATUSES = ['discussion', 'threshold_met', 'voting', 'accepted', 'rejected', 'done'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

export const PROPOSAL_STATUS_LABELS: Record<ProposalStatus, { 'zh-CN': string; en: string }> = {
  discussion: { 'zh-CN': '征集支持中', en: 'Gathering support' },
  threshold_met: { 'zh-CN': '支持已达标，待开启表决', en: 'Support reached, awaiting a vote' },
  voting: { 'zh-CN': '表决中', en: 'Voting' },
  accepted: { 'zh-CN': '已通过，落实中', en: 'Accepted, being carried out' },
  rejected: { 'zh-CN': '未通过', en: 'Not accepted' },
  done: { 'zh-CN': '已办结', en: 'Carried out' },
};

/** The yes/no ballot; a vote with choices lists its own options instead. */
export const YES_NO_OPTIONS = ['yes', 'no', 'abstain'] as const;
export const YES_NO_LABELS: Record<(typeof YES_NO_OPTIONS)[number], { 'zh-CN': string; en: string }> = {
  yes: { 'zh-CN': '赞成', en: 'Yes' },
  no: { 'zh-CN': '反对', en: 'No' },
  abstain: { 'zh-CN': '弃权', en: 'Abstain' },
};

/** Supports needed before a vote when the committee set no threshold of its own. */
export const DEFAULT_SUPPORT_THRESHOLD = 10;

/** A hotspot: at least this many cases of one category at one place within the window. */
export const HOTSPOT_MIN_CASES = 3;
export const HOTSPOT_WINDOW_DAYS = 90;

export const POINTS_REASONS = ['report', 'verify_fix', 'vote', 'volunteer', 'redeem'] as const;
export type PointsReason = (typeof POINTS_REASONS)[number];

export const POINTS_REASON_LABELS: Record<PointsReason, { 'zh-CN': string; en: string }> = {
  report: { 'zh-CN': '反映问题', en: 'Reported a problem' },
  verify_fix: { 'zh-CN': '确认问题已解决', en: 'Confirmed a fix' },
  vote: { 'zh-CN': '参与议事表决', en: 'Voted on a proposal' },
  volunteer: { 'zh-CN': '志愿服务', en: 'Volunteering' },
  redeem: { 'zh-CN': '积分兑换', en: 'Redeemed a reward' },
};

/** Fixed awards; volunteering earns the task's points per hour instead. */
export const POINTS_AWARDS = { report: 5, verify_fix: 3, vote: 2 } as const;

export const VOLUNTEER_TASK_KINDS = ['general', 'visit_alone'] as const;
export type VolunteerTaskKind = (typeof VOLUNTEER_TASK_KINDS)[number];
export const VOLUNTEER_TASK_KIND_LABELS: Record<VolunteerTaskKind, { 'zh-CN': string; en: string }> = {
  general: { 'zh-CN': '社区志愿服务', en: 'Community volunteering' },
  visit_alone: { 'zh-CN': '独居老人探访', en: 'Visiting residents living alone' },
};

/** The committee a region path lies in: district.street.committee. */
export function committeePathOf(path: string): string {
  return path.split('.').slice(0, 3).join('.');
}

/** The ledger tags a notice is most often addressed to (codes of ledger_tags). */
export const NOTICE_TAG_CHOICES: ReadonlyArray<{ code: string; name: { 'zh-CN': string; en: string } }> = [
  { code: 'elderly', name: { 'zh-CN': '高龄', en: 'Aged 80+' } },
  { code: 'living_alone', name: { 'zh-CN': '独居', en: 'Living alone' } },
  { code: 'disability', name: { 'zh-CN': '残疾', en: 'Disability' } },
  { code: 'newborn', name: { 'zh-CN': '新生儿', en: 'Newborn' } },
  { code: 'dibao', name: { 'zh-CN': '低保', en: 'Minimum allowance' } },
  { code: 'special_care', name: { 'zh-CN': '优抚', en: 'Entitled groups' } },
];
