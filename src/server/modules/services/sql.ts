import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { DERIVED_TAG_CODES, ELDERLY_AGE, type RegionLookup, type RuleNode } from '../../../shared/services.ts';

/**
 * Compiles an eligibility rule to one SQL condition over `ledger_persons p` on a day, so that a
 * whole committee — or the district — is matched in one set-based statement. It must agree with
 * the JavaScript evaluator (shared/services.ts) on every person: same date arithmetic (PostgreSQL's
 * `date - interval` clamps 29 February, and so does `minusYears`), same derived tags, same
 * household rule.
 */

const years = (day: RawBuilder<unknown>, n: number) => sql`(${day} - make_interval(years => ${n}))::date`;

function derivedTag(code: string, day: RawBuilder<unknown>): RawBuilder<SqlBool> {
  switch (code) {
    case 'elderly':
      return sql<SqlBool>`(p.birth_date is not null and p.birth_date <= ${years(day, ELDERLY_AGE)})`;
    case 'newborn':
      return sql<SqlBool>`(p.birth_date is not null and p.birth_date > ${years(day, 1)})`;
    case 'childbearing_age':
      return sql<SqlBool>`(p.sex = 'female' and p.birth_date <= ${years(day, 15)} and p.birth_date > ${years(day, 50)})`;
    case 'living_alone':
      return sql<SqlBool>`(p.dwelling_id is not null and not exists (select 1 from ledger_persons o where o.dwelling_id = p.dwelling_id and o.id <> p.id))`;
    default:
      return sql<SqlBool>`false`;
  }
}

export function compileRule(rule: RuleNode, dayText: string, regions: RegionLookup): RawBuilder<SqlBool> {
  const day = sql`${dayText}::date`;
  const walk = (node: RuleNode): RawBuilder<SqlBool> => {
    switch (node.kind) {
      case 'all':
        return sql<SqlBool>`(${sql.join(node.conditions.map(walk), sql` and `)})`;
      case 'any':
        return sql<SqlBool>`(${sql.join(node.conditions.map(walk), sql` or `)})`;
      case 'not':
        // a condition on a missing value is false, so its negation must be true: coalesce, never NULL
        return sql<SqlBool>`(not coalesce(${walk(node.condition)}, false))`;
      case 'age': {
        const parts: RawBuilder<SqlBool>[] = [sql<SqlBool>`p.birth_date is not null`];
        if (node.min !== undefined) parts.push(sql<SqlBool>`p.birth_date <= ${years(day, node.min)}`);
        if (node.max !== undefined) parts.push(sql<SqlBool>`p.birth_date > ${years(day, node.max + 1)}`);
        return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
      }
      case 'tag':
        if (DERIVED_TAG_CODES.has(node.tag)) return derivedTag(node.tag, day);
        return sql<SqlBool>`exists (select 1 from ledger_person_fields f where f.person_id = p.id and f.field = ${`tag.${node.tag}`} and f.value = 'yes'${
          node.maxAgeDays !== undefined ? sql` and (f.observed_at at time zone 'Asia/Shanghai')::date >= ${day} - ${node.maxAgeDays}::int` : sql``
        })`;
      case 'sex':
        return sql<SqlBool>`(p.sex is not null and p.sex = ${node.sex})`;
      case 'household': {
        const size = sql`(case when p.household_id is null then 1 else (select count(*) from ledger_persons h where h.household_id = p.household_id) end)`;
        const parts: RawBuilder<SqlBool>[] = [sql<SqlBool>`true`];
        if (node.minSize !== undefined) parts.push(sql<SqlBool>`${size} >= ${node.minSize}`);
        if (node.maxSize !== undefined) parts.push(sql<SqlBool>`${size} <= ${node.maxSize}`);
        return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
      }
      case 'region': {
        const region = regions.get(node.region);
        return region ? sql<SqlBool>`(p.region_path <@ ${region.path}::ltree)` : sql<SqlBool>`false`;
      }
      case 'receiving':
        return receivingCondition(node.service, day);
    }
  };
  return walk(rule);
}

/** A receipt of the service active on the day: the exclusion "already receives it". */
export function receivingCondition(serviceCode: string, day: RawBuilder<unknown>): RawBuilder<SqlBool> {
  return sql<SqlBool>`exists (select 1 from service_receipts r where r.person_id = p.id and r.service_code = ${serviceCode} and r.since <= ${day} and (r.until is null or r.until >= ${day}))`;
}
