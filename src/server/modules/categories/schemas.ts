import { Type, type TSchema } from 'typebox';
import {
  CATEGORY_CODE_PATTERN,
  CATEGORY_CLASS_CODE_PATTERN,
  CATEGORY_LEAF_CODE_PATTERN,
  CATEGORY_LEVELS,
  CATEGORY_TYPES,
  DUPLICATE_RADIUS_MAX_M,
  RESPONSIBILITY_RULES,
  TIME_LIMIT_MAX_AMOUNT,
  VERIFICATION_RULES,
} from '../../../shared/categories.ts';
import { DEPARTMENT_KINDS } from '../../../shared/departments.ts';
import { CLOCK_TYPES } from '../../../shared/time-limits.ts';

export const CategoryTypeSchema = Type.Enum(CATEGORY_TYPES, { description: 'component (部件) | event (事件) | community (社区事项)' });
export const CategoryLevelSchema = Type.Enum(CATEGORY_LEVELS, { description: 'class (大类, not selectable) | leaf (小类)' });
export const DepartmentKindSchema = Type.Enum(DEPARTMENT_KINDS, { description: DEPARTMENT_KINDS.join(' | ') });
export const ResponsibilitySchema = Type.Enum(RESPONSIBILITY_RULES, { description: 'owner_first (先属主后属地, 部件) | locality_first (先属地后属主, 事件)' });
export const VerificationSchema = Type.Enum(VERIFICATION_RULES, { description: 'who verifies (核查) the fix: reporter | patrol | committee | none' });

export const TimeLimitSchema = Type.Object(
  {
    amount: Type.Integer({ minimum: 1, maximum: TIME_LIMIT_MAX_AMOUNT, description: 'Hours for the hour clocks, days for the day clocks' }),
    clock: Type.Enum(CLOCK_TYPES, { description: 'emergency_working_hours (紧急工作时) | working_hours (工作时) | working_days (工作日) | calendar_days (自然日)' }),
  },
  { additionalProperties: false },
);

export const TimeLimitsSchema = Type.Object(
  { normal: TimeLimitSchema, urgent: TimeLimitSchema, critical: TimeLimitSchema },
  { additionalProperties: false, description: 'Per urgency (一般 / 紧急 / 特急); critical must not be longer than urgent, nor urgent than normal' },
);

const Name = Type.String({ minLength: 1, maxLength: 50, pattern: '\\S' });
const NameEn = Type.String({ minLength: 1, maxLength: 120, pattern: '\\S' });
const Keywords = Type.Array(Type.String({ minLength: 1, maxLength: 20, pattern: '^\\S+$' }), { maxItems: 30, uniqueItems: true, description: 'Words that point to the category (for search and the classifier)' });
const Radius = Type.Integer({ minimum: 0, maximum: DUPLICATE_RADIUS_MAX_M, description: 'Duplicate-search radius in metres; 0 = no duplicate search' });
const Note = Type.String({ minLength: 1, maxLength: 500, description: 'Why: kept with the version' });

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** The attributes a version carries (null on classes), shared by the current view and the version history. */
const ruleFields = {
  departmentKind: nullable(DepartmentKindSchema),
  responsibility: nullable(ResponsibilitySchema),
  timeLimits: nullable(TimeLimitsSchema),
  verification: nullable(VerificationSchema),
  residentSelectable: nullable(Type.Boolean()),
  keywords: Type.Array(Type.String()),
  duplicateRadiusM: nullable(Type.Integer()),
};

