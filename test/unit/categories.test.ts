import { describe, expect, it } from 'vitest';
import {
  CATEGORY_CLASS_CODE_PATTERN,
  CATEGORY_LEAF_CODE_PATTERN,
  CATEGORY_TYPE_PREFIX,
  DEFAULT_RESPONSIBILITY,
  RESPONSIBILITY_RULES,
  VERIFICATION_RULES,
  limitsOrdered,
  nominalWallHours,
} from '../../src/shared/categories.ts';
import { DEPARTMENT_KINDS } from '../../src/shared/departments.ts';
import { CLOCK_TYPES, URGENCIES } from '../../src/shared/time-limits.ts';
import { DEFAULT_CATALOGUE } from '../../src/server/modules/categories/default-catalogue.ts';

const leaves = DEFAULT_CATALOGUE.flatMap((c) => c.leaves.map((leaf) => ({ ...leaf, code: `${c.code}${leaf.sub}`, classCode: c.code, type: c.type })));
const byName = (name: string) => leaves.find((l) => l.name === name);

describe('the default case category catalogue', () => {
  it('has unique, well-formed codes; every leaf extends its class code and type letter', () => {
    const codes = [...DEFAULT_CATALOGUE.map((c) => c.code), ...leaves.map((l) => l.code)];
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of DEFAULT_CATALOGUE) {
      expect(c.code, c.code).toMatch(new RegExp(CATEGORY_CLASS_CODE_PATTERN));
      expect(c.code[0], c.code).toBe(CATEGORY_TYPE_PREFIX[c.type]);
      expect(c.leaves.length, c.code).toBeGreaterThan(0);
    }
    for (const l of leaves) {
      expect(l.code, l.code).toMatch(new RegExp(CATEGORY_LEAF_CODE_PATTERN));
      expect(l.code.slice(0, 3), l.code).toBe(l.classCode);
    }
    // classes are listed in code order, and leaves in code order inside them
    expect(DEFAULT_CATALOGUE.map((c) => c.code)).toEqual(['B01', 'B02', 'B03', 'B04', 'B05', 'B06', 'E01', 'E02', 'E03', 'E04', 'E05', 'C01', 'C02', 'C03', 'C04', 'C05']);
    for (const c of DEFAULT_CATALOGUE) expect(c.leaves.map((l) => l.sub)).toEqual(c.leaves.map((l) => l.sub).sort());
  });

  it('ends every class with 99 其他, and follows the reference codes', () => {
    for (const c of DEFAULT_CATALOGUE) {
      const last = c.leaves[c.leaves.length - 1]!;
      expect(last.sub, c.code).toBe('99');
      expect(last.name, c.code).toMatch(/^其[他它]/);
    }
    expect(leaves.find((l) => l.code === 'B0101')?.name).toBe('上水井盖');
    expect(leaves.find((l) => l.code === 'B0214')?.name).toBe('交通信号灯');
    expect(leaves.find((l) => l.code === 'E0102')?.name).toBe('暴露垃圾');
    expect(leaves.find((l) => l.code === 'E0401')?.name).toBe('路面塌陷'); // 04 = 突发事件
    expect(leaves.find((l) => l.code === 'E0504')?.name).toBe('店外经营'); // 05 = 街面秩序
    expect(DEFAULT_CATALOGUE.filter((c) => c.type === 'component')).toHaveLength(6);
    expect(DEFAULT_CATALOGUE.filter((c) => c.type === 'event')).toHaveLength(5);
  });

  it('gives every leaf names in both languages, keywords and a valid department kind, rule and radius', () => {
    for (const l of leaves) {
      expect(l.name.trim().length, l.code).toBeGreaterThan(0);
      expect(l.name.length, l.code).toBeLessThanOrEqual(50);
      expect(l.nameEn, l.code).toMatch(/^[A-Z][A-Za-z0-9 ,()'-]+$/);
      expect(DEPARTMENT_KINDS, l.code).toContain(l.departmentKind);
      expect(RESPONSIBILITY_RULES, l.code).toContain(l.responsibility);
      expect(VERIFICATION_RULES, l.code).toContain(l.verification);
      expect(l.keywords.length, l.code).toBeGreaterThan(0);
      expect(new Set(l.keywords).size, l.code).toBe(l.keywords.length);
      expect(l.keywords.every((k) => /^\S{1,20}$/.test(k)), l.code).toBe(true);
      expect(Number.isInteger(l.duplicateRadiusM) && l.duplicateRadiusM >= 0 && l.duplicateRadiusM <= 5000, l.code).toBe(true);
    }
    for (const c of DEFAULT_CATALOGUE) expect(c.nameEn.length, c.code).toBeGreaterThan(0);
    // 部件 先属主后属地, 事件 先属地后属主
    expect(leaves.filter((l) => l.type === 'component').every((l) => l.responsibility === 'owner_first')).toBe(true);
    expect(leaves.filter((l) => l.type === 'event').every((l) => l.responsibility === DEFAULT_RESPONSIBILITY.event)).toBe(true);
  });

  it('has time limits for every urgency with positive whole amounts, never longer for a higher urgency', () => {
    for (const l of leaves) {
      for (const urgency of URGENCIES) {
        const limit = l.timeLimits[urgency];
        expect(limit, `${l.code} ${urgency}`).toBeDefined();
        expect(Number.isInteger(limit.amount) && limit.amount > 0, `${l.code} ${urgency}`).toBe(true);
        expect(CLOCK_TYPES, `${l.code} ${urgency}`).toContain(limit.clock);
      }
      const { normal, urgent, critical } = l.timeLimits;
      // same clock: compare amounts; different clocks: compare rough wall time
      if (urgent.clock === normal.clock) expect(urgent.amount, l.code).toBeLessThanOrEqual(normal.amount);
      if (critical.clock === urgent.clock) expect(critical.amount, l.code).toBeLessThanOrEqual(urgent.amount);
      expect(limitsOrdered(l.timeLimits), l.code).toBe(true);
    }
  });

  it('uses the reference limits of indicators.md', () => {
    expect(byName('道路不洁')?.timeLimits.normal).toEqual({ amount: 5, clock: 'working_hours' });
    expect(byName('暴露垃圾')?.timeLimits.normal).toEqual({ amount: 1, clock: 'working_days' });
    expect(byName('积存垃圾渣土')?.timeLimits.normal).toEqual({ amount: 4, clock: 'working_days' });
    expect(byName('私搭乱建')?.timeLimits.normal).toEqual({ amount: 15, clock: 'working_days' });
    expect(byName('违章搭建')?.timeLimits.normal).toEqual({ amount: 15, clock: 'working_days' });
    expect(byName('政策咨询')?.timeLimits.normal).toEqual({ amount: 1, clock: 'working_days' });
    // emergencies count continuous hours at every urgency
    expect(leaves.filter((l) => l.classCode === 'E04' && l.sub !== '04').every((l) => URGENCIES.every((u) => l.timeLimits[u].clock === 'emergency_working_hours'))).toBe(true);
  });

  it('routes 楼道堆物 to urban management, chosen by residents and confirmed by them', () => {
    const duiwu = byName('楼道堆物');
    expect(duiwu).toMatchObject({ code: 'C0101', type: 'community', departmentKind: 'urban_management', residentSelectable: true, verification: 'reporter', duplicateRadiusM: 50 });
  });

  it('covers the community matters of the reference list', () => {
    const names = new Set(leaves.filter((l) => l.type === 'community').map((l) => l.name));
    for (const name of ['楼道堆物', '消防通道占用', '电动车进楼入户', '飞线充电', '高空抛物', '群租', '违章搭建', '装修噪音', '广场舞噪音', '宠物扰民', '漏水渗水', '电梯故障', '物业服务纠纷', '小区停车难', '垃圾分类混投', '垃圾满溢', '绿化毁损', '公共设施损坏', '邻里纠纷', '独居老人关爱', '困难帮扶', '政策咨询']) {
      expect(names.has(name), name).toBe(true);
    }
  });

  it('orders limits by rough wall time across clocks', () => {
    expect(nominalWallHours({ amount: 2, clock: 'emergency_working_hours' })).toBe(2);
    expect(nominalWallHours({ amount: 1, clock: 'working_days' })).toBeCloseTo(33.6);
    expect(nominalWallHours({ amount: 8, clock: 'working_hours' })).toBeCloseTo(33.6);
    expect(nominalWallHours({ amount: 1, clock: 'calendar_days' })).toBe(24);
    expect(limitsOrdered({ normal: { amount: 1, clock: 'working_days' }, urgent: { amount: 4, clock: 'working_hours' }, critical: { amount: 2, clock: 'emergency_working_hours' } })).toBe(true);
    expect(limitsOrdered({ normal: { amount: 4, clock: 'working_hours' }, urgent: { amount: 1, clock: 'working_days' }, critical: { amount: 2, clock: 'emergency_working_hours' } })).toBe(false);
  });
});
