import type { Tx } from '../../platform/db/index.ts';
import type { Subscriber } from '../../platform/events.ts';
import { UNRESTRICTED } from '../../platform/access.ts';
import { notify } from '../notifications/commands.ts';
import { shanghaiDay } from './commands.ts';
import { explainMatches } from './explain.ts';
import { listServices, openMatchesOf, residentAccountsOf, type MatchRow } from './repository.ts';

/**
 * 递菜单: the platform tells verified residents, in their app's 消息, when a service newly fits
 * them — nobody has to search or apply first — and, right after 实名核验, what their menu already
 * holds. Residents without an account link are reached by the social workers' 待走访 list instead.
 */

const MENU_LINK = '/m/services';

const stringsOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

async function serviceNames(trx: Tx): Promise<Map<string, { name: string; nameEn: string; autoGrant: boolean }>> {
  return new Map((await listServices(trx, UNRESTRICTED)).map((s) => [s.id, { name: s.name, nameEn: s.nameEn, autoGrant: s.autoGrant }]));
}

async function tellNewMatches(trx: Tx, eventId: string, matches: MatchRow[], day: string): Promise<void> {
  if (matches.length === 0) return;
  const accounts = await residentAccountsOf(trx, matches.map((m) => m.personId));
  const services = await serviceNames(trx);
  const [zh, en] = await Promise.all([explainMatches(trx, matches, 'zh-CN', day), explainMatches(trx, matches, 'en', day)]);
  await notify(
    { trx },
    matches.flatMap((m) => {
      const userId = accounts.get(m.personId);
      const service = services.get(m.serviceId);
      if (!userId || !service) return [];
      const params = { serviceId: m.serviceId, service: service.name, serviceEn: service.nameEn, autoGrant: service.autoGrant, reasons: zh.get(m.id) ?? [], reasonsEn: en.get(m.id) ?? [], link: MENU_LINK };
      return [{ userId, kind: 'service_matched', eventId, caseId: null, params }];
    }),
  );
}

export function tellingSubscribers(): Subscriber[] {
  return [
    {
      name: 'services.tell-residents',
      events: ['services.matches_changed'],
      handle: async (event, trx) => {
        const persons = stringsOf(event.payload.residentPersonIds);
        if (persons.length === 0) return;
        const day = typeof event.payload.day === 'string' ? event.payload.day : shanghaiDay(event.occurredAt);
        await tellNewMatches(trx, event.id, await openMatchesOf(trx, persons, { serviceId: event.aggregateId }), day);
      },
    },
    {
      name: 'services.tell-verified',
      events: ['services.resident_linked'],
      handle: async (event, trx) => {
        const userId = event.payload.userId;
        if (typeof userId !== 'string') return;
        // what the menu held when they were verified; a match made afterwards is told on its own (services.tell-residents)
        const matches = await openMatchesOf(trx, [event.aggregateId], { matchedBefore: event.occurredAt });
        const services = await serviceNames(trx);
        const named = matches.flatMap((m) => services.get(m.serviceId) ?? []);
        await notify({ trx }, [
          { userId, kind: 'services_verified', eventId: event.id, caseId: null, params: { count: named.length, services: named.map((s) => s.name), servicesEn: named.map((s) => s.nameEn || s.name), link: MENU_LINK } },
        ]);
      },
    },
  ];
}
