import { evaluateRule, factsOfExample, leavesOf, UPTAKE_TRANSITIONS, type EligibilityRule, type RegionLookup, type RuleExample, type UptakeStatus, type VisitOutcome } from '../../../shared/services.ts';
import { AppError } from '../../platform/errors.ts';
import type { Executor } from '../../platform/db/index.ts';
import { recordChange, type CommandContext } from '../../platform/platform.ts';
import {
  activeProxy,
  allServiceIds,
  evaluateService,
  findService,
  insertLink,
  insertProxy,
  insertReceipt,
  insertService,
  insertUptakeEvent,
  insertVersion,
  insertVisit,
  knownTags,
  markEvaluated,
  regionLookup,
  revokeProxy,
  setMatchStatus,
  updateService,
  userByUsername,
  type MatchRow,
  type PersonFilter,
  type Service,
  type ServiceInput,
} from './repository.ts';
import { UNRESTRICTED } from '../../platform/access.ts';

/** Today in Shanghai, YYYY-MM-DD: every rule is judged on the Shanghai calendar day. */
export const shanghaiDay = (now: Date = new Date()): string => new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

const userIdOf = (ctx: CommandContext) => (ctx.actor.kind === 'user' ? ctx.actor.userId : null);

export interface ExampleOutcome {
  name: string;
  on: string;
  expected: boolean;
  actual: boolean;
  passed: boolean;
  reasons: string[];
}

/**
 * Runs a rule's examples with the JavaScript evaluator, as the service would judge them: the
 * rule, inside the service's region, and not already receiving the service itself.
 */
export function runExamples(rule: EligibilityRule, examples: readonly RuleExample[], serviceCode: string, serviceRegionPath: string, regions: RegionLookup): ExampleOutcome[] {
  return examples.map((example) => {
    const facts = factsOfExample(example.person, regions, serviceRegionPath);
    const verdict = evaluateRule(rule, facts, example.on, regions);
    const inRegion = facts.regionPath === serviceRegionPath || facts.regionPath.startsWith(`${serviceRegionPath}.`);
    const actual = verdict.holds && inRegion && !facts.receiving.has(serviceCode);
    return { name: example.name, on: example.on, expected: example.expected, actual, passed: actual === example.expected, reasons: actual ? verdict.reasons : [] };
  });
}

/** A rule may name only tags of the dictionary and existing regions, and must pass its own examples. */
export async function checkRule(db: Executor, input: Pick<ServiceInput, 'rule' | 'examples' | 'code'>, serviceRegionPath: string): Promise<{ regions: RegionLookup; outcomes: ExampleOutcome[] }> {
  const tags = await knownTags(db);
  const exampleRegions = input.examples.flatMap((e) => (e.person.region ? [e.person.region] : []));
  const regions = await regionLookup(db, [input.rule], exampleRegions);
  const problems: string[] = [];
  for (const leaf of leavesOf(input.rule)) {
    if (leaf.kind === 'tag' && !tags.has(leaf.tag)) problems.push(`unknown tag ${leaf.tag}`);
    if (leaf.kind === 'region' && !regions.has(leaf.region)) problems.push(`unknown region ${leaf.region}`);
    if (leaf.kind === 'age' && leaf.min !== undefined && leaf.max !== undefined && leaf.min > leaf.max) problems.push('age: min above max');
    if (leaf.kind === 'household' && leaf.minSize !== undefined && leaf.maxSize !== undefined && leaf.minSize > leaf.maxSize) problems.push('household: minSize above maxSize');
  }
  for (const e of input.examples) for (const t of e.person.tags ?? []) if (!tags.has(t.tag)) problems.push(`example ${e.name}: unknown tag ${t.tag}`);
  if (problems.length) throw new AppError('SERVICE_RULE_INVALID', { problems });
  return { regions, outcomes: runExamples(input.rule, input.examples, input.code, serviceRegionPath, regions) };
}

async function saveChecked(ctx: CommandContext, input: ServiceInput, regionPath: string): Promise<void> {
  const { outcomes } = await checkRule(ctx.trx, input, regionPath);
  const failed = outcomes.filter((o) => !o.passed);
  if (failed.length) throw new AppError('SERVICE_EXAMPLES_FAILED', { failed: failed.map((f) => ({ name: f.name, expected: f.expected, actual: f.actual })) });
}

