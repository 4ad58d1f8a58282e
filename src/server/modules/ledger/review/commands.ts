import { LEDGER_FIELDS, type LedgerField } from '../../../../shared/ledger.ts';
import type { Scope } from '../../../platform/access.ts';
import { AppError } from '../../../platform/errors.ts';
import { recordChange, type CommandContext } from '../../../platform/platform.ts';
import { parseAddress } from '../address.ts';
import { nameInitials } from '../commands.ts';
import { upsertCurrentFields, upsertDwellings, upsertHouseholds } from '../repository.ts';
import { cleanCell, parseDate, parseIdNumber, parsePhone, parseSex, type Checked } from '../validation.ts';
import { VERIFIED_SOURCE, type ConflictAction } from './policy.ts';
import {
  findCommitteeRegion,
  idNumberHolder,
  insertAuthorityChange,
  insertReviewHistory,
  markConflictResolved,
  setAuthority,
  settleSiblingConflicts,
  updatePersonColumns,
  type ConflictRow,
  type PersonColumns,
} from './repository.ts';

const PERSON_NAME = /^[\p{Script=Han}A-Za-z][\p{Script=Han}A-Za-z·•.\s]*$/u;
const PHONE_FIELDS: ReadonlySet<string> = new Set(['phone', 'emergency_contact_phone', 'guardian_phone']);
const MAX_VALUE_LENGTH = 200;

/**
 * A value a social worker verified and typed in, normalised the way an import normalises a cell
 * (so the ledger never holds two spellings of one number); the reason when it is not a value.
 */
export function normalizeVerifiedValue(field: string, input: string): Checked<string> {
  const text = cleanCell(input);
  if (text === '') return { ok: false, reason: 'empty' };
  if (field.startsWith('tag.')) {
    if (['是', 'yes', 'y', '有'].includes(text.toLowerCase())) return { ok: true, value: 'yes' };
    if (['否', 'no', 'n', '无'].includes(text.toLowerCase())) return { ok: true, value: 'no' };
    return { ok: false, reason: 'expected 是 or 否' };
  }
  if (field === 'name') return text.length <= 50 && PERSON_NAME.test(text) ? { ok: true, value: text } : { ok: false, reason: 'not a name' };
  if (field === 'id_number') {
    const id = parseIdNumber(text);
    return id.ok ? { ok: true, value: id.value.number } : id;
  }
  if (field === 'sex') return parseSex(text);
  if (field === 'birth_date') return parseDate(text);
  if (PHONE_FIELDS.has(field)) {
    const phone = parsePhone(text);
    return phone.ok ? { ok: true, value: phone.value.number } : phone;
  }
  return text.length <= MAX_VALUE_LENGTH ? { ok: true, value: text } : { ok: false, reason: `at most ${MAX_VALUE_LENGTH} characters` };
}

/** The fields one may configure an authority for: the ledger's own, and the tags that come from sources. */
export function configurableField(field: string, sourcedTags: readonly string[]): boolean {
  if (field.startsWith('tag.')) return sourcedTags.includes(field.slice(4));
  return (LEDGER_FIELDS as readonly string[]).includes(field);
}

/**
 * The person's denormalised columns after a field took a new value by review (the columns search,
 * scope, households and dwellings read): name and initials, ID number, sex, birth date, phone, the
 * committee (moving the person within the reviewer's scope), the household and the dwelling.
 */
async function denormalise(ctx: CommandContext, scope: Scope, conflict: ConflictRow, value: string | null): Promise<PersonColumns> {
  const field = conflict.field as LedgerField;
  switch (field) {
    case 'name':
      return { name: value ?? '', name_initials: nameInitials(value ?? '') };
    case 'id_number':
      if (value !== null && (await idNumberHolder(ctx.trx, value, conflict.personId))) throw new AppError('LEDGER_ID_NUMBER_TAKEN');
      return { id_number: value };
    case 'sex':
      return { sex: value === 'male' || value === 'female' ? value : null };
    case 'birth_date':
      return { birth_date: value };
    case 'phone':
      return { phone: value };
    case 'committee': {
      const region = value === null ? undefined : await findCommitteeRegion(ctx.trx, scope, value);
      // moving a person out of the reviewer's reach is not theirs to decide
      if (!region) throw new AppError('LEDGER_VALUE_INVALID', { field, reason: 'not a committee in your scope' });
      return { region_code: region.code, region_path: region.path };
    }
    case 'household_number': {
      if (value === null) return { household_id: null };
      const ids = await upsertHouseholds(ctx.trx, [{ regionCode: conflict.regionCode, regionPath: conflict.regionPath, householdNumber: value }]);
      return { household_id: ids.get(`${conflict.regionCode} ${value}`) ?? null };
    }
    case 'residence_address': {
      const parsed = value === null ? null : parseAddress(value);
      if (!parsed?.dwellingKey) return { dwelling_id: null };
      const key = parsed.dwellingKey;
      const ids = await upsertDwellings(ctx.trx, [
        { regionCode: conflict.regionCode, regionPath: conflict.regionPath, key, place: key.split('|')[0]!, building: parsed.building, unit: parsed.unit, room: parsed.room, address: parsed.normalized },
      ]);
      return { dwelling_id: ids.get(`${conflict.regionCode} ${key}`) ?? null };
    }
    default:
      return {};
  }
}

export interface Decision {
  action: ConflictAction;
  /** For `verified`: the value as checked, already normalised. */
  value?: string;
  note: string | null;
}

