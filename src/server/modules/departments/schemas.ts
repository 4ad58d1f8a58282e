import { Type } from 'typebox';
import { DEPARTMENT_KINDS } from '../../../shared/departments.ts';

export const DepartmentKind = Type.Union(DEPARTMENT_KINDS.map((k) => Type.Literal(k)));

export const DepartmentSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    code: Type.String(),
    name: Type.String(),
    kind: Type.String(),
    regionCode: Type.String(),
    regionName: Type.String(),
  },
  { additionalProperties: false },
);

export const DepartmentListQuery = Type.Object(
  {
    region: Type.Optional(Type.String({ pattern: '^[0-9A-Z]{6,24}$' })),
    kind: Type.Optional(DepartmentKind),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);

export const DepartmentList = Type.Object({ items: Type.Array(DepartmentSchema), total: Type.Integer() });

export const CreateDepartmentBody = Type.Object(
  {
    code: Type.String({ pattern: '^[0-9A-Za-z_-]{2,40}$' }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    kind: DepartmentKind,
    regionCode: Type.String({ pattern: '^[0-9A-Z]{6,24}$' }),
  },
  { additionalProperties: false },
);

export const UpdateDepartmentBody = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), kind: Type.Optional(DepartmentKind) },
  { additionalProperties: false, minProperties: 1 },
);

export const DepartmentIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
