import type { Role } from '../../../shared/roles.ts';
import { systemActor } from '../../platform/actor.ts';
import { UNRESTRICTED } from '../../platform/access.ts';
import type { Platform } from '../../platform/platform.ts';
import { findDepartmentByCode } from '../departments/repository.ts';
import { findRegion } from '../regions/repository.ts';
import { createUser, grantAssignment, type AssignmentInput } from './commands.ts';
import { findUserForLogin, usernameTaken } from './repository.ts';
import type { UserActor } from '../../platform/actor.ts';
import { loadAssignments } from '../../platform/auth/sessions.ts';
import type { Executor } from '../../platform/db/index.ts';

/** The demo password. It exists only in demo mode (`npm start`); production has no default password. */
export const DEMO_PASSWORD = 'gongzhi-demo';

export interface DemoAccount {
  username: string;
  displayName: string;
  phone: string;
  assignments: Array<{ role: Role; regionCode: string; departmentCode?: string }>;
}

const LUJIAZUI = '310115005';
const MEIYUAN_1 = '310115005001'; // 梅园一村居委会
const HUIHAO = '310115005002'; // 汇豪天下居委会

/** One account per role. Names and phone numbers are synthetic (the 1990-prefix is unassigned). */
export const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: 'admin', displayName: '演示·系统管理员', phone: '19900000001', assignments: [{ role: 'admin', regionCode: '310115' }] },
  { username: 'operator', displayName: '演示·区城运值班员', phone: '19900000002', assignments: [{ role: 'district_operator', regionCode: '310115' }] },
  { username: 'dispatcher', displayName: '演示·陆家嘴调度员', phone: '19900000003', assignments: [{ role: 'street_dispatcher', regionCode: LUJIAZUI }] },
  {
    username: 'handler',
    displayName: '演示·城管中队队员',
    phone: '19900000004',
    assignments: [{ role: 'department_handler', regionCode: LUJIAZUI, departmentCode: `${LUJIAZUI}-CGZD` }],
  },
  { username: 'head', displayName: '演示·居委书记', phone: '19900000005', assignments: [{ role: 'committee_head', regionCode: MEIYUAN_1 }, { role: 'social_worker', regionCode: HUIHAO }] },
  { username: 'worker', displayName: '演示·社工', phone: '19900000006', assignments: [{ role: 'social_worker', regionCode: MEIYUAN_1 }] },
  { username: 'resident', displayName: '演示·居民', phone: '19900000007', assignments: [{ role: 'resident', regionCode: MEIYUAN_1 }] },
  { username: 'provider', displayName: '演示·社会组织', phone: '19900000008', assignments: [{ role: 'provider', regionCode: LUJIAZUI }] },
  { username: 'party', displayName: '演示·党群服务中心', phone: '19900000009', assignments: [{ role: 'party_org', regionCode: LUJIAZUI }] },
  { username: 'steward', displayName: '演示·数据管理员', phone: '19900000010', assignments: [{ role: 'data_steward', regionCode: '310115' }] },
  { username: 'maintainer', displayName: '演示·设备运维', phone: '19900000011', assignments: [{ role: 'device_maintainer', regionCode: LUJIAZUI }] },
];

async function resolve(platform: Platform, a: DemoAccount['assignments'][number]): Promise<AssignmentInput> {
  const region = await findRegion(platform.db, UNRESTRICTED, a.regionCode);
  if (!region) throw new Error(`demo region ${a.regionCode} missing`);
  let department: AssignmentInput['department'] = null;
  if (a.departmentCode) {
    const found = await findDepartmentByCode(platform.db, a.departmentCode);
    if (!found) throw new Error(`demo department ${a.departmentCode} missing`);
    department = { id: found.id, regionPath: region.regionPath };
  }
  return { role: a.role, region, department };
}

/**
 * Creates the accounts that do not exist yet, with the demo password. `hashCost` defaults to the
 * configured cost; supporting demo accounts may pass a lower one (their password is public anyway,
 * and the first sign-in rehashes at the configured cost).
 */
export async function ensureDemoAccounts(platform: Platform, accounts: readonly DemoAccount[], hashCost = platform.config.passwordHashCost): Promise<void> {
  for (const account of accounts) {
    if (await usernameTaken(platform.db, account.username)) continue;
    const [first, ...rest] = await Promise.all(account.assignments.map((a) => resolve(platform, a)));
    await platform.transaction(systemActor('demo'), async (ctx) => {
      const id = await createUser(ctx, { username: account.username, displayName: account.displayName, phone: account.phone, password: DEMO_PASSWORD, assignment: first! }, hashCost);
      for (const extra of rest) await grantAssignment(ctx, id, extra);
    });
  }
}

export async function seedDemoAccounts(platform: Platform): Promise<void> {
  await ensureDemoAccounts(platform, DEMO_ACCOUNTS);
}

/**
 * A demo account as the platform sees it when it signs in (what the session resolves to), acting
 * through its assignment in `regionCode` (default: its first). For seeding synthetic activity only.
 */
export async function demoActor(db: Executor, username: string, regionCode?: string): Promise<UserActor> {
  const user = await findUserForLogin(db, username);
  if (!user) throw new Error(`demo account ${username} missing`);
  const assignments = await loadAssignments(db, user.id);
  const assignment = regionCode ? assignments.find((a) => a.regionCode === regionCode) : assignments[0];
  if (!assignment) throw new Error(`demo account ${username} has no assignment${regionCode ? ` in ${regionCode}` : ''}`);
  return { kind: 'user', userId: user.id, username: user.username, displayName: user.display_name, sessionId: 'demo-seed', assignment, assignments };
}
