/**
 * A load fixture for the dispatch-board benchmark (not demo data): synthetic cases written
 * straight into the tables with INSERT … SELECT over generate_series, in chunks.
 *
 * Shape (deterministic: every "random" draw is hashint8extended of the row number):
 * - spread evenly over the installation's committees (regions of level 'committee', 1,526 in
 *   Pudong), category uniformly among the active leaves at their current version;
 * - created over the past year and written oldest first, as an installation writes them (so the
 *   open cases sit together in the table's last pages, as they would);
 * - each case lives 0.2–1.4 times its handling limit (2–20 days): older ones are closed (3 % of them
 *   rejected), younger ones open, in the stage their age reaches (reported → registered →
 *   dispatched → in progress → handled / suspended); about 97.5 % closed or rejected, and a third
 *   of the cases in progress past their deadline;
 * - the clocks the application would have running (case_timers): a desk-stage clock for
 *   reported / registered / dispatched / handled, a handling clock (2–20 days) from registration for
 *   every registered open case, paused while handled or suspended; the steps already past are
 *   marked as fired, as the deadline sweep would have left them, so the sweep has nothing to do;
 * - dispatched and later cases have the street's first department as main unit.
 */
import { sql } from 'kysely';
import type { Database } from '../src/server/platform/db/index.ts';

/** A uniform draw in [0, 1) for row `i`, independent per `seed`. */
const draw = (seed: number) => `((hashint8extended(i, ${seed}) & 4294967295)::float8 / 4294967296)`;

const DESCRIPTIONS = [
  '楼道里堆满了纸箱和旧家具，影响消防通道',
  '小区门口有人在电动车飞线充电，很危险',
  '路灯坏了好几天，晚上很黑',
  '垃圾桶满了没人清运，气味很大',
  '楼上漏水渗到我家天花板',
  '人行道上机动车乱停放，行人只能走机动车道',
  '店家把摊子摆到店外占道经营',
  '井盖松动，车开过去哐哐响',
  '半夜装修噪音扰民',
  '绿化带里有人种菜',
  '电梯经常故障，老人上下楼困难',
  '有人高空抛物，差点砸到人',
  '小区里有群租房，人员进出复杂',
  '道路有坑洼积水，骑车容易摔倒',
  '共享单车堆在地铁口挡住出入',
] as const;

