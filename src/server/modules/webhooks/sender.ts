import { createHmac } from 'node:crypto';
import type { Platform } from '../../platform/platform.ts';
import { claimDeliveries, recordDeliveryResult, type ClaimedDelivery } from './repository.ts';

/** Attempts before a delivery is given up (about a day of back-off in all). */
export const MAX_ATTEMPTS = 12;
const LEASE_MS = 60_000;
const TIMEOUT_MS = 10_000;

/** Seconds to wait before attempt n+1: 10 s, 20 s, 40 s … capped at 4 h. */
export function backoffMs(attempts: number): number {
  return Math.min(4 * 3600_000, 10_000 * 2 ** Math.max(0, attempts - 1));
}

/** The body a receiver gets; `id` is the event's id, stable across retries, for idempotency. */
export function webhookBody(d: ClaimedDelivery): string {
  return JSON.stringify({
    id: d.event_id,
    type: d.type,
    occurredAt: d.occurred_at.toISOString(),
    aggregate: { type: d.aggregate_type, id: d.aggregate_id },
    regionPath: d.region_path,
    data: d.payload,
  });
}

/**
 * `X-Gongzhi-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>`,
 * the scheme Stripe and GitHub receivers already know how to check (and reject replays by `t`).
 */
export function signature(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

async function send(d: ClaimedDelivery, now: Date): Promise<{ ok: true; status: number } | { ok: false; status: number | null; error: string }> {
  const body = webhookBody(d);
  try {
    const response = await fetch(d.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Gongzhi-Webhooks/1',
        'x-gongzhi-event': d.type,
        'x-gongzhi-delivery': d.id,
        'x-gongzhi-signature': signature(d.secret, body, now),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.body?.cancel();
    return response.status >= 200 && response.status < 300 ? { ok: true, status: response.status } : { ok: false, status: response.status, error: `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, status: null, error: error instanceof Error ? error.message : String(error) };
  }
}

/** One round of the sender job: claims what is due, posts each, records the outcome. */
export async function sendDueWebhooks(platform: Platform, now: Date = new Date(), batch = 20): Promise<number> {
  const claimed = await claimDeliveries(platform.db, now, LEASE_MS, batch);
  await Promise.all(
    claimed.map(async (d) => {
      const outcome = await send(d, now);
      const at = new Date();
      await recordDeliveryResult(
        platform.db,
        d.id,
        outcome.ok ? outcome : { ...outcome, retryAt: d.attempts >= MAX_ATTEMPTS ? null : new Date(at.getTime() + backoffMs(d.attempts)) },
        at,
      );
      if (!outcome.ok) platform.log.warn({ webhook: d.webhook_id, delivery: d.id, attempts: d.attempts, error: outcome.error }, 'webhook delivery failed');
    }),
  );
  return claimed.length;
}
