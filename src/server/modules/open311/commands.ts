import { randomBytes } from 'node:crypto';
import type { UserActor } from '../../platform/actor.ts';
import { systemActor } from '../../platform/actor.ts';
import { UNRESTRICTED } from '../../platform/access.ts';
import { hashToken } from '../../platform/auth/password.ts';
import { AppError } from '../../platform/errors.ts';
import { recordChange, type CommandContext, type Platform } from '../../platform/platform.ts';
import { reportCase } from '../cases/commands.ts';
import { createUser } from '../identity/commands.ts';
import { findRegion } from '../regions/repository.ts';
import { INTEGRATION_ROLE } from './policy.ts';
import {
  caseNumber,
  insertKey,
  insertSubmission,
  isIntegrationAccount,
  keyHashExists,
  revokeKey,
  touchKey,
  userIdOf,
  usernameOf,
  type ApiKeyRow,
  type NewSubmission,
  type Place,
} from './repository.ts';

/** The demo key; it exists only in demo mode (seeded by the module's demoSeed). */
export const DEMO_API_KEY = 'gongzhi-demo-open311';
const DEMO_ACCOUNT = 'open311-demo';

/** Keys are 32 random bytes, base64url, with a recognisable prefix; only their SHA-256 is stored. */
export function newApiKey(): { key: string; keyHash: string; keyPrefix: string } {
  const key = `gz311_${randomBytes(32).toString('base64url')}`;
  return { key, keyHash: hashToken(key), keyPrefix: key.slice(0, 10) };
}

export const hashApiKey = (key: string): string => hashToken(key);

export interface CreateKeyInput {
  name: string;
  /** Another key for an existing integration account. */
  userId?: string;
  /** Username of the new integration account. */
  username?: string;
}

/**
 * Issues a key. Without `userId` it first creates the integration account the key acts as: a
 * resident of the whole district (so that it may report anywhere in it and sees only its own
 * reports), with a random password nobody is told, so it cannot sign in to the console.
 */
export async function createApiKey(
  ctx: CommandContext,
  platform: Platform,
  input: CreateKeyInput,
  fixedKey?: string,
): Promise<{ id: string; key: string; keyPrefix: string; userId: string; username: string }> {
  let userId: string;
  let username: string;
  if (input.userId) {
    if (!(await isIntegrationAccount(ctx.trx, input.userId))) throw new AppError('NOT_INTEGRATION_ACCOUNT');
    userId = input.userId;
    username = (await usernameOf(ctx.trx, userId)) ?? userId;
  } else {
    username = input.username ?? `open311-${randomBytes(4).toString('hex')}`;
    const district = await findRegion(ctx.trx, UNRESTRICTED, platform.config.rootRegionCode);
    if (!district) throw new Error(`root region ${platform.config.rootRegionCode} missing`);
    userId = await createUser(
      ctx,
      {
        username,
        displayName: `Open311·${input.name}`.slice(0, 50),
        phone: null,
        password: randomBytes(24).toString('base64url'),
        assignment: { role: INTEGRATION_ROLE, region: district, department: null },
      },
      platform.config.passwordHashCost,
    );
  }
  const { key, keyHash, keyPrefix } = fixedKey ? { key: fixedKey, keyHash: hashApiKey(fixedKey), keyPrefix: fixedKey.slice(0, 10) } : newApiKey();
  const id = await insertKey(ctx.trx, { name: input.name, keyHash, keyPrefix, userId, createdBy: ctx.actor.kind === 'user' ? ctx.actor.userId : null });
  await recordChange(ctx, {
    audit: { action: 'open311.key_create', objectType: 'open311_api_key', objectId: id, details: { name: input.name, keyPrefix, userId, username } },
    event: { type: 'open311.key_created', aggregateType: 'open311_api_key', aggregateId: id, payload: { name: input.name, userId } },
  });
  return { id, key, keyPrefix, userId, username };
}

/** Revoking is final; revoking a revoked key changes nothing. */
export async function revokeApiKey(ctx: CommandContext, key: ApiKeyRow): Promise<void> {
  if (key.revokedAt) return;
  await revokeKey(ctx.trx, key.id, ctx.actor.kind === 'user' ? ctx.actor.userId : null);
  await recordChange(ctx, {
    audit: { action: 'open311.key_revoke', objectType: 'open311_api_key', objectId: key.id, details: { name: key.name, keyPrefix: key.keyPrefix, userId: key.userId } },
    event: { type: 'open311.key_revoked', aggregateType: 'open311_api_key', aggregateId: key.id, payload: { name: key.name, userId: key.userId } },
  });
}

export interface SubmitInput {
  apiKeyId: string;
  serviceCode: string;
  description: string;
  place: Place;
  lat: number | null;
  lng: number | null;
  addressString: string | null;
  addressId: string | null;
  mediaUrl: string | null;
  contact: NewSubmission['contact'];
}

/**
 * An Open311 POST: the case is reported through the same command as every channel (channel
 * `open311`, the key's integration account as reporter); what Open311 adds is stored beside it.
 * The audit entry names the key, never the contact data.
 */
export async function submitServiceRequest(ctx: CommandContext & { actor: UserActor }, platform: Platform, input: SubmitInput): Promise<{ caseId: string; number: string; token: string }> {
  const caseId = await reportCase(ctx, platform, {
    description: input.description,
    categoryCode: input.serviceCode,
    urgency: 'normal',
    region: { code: input.place.code, regionPath: input.place.regionPath },
    lat: input.lat,
    lng: input.lng,
    address: input.addressString,
    channel: 'open311',
    hotline: null,
  });
  const token = await insertSubmission(ctx.trx, { caseId, apiKeyId: input.apiKeyId, addressId: input.addressId, mediaUrl: input.mediaUrl, contact: input.contact });
  await touchKey(ctx.trx, input.apiKeyId);
  const number = await caseNumber(ctx.trx, caseId);
  const c = input.contact;
  await recordChange(ctx, {
    audit: {
      action: 'open311.submit',
      objectType: 'case',
      objectId: caseId,
      regionPath: input.place.regionPath,
      details: { number, apiKeyId: input.apiKeyId, serviceCode: input.serviceCode, contactFields: Object.entries(c).filter(([, v]) => v !== null).map(([k]) => k) },
    },
  });
  return { caseId, number, token };
}

/** Demo mode: the key `gongzhi-demo-open311` for the account `open311-demo`. Idempotent. */
export async function seedDemoKey(platform: Platform): Promise<void> {
  if (await keyHashExists(platform.db, hashApiKey(DEMO_API_KEY))) return;
  await platform.transaction(systemActor('demo'), async (ctx) => {
    const accountId = await userIdOf(ctx.trx, DEMO_ACCOUNT);
    await createApiKey(ctx, platform, { name: '演示·Open311 对接', ...(accountId ? { userId: accountId } : { username: DEMO_ACCOUNT }) }, DEMO_API_KEY);
  });
}
