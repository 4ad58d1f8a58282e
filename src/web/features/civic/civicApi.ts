import type { Static } from 'typebox';
import type {
  AccountabilityBody,
  Audience as AudienceSchema,
  HotspotList as HotspotListSchema,
  NoticeBody,
  NoticeList as NoticeListSchema,
  NoticeReads as NoticeReadsSchema,
  NoticeSchema,
  OpenVoteBody,
  PointsSchema,
  ProgressBody,
  ProposalDetail as ProposalDetailSchema,
  ProposalList as ProposalListSchema,
  RedemptionList as RedemptionListSchema,
  RewardBody,
  RewardList as RewardListSchema,
  TaskBody,
  TaskDetail as TaskDetailSchema,
  TaskList as TaskListSchema,
  VolunteerBody,
  VolunteerList as VolunteerListSchema,
  VolunteerSchema,
} from '../../../server/modules/civic/schemas.ts';
import { ApiError, request } from '../../api.ts';

/** Shapes of the civic endpoints, derived from the server's schemas (type-only imports). */
export type Notice = Static<typeof NoticeSchema>;
export type NoticeReads = Static<typeof NoticeReadsSchema>;
export type ProposalSummary = Static<typeof ProposalListSchema>['items'][number];
export type ProposalDetail = Static<typeof ProposalDetailSchema>;
export type Hotspot = Static<typeof HotspotListSchema>['items'][number];
export type Task = Static<typeof TaskListSchema>['items'][number];
export type TaskDetail = Static<typeof TaskDetailSchema>;
export type Volunteer = Static<typeof VolunteerSchema>;
export type VolunteerRow = Static<typeof VolunteerListSchema>['items'][number];
export type Points = Static<typeof PointsSchema>;
export type Reward = Static<typeof RewardListSchema>['items'][number];
export type Redemption = Static<typeof RedemptionListSchema>['items'][number];
export type Audience = Static<typeof AudienceSchema>;

export const civicApi = {
  notices: () => request<Static<typeof NoticeListSchema>>('GET', '/api/notices'),
  notice: (id: string) => request<Notice>('GET', `/api/notices/${id}`),
  publishNotice: (body: Static<typeof NoticeBody>) => request<{ id: string }>('POST', '/api/notices', { body }),
  readNotice: (id: string) => request<Notice>('POST', `/api/notices/${id}/read`, { body: {} }),
  /** How many residents a notice to the region (default: one's own) and tags would reach. */
  audience: (regionCode: string | undefined, tags: string[]) =>
    request<Audience>('GET', '/api/notices/audience', { query: { ...(regionCode ? { regionCode } : {}), ...(tags.length ? { tags: tags.join(',') } : {}) } }),
  noticeReads: (id: string) => request<NoticeReads>('GET', `/api/notices/${id}/reads`),
  withdrawNotice: (id: string) => request<{ ok: boolean }>('POST', `/api/notices/${id}/withdraw`, { body: {} }),

  proposals: () => request<Static<typeof ProposalListSchema>>('GET', '/api/proposals'),
  proposal: (id: string) => request<ProposalDetail>('GET', `/api/proposals/${id}`),
  propose: (body: { title: string; description: string; scopeCode?: string }) => request<ProposalDetail>('POST', '/api/proposals', { body }),
  support: (id: string) => request<ProposalDetail>('POST', `/api/proposals/${id}/support`, { body: {} }),
  comment: (id: string, text: string) => request<ProposalDetail>('POST', `/api/proposals/${id}/comments`, { body: { body: text } }),
  vote: (id: string, choice: string) => request<ProposalDetail>('POST', `/api/proposals/${id}/vote`, { body: { choice } }),
  openVote: (id: string, body: Static<typeof OpenVoteBody>) => request<ProposalDetail>('POST', `/api/proposals/${id}/open-vote`, { body }),
  accountability: (id: string, body: Static<typeof AccountabilityBody>) => request<ProposalDetail>('PUT', `/api/proposals/${id}/accountability`, { body }),
  progress: (id: string, body: Static<typeof ProgressBody>) => request<ProposalDetail>('POST', `/api/proposals/${id}/progress`, { body }),
  complete: (id: string, note: string) => request<ProposalDetail>('POST', `/api/proposals/${id}/complete`, { body: { note } }),
  hotspots: () => request<Static<typeof HotspotListSchema>>('GET', '/api/proposals/hotspots'),
  fromHotspot: (body: { categoryCode: string; regionCode: string; title: string; description: string }) => request<ProposalDetail>('POST', '/api/proposals/from-hotspot', { body }),
  threshold: (code: string) => request<{ regionCode: string; supportThreshold: number }>('GET', `/api/proposal-thresholds/${code}`),
  setThreshold: (code: string, supportThreshold: number) => request<{ regionCode: string; supportThreshold: number }>('PUT', `/api/proposal-thresholds/${code}`, { body: { supportThreshold } }),

  myVolunteer: () => request<Volunteer>('GET', '/api/volunteers/me'),
  register: (body: Static<typeof VolunteerBody>) => request<Volunteer>('PUT', '/api/volunteers/me', { body }),
  volunteers: () => request<Static<typeof VolunteerListSchema>>('GET', '/api/volunteers'),
  tasks: () => request<Static<typeof TaskListSchema>>('GET', '/api/volunteer-tasks'),
  task: (id: string) => request<TaskDetail>('GET', `/api/volunteer-tasks/${id}`),
  createTask: (body: Static<typeof TaskBody>) => request<TaskDetail>('POST', '/api/volunteer-tasks', { body }),
  signUp: (id: string) => request<TaskDetail>('POST', `/api/volunteer-tasks/${id}/signup`, { body: {} }),
  /** A volunteer's own check-in or check-out, on the task's day. */
  selfCheck: (id: string, step: 'check-in' | 'check-out') => request<TaskDetail>('POST', `/api/volunteer-tasks/${id}/me/${step}`, { body: {} }),
  check: (id: string, userId: string, step: 'check-in' | 'check-out' | 'confirm') => request<TaskDetail>('POST', `/api/volunteer-tasks/${id}/signups/${userId}/${step}`, { body: {} }),
  points: () => request<Points>('GET', '/api/me/points'),
  rewards: () => request<Static<typeof RewardListSchema>>('GET', '/api/rewards'),
  createReward: (body: Static<typeof RewardBody>) => request<Reward>('POST', '/api/rewards', { body }),
  changeReward: (id: string, body: { stock?: number; active?: boolean }) => request<Reward>('PATCH', `/api/rewards/${id}`, { body }),
  redeem: (id: string) => request<{ code: string; balance: number }>('POST', `/api/rewards/${id}/redeem`, { body: {} }),
  redemptions: () => request<Static<typeof RedemptionListSchema>>('GET', '/api/redemptions'),
};

/** The message of the first failure among a screen's mutations, in the UI language. */
export function failureOf(...errors: unknown[]): string | null {
  const error = errors.find(Boolean);
  return error instanceof ApiError ? error.message : error ? String(error) : null;
}