const changed = (service: { id: string; code: string; regionPath: string }, version: number, action: 'create' | 'update') => ({
  audit: { action: `services.${action}`, objectType: 'service', objectId: service.id, regionPath: service.regionPath, details: { code: service.code, version } },
  event: { type: 'services.service_changed', aggregateType: 'service', aggregateId: service.id, regionPath: service.regionPath, payload: { code: service.code, version } },
});

export async function createService(ctx: CommandContext, input: ServiceInput, regionPath: string): Promise<string> {
  await saveChecked(ctx, input, regionPath);
  const id = await insertService(ctx.trx, input, regionPath);
  await insertVersion(ctx.trx, id, 1, input, userIdOf(ctx));
  await recordChange(ctx, changed({ id, code: input.code, regionPath }, 1, 'create'));
  return id;
}

/** Every change is a new version; matching follows from the `services.service_changed` event. */
export async function changeService(ctx: CommandContext, service: Service, input: ServiceInput, regionPath: string): Promise<number> {
  await saveChecked(ctx, input, regionPath);
  const version = await updateService(ctx.trx, service.id, input, regionPath);
  await insertVersion(ctx.trx, service.id, version, input, userIdOf(ctx));
  await recordChange(ctx, changed({ id: service.id, code: input.code, regionPath }, version, 'update'));
  return version;
}

/** Re-evaluates one service over some persons (all of its region when the filter is `all`) on a day. */
export async function reevaluateService(ctx: CommandContext, serviceId: string, filter: PersonFilter, day: string) {
  const service = await findService(ctx.trx, UNRESTRICTED, serviceId);
  if (!service) return { eligible: 0, added: 0, dropped: 0 };
  const regions = await regionLookup(ctx.trx, [service.rule]);
  const { newlyEligibleResidents, ...counts } = await evaluateService(ctx.trx, service, day, regions, filter);
  if (filter.kind === 'all') await markEvaluated(ctx.trx, service.id, day);
  if (counts.added || counts.dropped || newlyEligibleResidents.length) {
    await recordChange(ctx, {
      audit: { action: 'services.evaluate', objectType: 'service', objectId: service.id, regionPath: service.regionPath, details: { day, scope: filter.kind, ...counts, residentsToTell: newlyEligibleResidents.length } },
      // residentPersonIds: the verified residents to tell (services.tell-residents), not every match
      event: { type: 'services.matches_changed', aggregateType: 'service', aggregateId: service.id, regionPath: service.regionPath, payload: { day, ...counts, residentPersonIds: newlyEligibleResidents } },
    });
  }
  return counts;
}

/** After a ledger change: every service, over only the persons (or the region) that changed. */
export async function reevaluatePersons(ctx: CommandContext, filter: PersonFilter, day: string): Promise<number> {
  let added = 0;
  for (const id of await allServiceIds(ctx.trx)) added += (await reevaluateService(ctx, id, filter, day)).added;
  return added;
}

// ---- 实名核验 ----

export async function linkResident(ctx: CommandContext, link: { userId: string; personId: string; regionPath: string; method: 'self' | 'worker' }): Promise<void> {
  await insertLink(ctx.trx, { userId: link.userId, personId: link.personId, method: link.method, confirmedBy: link.method === 'worker' ? userIdOf(ctx) : null });
  await recordChange(ctx, {
    audit: { action: 'services.resident_link', objectType: 'ledger_person', objectId: link.personId, regionPath: link.regionPath, details: { userId: link.userId, method: link.method } },
    event: { type: 'services.resident_linked', aggregateType: 'ledger_person', aggregateId: link.personId, regionPath: link.regionPath, payload: { userId: link.userId, method: link.method } },
  });
}

// ---- 代办 ----

