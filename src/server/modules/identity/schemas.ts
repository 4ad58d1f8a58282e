import { Type } from 'typebox';
import { ROLES } from '../../../shared/roles.ts';

export const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)), { description: ROLES.join(' | ') });
const RegionCode = Type.String({ pattern: '^[0-9A-Z]{6,24}$' });
const Username = Type.String({ pattern: '^[A-Za-z0-9_.-]{2,40}$', description: '2–40 letters, digits, _ . -' });

export const LoginBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);

export const Assignment = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    role: Type.String(),
    regionCode: Type.String(),
    regionName: Type.String(),
    regionPath: Type.String(),
    departmentId: Type.Union([Type.String(), Type.Null()]),
    departmentName: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);

export const Me = Type.Object(
  {
    user: Type.Object({ id: Type.String({ format: 'uuid' }), username: Type.String(), displayName: Type.String() }),
    assignment: Assignment,
    assignments: Type.Array(Assignment),
    permissions: Type.Array(Type.String(), { description: 'Actions the active role may take' }),
  },
  { additionalProperties: false },
);

export const LoginResponse = Type.Object({
  token: Type.String({ description: 'Bearer token; the same session is also set as an HttpOnly cookie' }),
  expiresInHours: Type.Integer(),
  user: Me,
});

export const SwitchScopeBody = Type.Object({ assignmentId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });

export const ChangePasswordBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 256 }), newPassword: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false },
);

export const AssignmentInput = Type.Object(
  { role: RoleSchema, regionCode: RegionCode, departmentId: Type.Optional(Type.String({ format: 'uuid' })) },
  { additionalProperties: false },
);

export const CreateUserBody = Type.Object(
  {
    username: Username,
    displayName: Type.String({ minLength: 1, maxLength: 50 }),
    phone: Type.Optional(Type.String({ pattern: '^[0-9+\\- ]{5,20}$' })),
    password: Type.String({ minLength: 1, maxLength: 256 }),
    assignment: AssignmentInput,
  },
  { additionalProperties: false },
);

export const UserSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    username: Type.String(),
    displayName: Type.String(),
    phone: Type.Union([Type.String(), Type.Null()], { description: 'Masked (138****1234); full only through /reveal' }),
    status: Type.String({ description: 'active | disabled' }),
    lockedUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    createdAt: Type.String({ format: 'date-time' }),
    assignments: Type.Array(Assignment),
  },
  { additionalProperties: false },
);

export const UserListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    role: Type.Optional(RoleSchema),
    region: Type.Optional(RegionCode),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);

export const UserList = Type.Object({ items: Type.Array(UserSchema), total: Type.Integer() });
export const UserIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const AssignmentParams = Type.Object({ id: Type.String({ format: 'uuid' }), assignmentId: Type.String({ format: 'uuid' }) });

export const RevealBody = Type.Object(
  { field: Type.Literal('phone'), reason: Type.String({ minLength: 1, maxLength: 200, description: 'Why you need the full value (audited)' }) },
  { additionalProperties: false },
);
export const RevealResponse = Type.Object({ field: Type.Literal('phone'), value: Type.Union([Type.String(), Type.Null()]) });

export const StatusBody = Type.Object({ status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]) }, { additionalProperties: false });
export const ResetPasswordBody = Type.Object({ password: Type.String({ minLength: 1, maxLength: 256 }) }, { additionalProperties: false });
