/** Kinds of functional departments (职能部门) and service units that handle dispatched work. */
export const DEPARTMENT_KINDS = [
  'operations',
  'urban_management',
  'greening_sanitation',
  'housing',
  'police',
  'fire',
  'civil_affairs',
  'health',
  'market_regulation',
  'environment',
  'water',
  'property_management',
  'other',
] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];

export const DEPARTMENT_KIND_LABELS: Record<DepartmentKind, { 'zh-CN': string; en: string }> = {
  operations: { 'zh-CN': '城运中心', en: 'Operations centre' },
  urban_management: { 'zh-CN': '城管执法', en: 'Urban management enforcement' },
  greening_sanitation: { 'zh-CN': '绿化市容', en: 'Greening and city appearance' },
  housing: { 'zh-CN': '房管', en: 'Housing administration' },
  police: { 'zh-CN': '公安', en: 'Police' },
  fire: { 'zh-CN': '消防', en: 'Fire and rescue' },
  civil_affairs: { 'zh-CN': '民政', en: 'Civil affairs' },
  health: { 'zh-CN': '卫健', en: 'Health' },
  market_regulation: { 'zh-CN': '市场监管', en: 'Market regulation' },
  environment: { 'zh-CN': '生态环境', en: 'Ecology and environment' },
  water: { 'zh-CN': '水务', en: 'Water affairs' },
  property_management: { 'zh-CN': '物业', en: 'Property management company' },
  other: { 'zh-CN': '其他', en: 'Other' },
};
