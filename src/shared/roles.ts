/** The roles of the brief. Every role assignment carries a region scope. */
export const ROLES = [
  'resident',
  'social_worker',
  'committee_head',
  'street_dispatcher',
  'department_handler',
  'district_operator',
  'provider',
  'party_org',
  'data_steward',
  'device_maintainer',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, { 'zh-CN': string; en: string }> = {
  resident: { 'zh-CN': '居民', en: 'Resident' },
  social_worker: { 'zh-CN': '社工', en: 'Social worker' },
  committee_head: { 'zh-CN': '居村委负责人', en: 'Committee head' },
  street_dispatcher: { 'zh-CN': '街镇城运调度员', en: 'Street dispatcher' },
  department_handler: { 'zh-CN': '职能部门处置人员', en: 'Department handler' },
  district_operator: { 'zh-CN': '区城运中心值班员', en: 'District operator' },
  provider: { 'zh-CN': '社会组织/企业', en: 'Service provider' },
  party_org: { 'zh-CN': '党组织', en: 'Party organisation' },
  data_steward: { 'zh-CN': '数据管理员', en: 'Data steward' },
  device_maintainer: { 'zh-CN': '设备运维', en: 'Device maintainer' },
  admin: { 'zh-CN': '系统管理员', en: 'Administrator' },
};

/** Roles that must name a department (职能部门) besides their region. */
export const ROLES_WITH_DEPARTMENT: ReadonlySet<Role> = new Set<Role>(['department_handler']);

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