/** Authorises the account `agentUsername` to act for a person; the agent must exist, not be the granter, and not hold one already. */
export async function grantProxy(ctx: CommandContext, p: { personId: string; regionPath: string; agentUsername: string; relation: string; basis: 'resident' | 'written'; note: string | null }): Promise<string> {
  const grantedBy = userIdOf(ctx);
  if (!grantedBy) throw new AppError('FORBIDDEN');
  const agent = await userByUsername(ctx.trx, p.agentUsername.trim());
  if (!agent || agent.id === grantedBy) throw new AppError('NOT_FOUND');
  if (await activeProxy(ctx.trx, p.personId, agent.id)) throw new AppError('SERVICES_PROXY_EXISTS');
  const id = await insertProxy(ctx.trx, { personId: p.personId, agentUserId: agent.id, relation: p.relation.trim(), basis: p.basis, grantedBy });
  await recordChange(ctx, {
    audit: { action: 'services.proxy_grant', objectType: 'ledger_person', objectId: p.personId, regionPath: p.regionPath, details: { proxyId: id, agentUserId: agent.id, relation: p.relation.trim(), basis: p.basis, note: p.note } },
  });
  return id;
}

export async function withdrawProxy(ctx: CommandContext, p: { id: string; personId: string; regionPath: string }): Promise<void> {
  if (!(await revokeProxy(ctx.trx, p.id, p.personId))) throw new AppError('NOT_FOUND');
  await recordChange(ctx, { audit: { action: 'services.proxy_revoke', objectType: 'ledger_person', objectId: p.personId, regionPath: p.regionPath, details: { proxyId: p.id } } });
}

// ---- uptake ----

/**
 * Moves a match along matched → informed → applied → received, or to declined (with a reason).
 * `onBehalfOf` is the person an agent acted for (代办); it is written with the transition and the audit entry.
 */
export async function moveUptake(ctx: CommandContext, match: MatchRow, to: UptakeStatus, options: { reason?: string | null; onBehalfOf?: string | null; via?: string } = {}): Promise<void> {
  const reason = options.reason?.trim() || null;
  if (to === 'declined' && !reason) throw new AppError('SERVICES_DECLINE_REASON_REQUIRED');
  if (!UPTAKE_TRANSITIONS[match.status].includes(to)) throw new AppError('SERVICES_TRANSITION_INVALID', { from: match.status, to });
  const day = shanghaiDay(ctx.now);
  await setMatchStatus(ctx.trx, match.id, { status: to, declineReason: to === 'declined' ? reason : null, ...(to === 'received' || to === 'declined' ? { followUpOn: null } : {}) });
  await insertUptakeEvent(ctx.trx, { matchId: match.id, from: match.status, to, reason, actorUserId: userIdOf(ctx), onBehalfOf: options.onBehalfOf ?? null });
  if (to === 'received') await insertReceipt(ctx.trx, { personId: match.personId, serviceCode: match.serviceCode, since: day, source: 'uptake' });
  await recordChange(ctx, {
    audit: {
      action: 'services.uptake',
      objectType: 'service_match',
      objectId: match.id,
      regionPath: match.regionPath,
      details: { service: match.serviceCode, personId: match.personId, from: match.status, to, reason, onBehalfOf: options.onBehalfOf ?? null, via: options.via ?? null },
    },
    event: { type: 'services.uptake_changed', aggregateType: 'service_match', aggregateId: match.id, regionPath: match.regionPath, payload: { serviceId: match.serviceId, from: match.status, to } },
  });
}

/** A 走访: logged with its outcome; an outcome that is an uptake state moves the match there; the follow-up date is kept. */
export async function logVisit(ctx: CommandContext, match: MatchRow, v: { visitedOn: string; outcome: VisitOutcome; note: string | null; followUpOn: string | null; declineReason: string | null }): Promise<string> {
  if (ctx.actor.kind !== 'user') throw new AppError('FORBIDDEN');
  if (v.outcome !== 'not_home' && v.outcome !== match.status) await moveUptake(ctx, match, v.outcome, { reason: v.declineReason ?? v.note, via: 'visit' });
  const id = await insertVisit(ctx.trx, { matchId: match.id, personId: match.personId, regionPath: match.regionPath, visitedOn: v.visitedOn, outcome: v.outcome, note: v.note, followUpOn: v.followUpOn, workerUserId: ctx.actor.userId });
  if (v.outcome !== 'received' && v.outcome !== 'declined') await setMatchStatus(ctx.trx, match.id, { followUpOn: v.followUpOn });
  await recordChange(ctx, {
    audit: { action: 'services.visit', objectType: 'service_match', objectId: match.id, regionPath: match.regionPath, details: { visitId: id, outcome: v.outcome, visitedOn: v.visitedOn, followUpOn: v.followUpOn } },
  });
  return id;
}