/** A category as it is now (its current version). The rules are null for classes. */
export const CategorySchema = Type.Object(
  {
    code: Type.String({ description: 'B0101, E0102, C0101; classes B01, E01, C01' }),
    parentCode: nullable(Type.String()),
    parentName: nullable(Type.String()),
    parentNameEn: nullable(Type.String()),
    type: CategoryTypeSchema,
    level: CategoryLevelSchema,
    version: Type.Integer({ description: 'Current version' }),
    name: Type.String({ description: 'Chinese name' }),
    nameEn: Type.String(),
    active: Type.Boolean({ description: 'The category’s own switch' }),
    selectable: Type.Boolean({ description: 'A leaf that is active in an active class: new cases can be filed under it' }),
    ...ruleFields,
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);

export const CategoryList = Type.Object({ items: Type.Array(CategorySchema), total: Type.Integer() }, { additionalProperties: false });

export const VersionSummary = Type.Object(
  {
    version: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
    createdBy: Type.String({ description: 'Username, or system:seed for the default catalogue' }),
    note: nullable(Type.String()),
  },
  { additionalProperties: false },
);

export const CategoryDetail = Type.Object(
  { ...CategorySchema.properties, versions: Type.Array(VersionSummary, { description: 'Newest first' }) },
  { additionalProperties: false },
);

/** One version as it was written; cases filed under it keep these rules. */
export const CategoryVersionSchema = Type.Object(
  {
    code: Type.String(),
    version: Type.Integer(),
    current: Type.Boolean({ description: 'Whether this is the version new cases get' }),
    type: CategoryTypeSchema,
    level: CategoryLevelSchema,
    parentCode: nullable(Type.String()),
    name: Type.String(),
    nameEn: Type.String(),
    ...ruleFields,
    note: nullable(Type.String()),
    createdAt: Type.String({ format: 'date-time' }),
    createdBy: Type.String(),
  },
  { additionalProperties: false },
);

export const CategoryListQuery = Type.Object(
  {
    type: Type.Optional(CategoryTypeSchema),
    level: Type.Optional(CategoryLevelSchema),
    selectable: Type.Optional(Type.Boolean({ description: 'true: only leaves a new case can be filed under' })),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'Code prefix, name or keyword' })),
    includeInactive: Type.Optional(Type.Boolean({ default: false, description: 'Also switched-off categories (not for residents)' })),
  },
  { additionalProperties: false },
);

export const CategoryCodeParams = Type.Object({ code: Type.String({ pattern: CATEGORY_CODE_PATTERN, description: 'e.g. C0101' }) });

export const CategoryVersionParams = Type.Object({
  code: Type.String({ pattern: CATEGORY_CODE_PATTERN }),
  version: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
});

export const CreateCategoryBody = Type.Object(
  {
    code: Type.String({ pattern: CATEGORY_LEAF_CODE_PATTERN, description: 'The class code plus two digits, e.g. C0106 under C01' }),
    parentCode: Type.String({ pattern: CATEGORY_CLASS_CODE_PATTERN, description: 'The class (大类), e.g. C01' }),
    name: Name,
    nameEn: NameEn,
    keywords: Type.Optional(Keywords),
    departmentKind: DepartmentKindSchema,
    responsibility: Type.Optional(ResponsibilitySchema),
    timeLimits: TimeLimitsSchema,
    verification: VerificationSchema,
    residentSelectable: Type.Boolean(),
    duplicateRadiusM: Radius,
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
);

export const UpdateCategoryBody = Type.Object(
  {
    name: Type.Optional(Name),
    nameEn: Type.Optional(NameEn),
    keywords: Type.Optional(Keywords),
    departmentKind: Type.Optional(DepartmentKindSchema),
    responsibility: Type.Optional(ResponsibilitySchema),
    timeLimits: Type.Optional(
      Type.Object(
        { normal: Type.Optional(TimeLimitSchema), urgent: Type.Optional(TimeLimitSchema), critical: Type.Optional(TimeLimitSchema) },
        { additionalProperties: false, minProperties: 1, description: 'Only the urgencies that change' },
      ),
    ),
    verification: Type.Optional(VerificationSchema),
    residentSelectable: Type.Optional(Type.Boolean()),
    duplicateRadiusM: Type.Optional(Radius),
    note: Type.Optional(Note),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** `{}`, `{"reason": "…"}`, or no body at all. */
export const CategoryStateBody = Type.Union([
  Type.Object(
    { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'Recorded in the audit log' })) },
    { additionalProperties: false },
  ),
  Type.Null(),
]);
