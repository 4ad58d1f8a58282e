import { ALARM_ENTRY_LABELS, ALARM_FLOOD_THRESHOLD, ALARM_FLOOD_WINDOW_MINUTES, ALARM_SEVERITIES, ALARM_STATES, ALARM_TYPE_IDS, ALARM_TYPES, ELDERLY_ALARM_TYPES, isAlarmTypeId, type AlarmState, type AlarmTypeId } from '../../../shared/alarms.ts';
import { DEFAULT_RULES } from '../../../shared/rules.ts';
import type { Locale } from '../../../shared/i18n/locale.ts';
import { maskName, maskPhone } from '../../../shared/mask.ts';
import { authorize, scopeOf, type Scope } from '../../platform/access.ts';
import type { UserActor } from '../../platform/actor.ts';
import type { Executor } from '../../platform/db/index.ts';
import { AppError } from '../../platform/errors.ts';
import { ErrorResponse, localeOf, withErrors } from '../../platform/http.ts';
import type { App } from '../../platform/module.ts';
import type { Platform } from '../../platform/platform.ts';
import { findDevice, type Device } from '../devices/repository.ts';
import { findRegion } from '../regions/repository.ts';
import { actOnAlarm, actionsAllowedNow, changeAlarmSettings, closeWindow, openWindow, revealEmergencyContact, setEmergencyContact, setTypeOutOfService } from './commands.ts';
import { mayAct, visibleKinds } from './policy.ts';
import {
  alarmHistory,
  caseModeOverrides,
  categoryMapping,
  emergencyContact,
  escalationMinutes,
  findAlarm,
  listAlarms,
  findWindow,
  listWindows,
  outOfServiceOfDevice,
  recentAlarmGroups,
  type Alarm,
  type AlarmView,
} from './repository.ts';
import {
  AlarmActionBody,
  AlarmDetail,
  AlarmIdParams,
  AlarmList,
  AlarmListQuery,
  DeviceAlarmTypeList,
  DeviceIdParams,
  EmergencyContactBody,
  EmergencyContactSchema,
  OutOfServiceBody,
  OutOfServiceParams,
  RevealBody,
  SettingsBody,
  SettingsSchema,
  WindowBody,
  WindowList,
  WindowSchema,
} from './schemas.ts';

const viewOf = (actor: UserActor): AlarmView => ({ scope: scopeOf(actor), kinds: visibleKinds(actor.assignment.role) });

function present(alarm: Alarm, locale: Locale, actor: UserActor) {
  return {
    id: alarm.id,
    type: alarm.type,
    typeName: ALARM_TYPES[alarm.type].name[locale],
    severity: alarm.severity,
    kind: alarm.kind,
    latched: alarm.latched,
    state: alarm.state,
    conditionActive: alarm.conditionActive,
    acknowledged: alarm.acknowledged,
    device: { id: alarm.deviceId, name: alarm.deviceName },
    regionCode: alarm.regionCode,
    regionName: alarm.regionName,
    repeatCount: alarm.repeatCount,
    escalationLevel: alarm.escalationLevel,
    firstAt: alarm.firstAt.toISOString(),
    lastAt: alarm.lastAt.toISOString(),
    rtnAt: alarm.rtnAt?.toISOString() ?? null,
    ackedAt: alarm.ackedAt?.toISOString() ?? null,
    shelvedUntil: alarm.shelvedUntil?.toISOString() ?? null,
    caseMode: alarm.caseMode,
    recheck: alarm.recheck,
    caseId: alarm.caseId,
    caseNumber: alarm.caseNumber,
    detail: alarm.detail?.[locale] ?? null,
    allowedActions: actionsAllowedNow(alarm).filter((action) => mayAct(actor.assignment.role, alarm, action)),
  };
}

const maskedContact = (contact: { name: string; phone: string }) => ({ name: maskName(contact.name), phone: maskPhone(contact.phone), masked: true });

function parseStates(value: string | undefined): AlarmState[] | undefined {
  if (!value) return undefined;
  const states = value.split(',');
  const unknown = states.filter((s) => !(ALARM_STATES as readonly string[]).includes(s));
  if (unknown.length) throw new AppError('VALIDATION_FAILED', [{ in: 'querystring', path: '/state', rule: 'enum', message: `unknown state ${unknown.join(', ')}; one of ${ALARM_STATES.join(', ')}` }]);
  return states as AlarmState[];
}