/**
 * Resolves one open conflict:
 * - keep: the current value stays; the proposed one goes into the history as `rejected`;
 * - accept: the proposed value becomes the field's value, with its source and date (`accepted`);
 * - verified: a value checked on a visit becomes the value, source 社工走访 (`verified`).
 * A new value updates the person's denormalised columns, and settles the person's other open
 * conflicts on the field that proposed the same value. Audited, with an event.
 */
export async function resolveConflict(ctx: CommandContext, scope: Scope, conflict: ConflictRow, decision: Decision): Promise<{ settled: string[] }> {
  if (conflict.status !== 'open') throw new AppError('LEDGER_CONFLICT_RESOLVED');
  const by = ctx.actor.kind === 'user' ? ctx.actor.userId : null;
  const now = ctx.now ?? new Date();
  if (conflict.field === 'committee' && decision.action === 'verified' && decision.value !== undefined) {
    // people type the committee's name; the ledger keeps its region code
    const region = await findCommitteeRegion(ctx.trx, scope, decision.value);
    if (!region) throw new AppError('LEDGER_VALUE_INVALID', { field: conflict.field, reason: 'not a committee in your scope' });
    decision = { ...decision, value: region.code };
  }
  const entry =
    decision.action === 'keep'
      ? { value: conflict.proposedValue, source: conflict.proposedSource, observedAt: conflict.proposedObservedAt, outcome: 'rejected' as const }
      : decision.action === 'accept'
        ? { value: conflict.proposedValue, source: conflict.proposedSource, observedAt: conflict.proposedObservedAt, outcome: 'accepted' as const }
        : { value: decision.value ?? null, source: VERIFIED_SOURCE, observedAt: now, outcome: 'verified' as const };
  const historyId = await insertReviewHistory(ctx.trx, { personId: conflict.personId, field: conflict.field, ...entry, note: decision.note, decidedBy: by });

  let settled: string[] = [];
  const newValue = decision.action === 'keep' ? conflict.currentValue : entry.value;
  if (decision.action !== 'keep') {
    const columns = await denormalise(ctx, scope, conflict, entry.value);
    await upsertCurrentFields(ctx.trx, [{ personId: conflict.personId, field: conflict.field, value: entry.value, source: entry.source, observedAt: entry.observedAt, historyId }]);
    if (Object.keys(columns).length > 0) await updatePersonColumns(ctx.trx, conflict.personId, columns);
    settled = await settleSiblingConflicts(ctx.trx, { personId: conflict.personId, field: conflict.field, exceptId: conflict.id, value: entry.value, source: entry.source, by });
  }
  await markConflictResolved(ctx.trx, conflict.id, { resolution: decision.action, value: newValue, note: decision.note, by });

  // the values themselves stay out of the audit log (personal data); the history holds them
  await recordChange(ctx, {
    audit: {
      action: 'ledger.conflict.resolve',
      objectType: 'ledger_person',
      objectId: conflict.personId,
      regionPath: conflict.regionPath,
      ...(decision.note ? { reason: decision.note } : {}),
      details: { conflictId: conflict.id, field: conflict.field, action: decision.action, currentSource: conflict.currentSource, proposedSource: conflict.proposedSource, settled },
    },
    event: {
      type: 'ledger.conflict_resolved',
      aggregateType: 'ledger_person',
      aggregateId: conflict.personId,
      regionPath: conflict.regionPath,
      payload: { conflictId: conflict.id, field: conflict.field, action: decision.action, source: entry.source, personIds: [conflict.personId] },
    },
  });
  return { settled };
}

/** One audit entry for a bulk resolve as a whole (each conflict has its own too): what the reviewer confirmed. */
export async function recordBulkResolve(ctx: CommandContext, input: { regionPath: string; field: string; source: string; action: 'keep' | 'accept'; ids: readonly string[]; note: string | null }): Promise<void> {
  await recordChange(ctx, {
    audit: {
      action: 'ledger.conflict.bulk_resolve',
      objectType: 'ledger_conflict',
      objectId: null,
      regionPath: input.regionPath,
      ...(input.note ? { reason: input.note } : {}),
      details: { field: input.field, source: input.source, action: input.action, count: input.ids.length, conflictIds: input.ids },
    },
  });
}

/** 一数一源: makes `source` the authoritative source of `field`; the change is kept with who, when and why. */
export async function changeAuthority(ctx: CommandContext, input: { field: string; source: string; reason: string; regionPath: string }): Promise<{ previous: string | null; changed: boolean }> {
  const previous = (await setAuthority(ctx.trx, input.field, input.source)) ?? null;
  if (previous === input.source) return { previous, changed: false };
  const id = await insertAuthorityChange(ctx.trx, { field: input.field, oldSource: previous, newSource: input.source, reason: input.reason, changedBy: ctx.actor.kind === 'user' ? ctx.actor.userId : null });
  await recordChange(ctx, {
    audit: { action: 'ledger.authority.change', objectType: 'ledger_field_authority', objectId: input.field, regionPath: input.regionPath, reason: input.reason, details: { changeId: id, from: previous, to: input.source } },
    event: { type: 'ledger.authority_changed', aggregateType: 'ledger_field_authority', aggregateId: input.field, regionPath: input.regionPath, payload: { field: input.field, from: previous, to: input.source } },
  });
  return { previous, changed: true };
}
