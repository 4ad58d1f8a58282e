import { Type } from 'typebox';

const Text = Type.String({ minLength: 1, maxLength: 2000, pattern: '\\S', description: 'The report as the resident or operator wrote it (Chinese)' });
const Code = Type.String({ pattern: '^[BEC][0-9]{4}$', description: 'Leaf category code, e.g. C0101' });

export const ClassifyBody = Type.Object({ text: Text }, { additionalProperties: false });

export const Suggestion = Type.Object(
  {
    categoryCode: Code,
    name: Type.String({ description: "The catalogue's Chinese name" }),
    score: Type.Number({ minimum: 0, maximum: 1, description: 'Normalised posterior over the categories offered' }),
  },
  { additionalProperties: false },
);

export const ClassifyResponse = Type.Object(
  { suggestions: Type.Array(Suggestion, { description: 'Best first; at least 3 (5 when there are that many categories)' }) },
  { additionalProperties: false },
);

export const ExampleBody = Type.Object(
  {
    text: Text,
    categoryCode: Code,
    source: Type.Union([Type.Literal('confirmed'), Type.Literal('corrected')], { description: 'confirmed: the suggestion was right; corrected: a person chose another category' }),
  },
  { additionalProperties: false },
);

export const ExampleCreated = Type.Object(
  { id: Type.Integer(), categoryCode: Code, source: Type.String() },
  { additionalProperties: false },
);

export const ClassifierStats = Type.Object(
  {
    seedCorpus: Type.Object({ sentences: Type.Integer(), categories: Type.Integer() }, { additionalProperties: false }),
    examples: Type.Object(
      { seed: Type.Integer(), confirmed: Type.Integer(), corrected: Type.Integer() },
      { additionalProperties: false, description: 'Stored examples per source' },
    ),
    categoriesCovered: Type.Integer({ description: 'Leaf categories with at least one seed sentence or stored example' }),
    heldOut: Type.Object(
      {
        reports: Type.Integer({ description: 'Held-out seed sentences (every 5th per category)' }),
        top1: Type.Number({ minimum: 0, maximum: 1 }),
        top3: Type.Number({ minimum: 0, maximum: 1 }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