/** Rows [from, to) of the fixture, numbered from 0; `span` is the whole load they belong to, spread over the past year. */
export async function insertCaseChunk(db: Database, from: number, to: number, span: { from: number; to: number }): Promise<void> {
  const descriptions = `array[${DESCRIPTIONS.map((d) => `'${d}'`).join(',')}]`;
  await sql
    .raw(
      `
with committees as (
  select code, path, subpath(path, 0, 2) as street, row_number() over (order by code) - 1 as k
  from regions where level = 'committee'
), categories as (
  select code, current_version as version, row_number() over (order by code) - 1 as k
  from categories where level = 'leaf' and active
), units as (
  select distinct on (region_path) region_path, id from departments where nlevel(region_path) = 2 order by region_path, code
), g as (
  select i, ${draw(1)} as r_status, ${draw(2)} as r_region, ${draw(3)} as r_category, ${draw(4)} as r_age,
    ${draw(5)} as r_limit, ${draw(6)} as r_channel, ${draw(7)} as r_text, ${draw(8)} as r_lat, ${draw(9)} as r_lng, ${draw(10)} as r_urgency
  from generate_series(${from}::int8, ${to - 1}::int8) as i
), t as (
  -- rows are written oldest first (as an installation writes them), spread over the past year;
  -- a case lives 0.2–1.4 times its handling limit, so the open ones are the recent ones
  select g.*,
    now() - (1 - (i - ${span.from} + r_age) / ${span.to - span.from}) * interval '365 days' as created_at,
    (2 + floor(r_limit * 19)) * interval '1 day' as handling_limit,
    (2 + floor(r_limit * 19)) * interval '1 day' * (0.2 + 1.2 * r_status) as lifetime
  from g
), s as (
  select t.*, extract(epoch from now() - created_at) / extract(epoch from lifetime) as f, ${draw(11)} as r_reject
  from t
), t2 as (
  select s.*,
    case when f >= 1 then (case when r_reject < 0.03 then 'rejected' else 'closed' end)
         when f < 0.02 then 'reported' when f < 0.04 then 'registered' when f < 0.08 then 'dispatched'
         when f < 0.85 then 'in_progress' when f < 0.97 then 'handled' else 'suspended' end as status
  from s
), rows as (
  select t.*, c.code as region_code, c.path as region_path, c.street, cat.code as category_code, cat.version as category_version,
    u.id as unit_id,
    case when status in ('reported', 'rejected') then null else created_at + interval '1 hour' end as registered_at
  from t2 as t
  join committees c on c.k = floor(t.r_region * (select count(*) from committees))
  join categories cat on cat.k = floor(t.r_category * (select count(*) from categories))
  left join units u on u.region_path = c.street
), ins as (
  insert into cases (number, status, channel, description, category_code, category_version, urgency, region_code, region_path,
    handling_level_path, lat, lng, main_unit_id, verification, registered_at, deadline_at, warn_at, handled_at, suspended_at,
    closed_at, rating, call_type, created_at, updated_at)
  select
    'GZ' || to_char(created_at at time zone 'Asia/Shanghai', 'YYYYMMDD') || '-' || lpad(n::text, greatest(6, length(n::text)), '0'),
    status,
    case when r_channel < 0.4 then 'resident_app' when r_channel < 0.75 then 'hotline' when r_channel < 0.9 then 'patrol' when r_channel < 0.95 then 'open311' else 'staff' end,
    (${descriptions})[1 + floor(r_text * ${DESCRIPTIONS.length})::int],
    category_code, category_version,
    case when r_urgency < 0.9 then 'normal' when r_urgency < 0.98 then 'urgent' else 'critical' end,
    region_code, region_path, street,
    31.0 + r_lat * 0.35, 121.5 + r_lng * 0.45,
    case when status in ('dispatched', 'in_progress', 'handled', 'suspended', 'closed') then unit_id end,
    'reporter',
    registered_at,
    case when registered_at is not null then registered_at + handling_limit end,
    case when registered_at is not null then registered_at + handling_limit * 0.8 end,
    case when status = 'handled' then created_at + (now() - created_at) * 0.95
         when status = 'closed' then created_at + lifetime * 0.95 end,
    case when status = 'suspended' then created_at + (now() - created_at) * 0.97 end,
    case when status in ('closed', 'rejected') then created_at + lifetime end,
    case when status = 'closed' and r_limit < 0.6 then 3 + floor(r_text * 3)::int end,
    case when r_channel >= 0.4 and r_channel < 0.75 then 'complaint' end,
    created_at, created_at
  from (select rows.*, nextval('case_number_seq') as n from rows) numbered
  returning id, status, urgency, created_at, registered_at, deadline_at, warn_at, handled_at, suspended_at
), clocks as (
  select ins.id, 'stage' as kind, st.stage, 'working_hours' as clock, coalesce(ins.handled_at, ins.registered_at, ins.created_at) as started_at,
    coalesce(ins.handled_at, ins.registered_at, ins.created_at) + interval '96 minutes' as warn_at,
    coalesce(ins.handled_at, ins.registered_at, ins.created_at) + interval '2 hours' as due_at,
    coalesce(ins.handled_at, ins.registered_at, ins.created_at) + interval '3 hours' as escalate_at,
    null::timestamptz as paused_at
  from ins join (values ('reported', 'register'), ('registered', 'dispatch'), ('dispatched', 'accept'), ('handled', 'verify')) as st(status, stage) on st.status = ins.status
  union all
  select ins.id, 'handling', 'handle', 'working_days', ins.registered_at, ins.warn_at, ins.deadline_at,
    ins.deadline_at + (ins.deadline_at - ins.registered_at) * 0.5, coalesce(ins.handled_at, ins.suspended_at)
  from ins where ins.status in ('registered', 'dispatched', 'in_progress', 'handled', 'suspended')
)
insert into case_timers (case_id, kind, stage, clock, started_at, warn_at, due_at, escalate_at, warned_at, overdue_at, escalated_at, paused_at)
select id, kind, stage, clock, started_at, warn_at, due_at, escalate_at,
  case when warn_at <= coalesce(paused_at, now()) then warn_at end,
  case when due_at <= coalesce(paused_at, now()) then due_at end,
  case when escalate_at <= coalesce(paused_at, now()) then escalate_at end,
  paused_at
from clocks`,
    )
    .execute(db);
}

/**
 * Grows the fixture from `from` to `to` cases in chunks, then refreshes the planner's statistics
 * and the visibility map (what autovacuum would do on a server). Returns the seconds it took.
 */
export async function loadCases(db: Database, from: number, to: number, chunk = 100_000, progress?: (done: number) => void): Promise<number> {
  const started = performance.now();
  for (let start = from; start < to; start += chunk) {
    const end = Math.min(start + chunk, to);
    await insertCaseChunk(db, start, end, { from, to });
    progress?.(end);
  }
  await sql`vacuum analyze cases`.execute(db);
  await sql`vacuum analyze case_timers`.execute(db);
  return (performance.now() - started) / 1000;
}
