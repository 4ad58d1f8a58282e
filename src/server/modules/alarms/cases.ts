import { randomBytes } from 'node:crypto';
import { ALARM_TYPES, DEFAULT_ALARM_CATEGORIES, type AlarmSeverity } from '../../../shared/alarms.ts';
import type { Urgency } from '../../../shared/time-limits.ts';
import { UNRESTRICTED } from '../../platform/access.ts';
import { systemActor, type UserActor } from '../../platform/actor.ts';
import type { Executor } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors.ts';
import type { CommandContext, Platform } from '../../platform/platform.ts';
import { reportCase } from '../cases/commands.ts';
import { caseById } from '../cases/repository.ts';
import { createUser, parseRole, setUserStatus } from '../identity/commands.ts';
import { findUserById } from '../identity/repository.ts';
import { findRegion } from '../regions/repository.ts';
import { categoryOfType, insertAlarmEvents, seedCategoryMapping, updateAlarm, userWithAssignment, type Alarm } from './repository.ts';

/**
 * Alarm → case (告警转案件). The case enters the loop through the same command as every channel
 * (`reportCase`, channel `iot`), filed under the category mapped from the alarm type, placed where
 * the device stands, urgent as the alarm is severe; the alarm keeps the case's id.
 */

/**
 * The account the platform reports alarm cases under when nobody confirmed them (case mode `auto`):
 * a data steward of the whole district, disabled (nobody signs in as it), created by the seed.
 */
export const IOT_REPORTER_USERNAME = 'iot-alarms';
const IOT_REPORTER_NAME = '物联感知平台';

const URGENCY_OF_SEVERITY: Record<AlarmSeverity, Urgency> = { critical: 'critical', major: 'urgent', minor: 'normal', warning: 'normal' };

export async function iotReporter(db: Executor): Promise<UserActor> {
  const row = await userWithAssignment(db, IOT_REPORTER_USERNAME);
  if (!row) throw new Error(`the ${IOT_REPORTER_USERNAME} account is missing: run the seed`);
  const assignment = {
    id: row.assignment_id,
    role: parseRole(row.role),
    regionCode: row.region_code,
    regionPath: row.region_path,
    regionName: row.region_name,
    departmentId: null,
    departmentName: null,
  };
  return { kind: 'user', userId: row.id, username: row.username, displayName: row.display_name, sessionId: '', assignment, assignments: [assignment] };
}

/** Reference data: the type → category mapping and the reporting account. Idempotent. */
export async function seedAlarmCases(platform: Platform): Promise<void> {
  await platform.transaction(systemActor('seed'), async (ctx) => {
    await seedCategoryMapping(
      ctx.trx,
      Object.entries(DEFAULT_ALARM_CATEGORIES).map(([type, categoryCode]) => ({ type, categoryCode })),
    );
    if (await userWithAssignment(ctx.trx, IOT_REPORTER_USERNAME)) return;
    const district = await findRegion(ctx.trx, UNRESTRICTED, platform.config.rootRegionCode);
    if (!district) throw new Error(`root region ${platform.config.rootRegionCode} missing`);
    const userId = await createUser(
      ctx,
      {
        username: IOT_REPORTER_USERNAME,
        displayName: IOT_REPORTER_NAME,
        phone: null,
        password: randomBytes(24).toString('base64url'),
        assignment: { role: 'data_steward', region: district, department: null },
      },
      platform.config.passwordHashCost,
    );
    const user = await findUserById(ctx.trx, UNRESTRICTED, userId);
    if (user) await setUserStatus(ctx, user, 'disabled');
  });
}

function describe(alarm: Alarm, extra: string | null): string {
  const type = ALARM_TYPES[alarm.type];
  const detail = alarm.detail?.['zh-CN'];
  const parts = [`【物联告警】${type.name['zh-CN']}：${alarm.deviceName}`, detail ? `（${detail}）` : '', `，首次告警 ${alarm.firstAt.toISOString()}`, alarm.repeatCount > 1 ? `，共 ${alarm.repeatCount} 次` : ''];
  const text = parts.join('') + (extra ? `。${extra}` : '。');
  return text.slice(0, 2000);
}

/**
 * Reports the alarm's case in the caller's transaction and links it to the alarm. `reporter` is the
 * person who confirmed it (recheck, call), or the platform's account for `auto`.
 */
export async function createCaseForAlarm(ctx: CommandContext, platform: Platform, alarm: Alarm, reporter: UserActor, options: { note?: string | null; categoryCode?: string } = {}): Promise<string> {
  const categoryCode = options.categoryCode ?? (await categoryOfType(ctx.trx, alarm.type));
  if (!categoryCode) throw new AppError('ALARM_NO_CATEGORY', { type: alarm.type });
  const caseId = await reportCase({ ...ctx, actor: reporter }, platform, {
    description: describe(alarm, options.note ?? null),
    categoryCode,
    urgency: URGENCY_OF_SEVERITY[alarm.severity],
    region: { code: alarm.regionCode, regionPath: alarm.regionPath },
    lat: alarm.deviceLat,
    lng: alarm.deviceLng,
    address: alarm.deviceName,
    channel: 'iot',
    hotline: null,
  });
  const number = (await caseById(ctx.trx, caseId))?.number ?? caseId;
  const state = await updateAlarm(ctx.trx, alarm.id, { case_id: caseId });
  await insertAlarmEvents(ctx.trx, [
    {
      alarmId: alarm.id,
      action: 'case_created',
      fromState: alarm.state,
      toState: state,
      actorUserId: reporter.userId,
      actorName: reporter.displayName,
      note: `案件 ${number}`,
      details: { caseId, number, categoryCode },
    },
  ]);
  return caseId;
}
