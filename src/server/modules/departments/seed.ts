import type { DepartmentKind } from '../../../shared/departments.ts';
import { systemActor } from '../../platform/actor.ts';
import type { Platform } from '../../platform/platform.ts';
import { UNRESTRICTED } from '../../platform/access.ts';
import { findRegion, listChildren } from '../regions/repository.ts';
import { createDepartment } from './commands.ts';
import { findDepartmentByCode } from './repository.ts';

/**
 * The functional departments a district installation starts with. They are configuration, not
 * code: administrators rename, add and re-classify them in the console.
 */
const DISTRICT_DEPARTMENTS: Array<{ suffix: string; name: string; kind: DepartmentKind }> = [
  { suffix: 'YYZX', name: '区城市运行管理中心', kind: 'operations' },
  { suffix: 'CGZF', name: '区城管执法局', kind: 'urban_management' },
  { suffix: 'LHSR', name: '区绿化市容局', kind: 'greening_sanitation' },
  { suffix: 'FG', name: '区房屋管理部门', kind: 'housing' },
  { suffix: 'GA', name: '公安浦东分局', kind: 'police' },
  { suffix: 'XF', name: '区消防救援支队', kind: 'fire' },
  { suffix: 'MZ', name: '区民政局', kind: 'civil_affairs' },
  { suffix: 'WJ', name: '区卫生健康委', kind: 'health' },
  { suffix: 'SCJG', name: '区市场监管局', kind: 'market_regulation' },
  { suffix: 'STHJ', name: '区生态环境局', kind: 'environment' },
  { suffix: 'SW', name: '区水务局', kind: 'water' },
];

/** Street-level units, named after the street (陆家嘴城管执法中队…). */
const STREET_UNITS: Array<{ suffix: string; name: (short: string) => string; kind: DepartmentKind }> = [
  { suffix: 'YYZX', name: (s) => `${s}城运中心`, kind: 'operations' },
  { suffix: 'CGZD', name: (s) => `${s}城管执法中队`, kind: 'urban_management' },
  { suffix: 'SCJGS', name: (s) => `${s}市场监管所`, kind: 'market_regulation' },
  { suffix: 'FGB', name: (s) => `${s}房管办`, kind: 'housing' },
];

function shortName(streetName: string): string {
  return streetName.replace(/(新村)?街道$|镇$/, '') || streetName;
}

export async function seedDepartments(platform: Platform, rootCode: string): Promise<void> {
  const root = await findRegion(platform.db, UNRESTRICTED, rootCode);
  if (!root) throw new Error(`root region ${rootCode} missing: seed regions first`);
  if (await findDepartmentByCode(platform.db, `${rootCode}-CGZF`)) return;
  await platform.transaction(systemActor('seed'), async (ctx) => {
    for (const d of DISTRICT_DEPARTMENTS) {
      await createDepartment(ctx, { code: `${rootCode}-${d.suffix}`, name: d.name, kind: d.kind, region: root });
    }
    for (const street of await listChildren(ctx.trx, UNRESTRICTED, rootCode)) {
      if (street.kind === 'special_zone') continue;
      for (const unit of STREET_UNITS) {
        await createDepartment(ctx, { code: `${street.code}-${unit.suffix}`, name: unit.name(shortName(street.name)), kind: unit.kind, region: street });
      }
    }
  });
}

/** Synthetic property-management companies for the demo committees, marked as such. */
const DEMO_PROPERTY_COMPANIES = [
  { code: '310115005001-WY01', name: '（演示）梅园物业服务有限公司', committee: '310115005001' },
  { code: '310115005002-WY01', name: '（演示）汇豪物业管理有限公司', committee: '310115005002' },
];

export async function seedDemoDepartments(platform: Platform): Promise<void> {
  await platform.transaction(systemActor('demo'), async (ctx) => {
    for (const company of DEMO_PROPERTY_COMPANIES) {
      if (await findDepartmentByCode(ctx.trx, company.code)) continue;
      const region = await findRegion(ctx.trx, UNRESTRICTED, company.committee);
      if (!region) throw new Error(`demo committee ${company.committee} missing`);
      await createDepartment(ctx, { code: company.code, name: company.name, kind: 'property_management', region });
    }
  });
}
