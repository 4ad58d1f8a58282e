import { recordChange, type CommandContext } from '../../platform/platform.ts';
import type { UserActor } from '../../platform/actor.ts';
import { insertNotifications, markRead, type NewNotification } from './repository.ts';

/**
 * Puts notifications in their recipients' inboxes. Called by event subscribers inside the
 * delivery's transaction; the source event is already audited, so this records nothing more.
 */
export async function notify(ctx: Pick<CommandContext, 'trx'>, notifications: readonly NewNotification[]): Promise<number> {
  const unique = new Map(notifications.map((n) => [`${n.userId}/${n.eventId}`, n]));
  return insertNotifications(ctx.trx, [...unique.values()]);
}

/** The reader marks their own notifications read (some, or all). */
export async function readNotifications(ctx: CommandContext & { actor: UserActor }, ids: readonly string[] | 'all'): Promise<number> {
  const changed = await markRead(ctx.trx, ctx.actor.userId, ids, new Date());
  if (changed > 0) {
    await recordChange(ctx, { audit: { action: 'notification.read', objectType: 'user', objectId: ctx.actor.userId, regionPath: null, details: { count: changed, all: ids === 'all' } } });
  }
  return changed;
}
