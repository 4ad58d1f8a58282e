import type { Executor } from '../../platform/db/index.ts';

/**
 * Rows of other modules that point at a ledger person (a resident's account link, a service's
 * matches and visits). Record linkage removes the persons it absorbs, so before it does, each mover
 * re-points its rows to the survivor in the merge's transaction. Undoing a merge leaves them with
 * the survivor: the work done for that human stays where the human is.
 */
export interface PersonReferenceMover {
  name: string;
  move(db: Executor, pairs: ReadonlyArray<{ survivor: string; absorbed: string }>): Promise<void>;
}

const movers = new Map<string, PersonReferenceMover>();

/** Called by a module's manifest when it is loaded; registering the same name again replaces it. */
export function registerPersonReferenceMover(mover: PersonReferenceMover): void {
  movers.set(mover.name, mover);
}

export function personReferenceMovers(): readonly PersonReferenceMover[] {
  return [...movers.values()];
}
