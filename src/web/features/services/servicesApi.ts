import type { Static } from 'typebox';
import type { EligibilityRule, RuleExample } from '../../../shared/services.ts';
import type {
  LinkView as LinkViewSchema,
  MatchDetail as MatchDetailSchema,
  Menu as MenuSchema,
  ProxyList as ProxyListSchema,
  RuleTestResult as RuleTestResultSchema,
  ServiceBody,
  ServiceDetail as ServiceDetailSchema,
  ServiceList as ServiceListSchema,
  UptakeFigures as UptakeFiguresSchema,
  VisitBody,
  Worklist as WorklistSchema,
} from '../../../server/modules/services/schemas.ts';
import { request } from '../../api.ts';

/** Shapes of the services endpoints, from the server's schemas (type-only). */
export type ServiceList = Static<typeof ServiceListSchema>;
export type ServiceSummary = ServiceList['items'][number];
export type ServiceDetail = Static<typeof ServiceDetailSchema>;
export type ServiceInput = Static<typeof ServiceBody>;
export type RuleTestResult = Static<typeof RuleTestResultSchema>;
export type Menu = Static<typeof MenuSchema>;
export type MenuItem = Menu[number];
export type LinkView = Static<typeof LinkViewSchema>;
export type Worklist = Static<typeof WorklistSchema>;
export type WorkItem = Worklist['items'][number];
export type MatchDetail = Static<typeof MatchDetailSchema>;
export type VisitInput = Static<typeof VisitBody>;
export type UptakeFigures = Static<typeof UptakeFiguresSchema>;
export type ProxyList = Static<typeof ProxyListSchema>;
export type Proxy = ProxyList['items'][number];

const seg = encodeURIComponent;

export const servicesApi = {
  list: () => request<ServiceList>('GET', '/api/services'),
  get: (id: string) => request<ServiceDetail>('GET', `/api/services/${seg(id)}`),
  create: (body: ServiceInput) => request<{ id: string }>('POST', '/api/services', { body }),
  update: (id: string, body: ServiceInput) => request<ServiceDetail>('PUT', `/api/services/${seg(id)}`, { body }),
  testRule: (rule: EligibilityRule, examples: RuleExample[], code?: string, regionCode?: string) =>
    request<RuleTestResult>('POST', '/api/services/rules/test', { body: { rule, examples, ...(code ? { code } : {}), ...(regionCode ? { regionCode } : {}) } }),
  worklist: (query: { view?: string | undefined; limit: number; offset: number }) => request<Worklist>('GET', '/api/services/worklist', { query: { ...query } }),
  match: (id: string) => request<MatchDetail>('GET', `/api/services/matches/${seg(id)}`),
  visit: (id: string, body: VisitInput) => request<MatchDetail>('POST', `/api/services/matches/${seg(id)}/visits`, { body }),
  uptake: () => request<UptakeFigures>('GET', '/api/services/uptake'),
  /** The caller's menu, or with `forId` the menu of a person who authorised the caller (代办). */
  menu: (forId?: string | null) => request<Menu>('GET', '/api/me/menu', forId ? { query: { for: forId } } : {}),
  link: () => request<LinkView>('GET', '/api/me/link'),
  verify: (name: string, idNumber: string) => request<LinkView>('POST', '/api/me/link', { body: { name, idNumber } }),
  apply: (serviceId: string, forId?: string | null) => request<{ matchId: string; status: string }>('POST', `/api/me/menu/${seg(serviceId)}/apply`, { body: forId ? { for: forId } : {} }),
  decline: (serviceId: string, reason: string, forId?: string | null) =>
    request<{ matchId: string; status: string }>('POST', `/api/me/menu/${seg(serviceId)}/decline`, { body: { reason, ...(forId ? { for: forId } : {}) } }),
  proxies: () => request<ProxyList>('GET', '/api/me/proxies'),
  grantProxy: (agentUsername: string, relation: string) => request<{ id: string }>('POST', '/api/me/proxies', { body: { agentUsername, relation } }),
  revokeProxy: (id: string) => request<ProxyList>('DELETE', `/api/me/proxies/${seg(id)}`),
  confirmLink: (personId: string, username: string) => request<{ id: string }>('POST', '/api/services/links', { body: { personId, username } }),
  writtenProxy: (body: { personId: string; agentUsername: string; relation: string; note?: string }) => request<{ id: string }>('POST', '/api/services/proxies', { body }),
};
