import { sql } from 'kysely';
import { systemActor } from '../../platform/actor.ts';
import type { Platform } from '../../platform/platform.ts';
import { DEMO_STORY_RECORD } from '../ledger/demo.ts';
import { findSourceRecords } from '../ledger/repository.ts';
import { linkResident } from './commands.ts';
import { evaluateDue } from './matching.ts';
import { linkOfPerson, linkOfUser } from './repository.ts';

/** The demo resident's account (identity/demo.ts). */
const DEMO_RESIDENT = 'resident';

/**
 * Demo: links the account `resident` (梅园一村) to a ledger person of 梅园一村 — the demo ledger's
 * story person (her register record, ledger/demo.ts), else the oldest person not linked yet — and
 * matches the catalogue. Without a ledger person yet, this links on the next start.
 */
export async function seedDemoServices(platform: Platform): Promise<void> {
  const user = await platform.db.selectFrom('users as u').innerJoin('role_assignments as a', 'a.user_id', 'u.id').select(['u.id', 'a.region_path']).where('u.username', '=', DEMO_RESIDENT).where('a.role', '=', 'resident').executeTakeFirst();
  if (user && !(await linkOfUser(platform.db, user.id))) {
    const storyPersonId = (await findSourceRecords(platform.db, DEMO_STORY_RECORD.source, [DEMO_STORY_RECORD.recordKey])).get(DEMO_STORY_RECORD.recordKey)?.personId;
    const person = await sql<{ id: string; region_path: string }>`
      select p.id, p.region_path::text as region_path from ledger_persons p
      where p.region_path <@ ${user.region_path}::ltree and not exists (select 1 from resident_links l where l.person_id = p.id)
      order by p.id = ${storyPersonId ?? null}::uuid desc nulls last, p.birth_date nulls last, p.id limit 1`.execute(platform.db);
    const target = person.rows[0];
    if (target && !(await linkOfPerson(platform.db, target.id))) {
      await platform.transaction(systemActor('services.demo'), (ctx) => linkResident(ctx, { userId: user.id, personId: target.id, regionPath: target.region_path, method: 'worker' }));
    }
  }
  await evaluateDue(platform, new Date());
}
