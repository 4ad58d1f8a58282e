import { AppError } from '../../platform/errors.ts';
import { recordChange, type CommandContext } from '../../platform/platform.ts';
import { currentCategory } from '../categories/repository.ts';
import type { ExampleSource } from './model.ts';
import { insertExample } from './repository.ts';

export interface NewExample {
  text: string;
  categoryCode: string;
  source: Exclude<ExampleSource, 'seed'>;
}

/**
 * Stores a report's text with the category a dispatcher confirmed or corrected; the case module
 * calls this on 立案 / re-categorisation. The category must be an active leaf a case can be filed under.
 * Audited (`classifier.example_add`) and evented (`classifier.example_added`) in the same transaction.
 */
export async function addExample(ctx: CommandContext, input: NewExample): Promise<{ id: number }> {
  const text = input.text.trim();
  if (text.length === 0) throw new AppError('VALIDATION_FAILED', [{ in: 'body', path: '/text', rule: 'minLength', message: 'text is blank' }]);
  const category = await currentCategory(ctx.trx, input.categoryCode);
  if (!category || !category.selectable) throw new AppError('CLASSIFIER_CATEGORY_UNKNOWN', { categoryCode: input.categoryCode });
  const id = await insertExample(ctx.trx, { text, categoryCode: category.code, source: input.source, createdBy: ctx.actor.kind === 'user' ? ctx.actor.userId : null });
  await recordChange(ctx, {
    audit: { action: 'classifier.example_add', objectType: 'classifier_example', objectId: String(id), regionPath: null, details: { categoryCode: category.code, source: input.source, length: text.length } },
    event: { type: 'classifier.example_added', aggregateType: 'classifier_example', aggregateId: String(id), regionPath: null, payload: { id, categoryCode: category.code, source: input.source, text } },
  });
  return { id };
}