async function deviceOrThrow(db: Executor, scope: Scope, id: string, options: { forUpdate?: boolean } = {}): Promise<Device> {
  const device = await findDevice(db, scope, id, options);
  if (!device) throw new AppError('NOT_FOUND');
  return device;
}

export function alarmRoutes(app: App, platform: Platform): void {
  const { db, permissions } = platform;
  const tags = ['alarms'];

  async function alarmOrThrow(executor: Executor, actor: UserActor, id: string, options: { forUpdate?: boolean } = {}): Promise<Alarm> {
    const alarm = await findAlarm(executor, viewOf(actor), id, options);
    if (!alarm) throw new AppError('NOT_FOUND');
    return alarm;
  }

  async function detail(actor: UserActor, id: string, locale: Locale) {
    const alarm = await alarmOrThrow(db, actor, id);
    const history = await alarmHistory(db, alarm.id);
    const contact = ELDERLY_ALARM_TYPES.includes(alarm.type) ? await emergencyContact(db, alarm.deviceId) : undefined;
    return {
      ...present(alarm, locale, actor),
      values: alarm.values,
      emergencyContact: contact ? maskedContact(contact) : null,
      history: history.map((h) => ({
        action: h.action,
        label: ALARM_ENTRY_LABELS[h.action as keyof typeof ALARM_ENTRY_LABELS]?.[locale] ?? h.action,
        fromState: h.from_state,
        toState: h.to_state,
        actorName: h.actor_name,
        note: h.note,
        details: (h.details ?? {}) as Record<string, unknown>,
        at: h.at.toISOString(),
      })),
    };
  }

  app.get(
    '/alarms',
    {
      schema: {
        tags,
        summary: 'Alarms in the caller’s scope: unacknowledged first, then the most severe, then the newest; with the flood view (by type and committee) when more than 10 were raised in 10 minutes',
        querystring: AlarmListQuery,
        response: withErrors({ 200: AlarmList }),
      },
    },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'alarm.read');
      const q = request.query;
      const locale = localeOf(request);
      const view = viewOf(actor);
      const states = parseStates(q.state);
      const { items, total } = await listAlarms(db, view, {
        ...(states ? { states } : {}),
        ...(q.type ? { type: q.type } : {}),
        ...(q.region ? { regionCode: q.region } : {}),
        ...(q.device ? { deviceId: q.device } : {}),
        ...(q.case ? { caseId: q.case } : {}),
        limit: q.limit ?? 50,
        offset: q.offset ?? 0,
      });
      const recent = await recentAlarmGroups(db, view, new Date(Date.now() - ALARM_FLOOD_WINDOW_MINUTES * 60_000));
      const flood = recent.total > ALARM_FLOOD_THRESHOLD;
      return {
        items: items.map((a) => present(a, locale, actor)),
        total,
        flood,
        recentCount: recent.total,
        groups: flood ? recent.groups.map((g) => ({ ...g, typeName: ALARM_TYPES[g.type].name[locale], newestAt: g.newestAt.toISOString() })) : [],
      };
    },
  );

  app.get(
    '/alarms/:id',
    { schema: { tags, summary: 'An alarm with its history, its case and (elderly care) the masked emergency contact', params: AlarmIdParams, response: withErrors({ 200: AlarmDetail }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'alarm.read');
      return detail(actor, request.params.id, localeOf(request));
    },
  );

  app.post(
    '/alarms/:id/actions',
    {
      schema: {
        tags,
        summary: 'Act on an alarm: ack, shelve {minutes, reason}, unshelve, reset {force?, reason?}, comment {text}, recheck {decision, note}, call {outcome, note}',
        params: AlarmIdParams,
        body: AlarmActionBody,
        response: withErrors({ 200: AlarmDetail, 409: ErrorResponse, 422: ErrorResponse }),
      },
    },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'alarm.read');
      await platform.transaction(
        actor,
        async (ctx) => {
          const alarm = await alarmOrThrow(ctx.trx, actor, request.params.id, { forUpdate: true });
          if (!mayAct(actor.assignment.role, alarm, request.body.action)) throw new AppError('FORBIDDEN', { action: request.body.action });
          await actOnAlarm({ ...ctx, actor }, platform, alarm, request.body);
        },
        { requestId: request.id },
      );
      return detail(actor, request.params.id, localeOf(request));
    },
  );

  async function settings(locale: Locale) {
    const [modes, categories, minutes] = [await caseModeOverrides(db), await categoryMapping(db), await escalationMinutes(db)];
    return {
      types: ALARM_TYPE_IDS.map((id) => {
        const type = ALARM_TYPES[id];
        return {
          type: id,
          name: type.name[locale],
          severity: type.severity,
          kind: type.kind,
          lifeSafety: type.lifeSafety,
          momentary: type.momentary,
          caseMode: type.kind === 'maintenance' ? 'none' : (modes.get(id) ?? type.caseMode),
          defaultCaseMode: type.caseMode,
          categoryCode: categories.get(id) ?? null,
        };
      }),
      escalationMinutes: Object.fromEntries(ALARM_SEVERITIES.map((s) => [s, minutes.get(s) ?? null])),
    };
  }

  app.get(
    '/alarm-settings',
    { schema: { tags, summary: 'The alarm types with their case mode and category, and the escalation minutes per severity', response: withErrors({ 200: SettingsSchema }) } },
    async (request) => {
      authorize(permissions, request.actor, 'alarm.read');
      return settings(localeOf(request));
    },
  );

  app.put(
    '/alarm-settings',
    { schema: { tags, summary: 'Change case modes per type and escalation minutes per severity (null: never escalate); administrators', body: SettingsBody, response: withErrors({ 200: SettingsSchema }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'alarm.settings.manage');
      await platform.transaction(actor, (ctx) => changeAlarmSettings({ ...ctx, actor }, request.body), { requestId: request.id });
      return settings(localeOf(request));
    },
  );

  const presentWindow = (w: Awaited<ReturnType<typeof listWindows>>[number]) => ({
    id: w.id,
    kind: w.kind,
    regionCode: w.regionCode,
    deviceId: w.deviceId,
    startsAt: w.startsAt.toISOString(),
    endsAt: w.endsAt.toISOString(),
    reason: w.reason,
    createdAt: w.createdAt.toISOString(),
  });

  app.get(
    '/alarm-windows',
    { schema: { tags, summary: 'Maintenance windows and drills in the caller’s scope that are not over', response: withErrors({ 200: WindowList }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'alarm.read');
      return { items: (await listWindows(db, scopeOf(actor), new Date())).map(presentWindow) };
    },
  );

  app.post(
    '/alarm-windows',
    {
      schema: {
        tags,
        summary: 'Open a maintenance window or drill for a device or a region: alarms raised inside it are suppressed (recorded, no notice, case or escalation)',
        body: WindowBody,
        response: withErrors({ 201: WindowSchema, 422: ErrorResponse }),
      },
    },
    async (request, reply) => {
      const actor = authorize(permissions, request.actor, 'alarm.windows.manage');
      const b = request.body;
      if ((b.deviceId === undefined) === (b.regionCode === undefined)) throw new AppError('ALARM_WINDOW_INVALID');
      const scope = scopeOf(actor);
      const id = await platform.transaction(
        actor,
        async (ctx) => {
          let target: Parameters<typeof openWindow>[1]['target'];
          if (b.deviceId) target = { device: await deviceOrThrow(ctx.trx, scope, b.deviceId) };
          else {
            const region = await findRegion(ctx.trx, scope, b.regionCode!);
            if (!region) throw new AppError('NOT_FOUND', { regionCode: b.regionCode });
            target = { region };
          }
          return openWindow({ ...ctx, actor }, { kind: b.kind, target, startsAt: new Date(b.startsAt), endsAt: new Date(b.endsAt), reason: b.reason });
        },
        { requestId: request.id },
      );
      const window = await findWindow(db, scope, id);
      if (!window) throw new AppError('NOT_FOUND');
      return reply.code(201).send(presentWindow(window));
    },
  );

  app.delete(
    '/alarm-windows/:id',
    { schema: { tags, summary: 'End a maintenance window or drill now (removes it)', params: AlarmIdParams, response: withErrors({ 204: { type: 'null' } }) } },
    async (request, reply) => {
      const actor = authorize(permissions, request.actor, 'alarm.windows.manage');
      await platform.transaction(
        actor,
        async (ctx) => {
          const window = await findWindow(ctx.trx, scopeOf(actor), request.params.id);
          if (!window) throw new AppError('NOT_FOUND');
          await closeWindow({ ...ctx, actor }, window);
        },
        { requestId: request.id },
      );
      return reply.code(204).send();
    },
  );

  app.get(
    '/devices/:id/alarm-types',
    { schema: { tags, summary: 'The alarm types a device can raise, and which are out of service (why, since when, by whom)', params: DeviceIdParams, response: withErrors({ 200: DeviceAlarmTypeList }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'device.read');
      const device = await deviceOrThrow(db, scopeOf(actor), request.params.id);
      const off = new Map((await outOfServiceOfDevice(db, device.id)).map((o) => [o.type, o]));
      const types = new Set<AlarmTypeId>([...DEFAULT_RULES.filter((r) => r.definition.profile === device.profile).map((r) => r.definition.alarmType), 'threshold', 'device-offline']);
      for (const type of off.keys()) if (isAlarmTypeId(type)) types.add(type);
      return {
        items: ALARM_TYPE_IDS.filter((type) => types.has(type)).map((type) => {
          const o = off.get(type);
          return { type, outOfService: o ? { reason: o.reason, since: o.since.toISOString(), byName: o.byName } : null };
        }),
      };
    },
  );

  app.put(
    '/devices/:id/alarm-types/:type/out-of-service',
    { schema: { tags, summary: 'Take an alarm type out of service for a device (its alarms are recorded as out of service)', params: OutOfServiceParams, body: OutOfServiceBody, response: withErrors({ 204: { type: 'null' } }) } },
    async (request, reply) => {
      const actor = authorize(permissions, request.actor, 'alarm.windows.manage');
      await platform.transaction(
        actor,
        async (ctx) => setTypeOutOfService({ ...ctx, actor }, await deviceOrThrow(ctx.trx, scopeOf(actor), request.params.id), request.params.type, { reason: request.body.reason }),
        { requestId: request.id },
      );
      return reply.code(204).send();
    },
  );

  app.delete(
    '/devices/:id/alarm-types/:type/out-of-service',
    { schema: { tags, summary: 'Return an alarm type to service for a device', params: OutOfServiceParams, response: withErrors({ 204: { type: 'null' } }) } },
    async (request, reply) => {
      const actor = authorize(permissions, request.actor, 'alarm.windows.manage');
      await platform.transaction(actor, async (ctx) => setTypeOutOfService({ ...ctx, actor }, await deviceOrThrow(ctx.trx, scopeOf(actor), request.params.id), request.params.type, null), {
        requestId: request.id,
      });
      return reply.code(204).send();
    },
  );

  app.get(
    '/devices/:id/emergency-contact',
    { schema: { tags, summary: 'The emergency contact of a device watching over an elderly resident living alone (masked)', params: DeviceIdParams, response: withErrors({ 200: EmergencyContactSchema }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'device.read');
      const device = await deviceOrThrow(db, scopeOf(actor), request.params.id);
      const contact = await emergencyContact(db, device.id);
      if (!contact) throw new AppError('NOT_FOUND');
      return maskedContact(contact);
    },
  );

  app.put(
    '/devices/:id/emergency-contact',
    { schema: { tags, summary: 'Set the emergency contact (独居老人: who to call when the water or door sensor alarms)', params: DeviceIdParams, body: EmergencyContactBody, response: withErrors({ 200: EmergencyContactSchema }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'device.emergencyContact.manage');
      await platform.transaction(actor, async (ctx) => setEmergencyContact({ ...ctx, actor }, await deviceOrThrow(ctx.trx, scopeOf(actor), request.params.id, { forUpdate: true }), request.body), {
        requestId: request.id,
      });
      return maskedContact(request.body);
    },
  );

  app.delete(
    '/devices/:id/emergency-contact',
    { schema: { tags, summary: 'Remove the emergency contact', params: DeviceIdParams, response: withErrors({ 204: { type: 'null' } }) } },
    async (request, reply) => {
      const actor = authorize(permissions, request.actor, 'device.emergencyContact.manage');
      await platform.transaction(actor, async (ctx) => setEmergencyContact({ ...ctx, actor }, await deviceOrThrow(ctx.trx, scopeOf(actor), request.params.id, { forUpdate: true }), null), {
        requestId: request.id,
      });
      return reply.code(204).send();
    },
  );

  app.post(
    '/devices/:id/emergency-contact/reveal',
    { schema: { tags, summary: 'The full emergency contact, with a reason (audited as a read of personal data)', params: DeviceIdParams, body: RevealBody, response: withErrors({ 200: EmergencyContactSchema, 422: ErrorResponse }) } },
    async (request) => {
      const actor = authorize(permissions, request.actor, 'device.emergencyContact.reveal');
      const contact = await platform.transaction(actor, async (ctx) => revealEmergencyContact({ ...ctx, actor }, await deviceOrThrow(ctx.trx, scopeOf(actor), request.params.id), request.body.reason), {
        requestId: request.id,
      });
      return { ...contact, masked: false };
    },
  );
}
