/** Region levels, outermost first. Scopes nest: district ⊃ street ⊃ committee ⊃ grid ⊃ building. */
export const REGION_LEVELS = ['district', 'street', 'committee', 'grid', 'building'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

export const REGION_LEVEL_LABELS: Record<RegionLevel, { 'zh-CN': string; en: string }> = {
  district: { 'zh-CN': '区', en: 'District' },
  street: { 'zh-CN': '街镇', en: 'Street / town' },
  committee: { 'zh-CN': '居村委', en: 'Committee' },
  grid: { 'zh-CN': '网格', en: 'Grid' },
  building: { 'zh-CN': '楼栋', en: 'Building' },
};

/** Which level may hold which child level. Grids sit under committees; buildings under committees or grids. */
export const ALLOWED_CHILD_LEVELS: Record<RegionLevel, readonly RegionLevel[]> = {
  district: ['street'],
  street: ['committee'],
  committee: ['grid', 'building'],
  grid: ['building'],
  building: [],
};
