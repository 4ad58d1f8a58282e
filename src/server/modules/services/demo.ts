import { sql } from 'kysely';
import { systemActor } from '../../platform/actor.ts';
import type { Platform } from '../../platform/platform.ts';
import { linkResident } from './commands.ts';
import { evaluateDue } from './matching.ts';
import { linkOfPerson, linkOfUser } from './repository.ts';

/** The demo resident's account (identity/demo.ts) and the phone it was given there. */
const DEMO_RESIDENT = 'resident';
const DEMO_RESIDENT_PHONE = '19900000007';

/**
 * Demo: links the account `resident` (梅园一村) to a ledger person of 梅园一村 — the one with the
 * account's phone number, else the oldest person not linked yet — and matches the catalogue. The
 * ledger has no demo persons of its own yet: when it gets them, this links on the next start.
 */
export async function seedDemoServices(platform: Platform): Promise<void> {
  const user = await platform.db.selectFrom('users as u').innerJoin('role_assignments as a', 'a.user_id', 'u.id').select(['u.id', 'a.region_path']).where('u.username', '=', DEMO_RESIDENT).where('a.role', '=', 'resident').executeTakeFirst();
  if (user && !(await linkOfUser(platform.db, user.id))) {
    const person = await sql<{ id: string; region_path: string }>`
      select p.id, p.region_path::text as region_path from ledger_persons p
      where p.region_path <@ ${user.region_path}::ltree and not exists (select 1 from resident_links l where l.person_id = p.id)
      order by (p.phone = ${DEMO_RESIDENT_PHONE}) desc nulls last, p.birth_date nulls last, p.id limit 1`.execute(platform.db);
    const target = person.rows[0];
    if (target && !(await linkOfPerson(platform.db, target.id))) {
      await platform.transaction(systemActor('services.demo'), (ctx) => linkResident(ctx, { userId: user.id, personId: target.id, regionPath: target.region_path, method: 'worker' }));
    }
  }
  await evaluateDue(platform, new Date());
}
