import { Type } from 'typebox';
import { COVERAGE_UNITS } from '../../../shared/coverage.ts';
import { ProfileSchema as Profile } from '../devices/schemas.ts';

const Unit = Type.Enum(COVERAGE_UNITS);
const Rate = Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description: 'null when there is nothing to divide by' });
const RegionCode = Type.String({ pattern: '^[0-9]{6,20}$' });

export const CoverageQuery = Type.Object(
  {
    region: Type.Optional(RegionCode),
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, default: 30, description: 'The application rate counts alarms of the last N days' })),
  },
  { additionalProperties: false },
);

const SummaryFields = {
  devices: Type.Integer({ description: 'Devices in service (not retired)' }),
  online: Type.Integer(),
  onlineRate: Rate,
  expected: Type.Integer({ description: 'Devices the norms call for' }),
  covered: Type.Integer({ description: 'Of the expected, how many exist (per committee and profile, at most the norm)' }),
  coverageRate: Rate,
  alarms: Type.Integer({ description: 'Process alarms raised in the period (not maintenance, not suppressed)' }),
  withCase: Type.Integer({ description: 'Of them, alarms that became a case' }),
  handled: Type.Integer({ description: 'Of them, alarms whose case was closed' }),
  applicationRate: Rate,
};
const Gap = Type.Object({ profile: Profile, profileName: Type.String(), expected: Type.Integer(), devices: Type.Integer() }, { additionalProperties: false });

export const CoverageReportSchema = Type.Object(
  {
    region: Type.Object({ code: Type.String(), name: Type.String(), level: Type.String() }, { additionalProperties: false }),
    since: Type.String({ format: 'date-time' }),
    totals: Type.Object(SummaryFields, { additionalProperties: false }),
    profiles: Type.Array(
      Type.Object({ profile: Profile, profileName: Type.String(), devices: Type.Integer(), online: Type.Integer(), expected: Type.Integer(), covered: Type.Integer() }, { additionalProperties: false }),
    ),
    units: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), level: Type.String(), ...SummaryFields, gaps: Type.Array(Gap) }, { additionalProperties: false })),
    blindSpots: Type.Object(
      {
        total: Type.Integer(),
        items: Type.Array(
          Type.Object(
            {
              code: Type.String(),
              name: Type.String(),
              reasons: Type.Array(Type.Union([Type.Literal('no_devices'), Type.Literal('below_norm'), Type.Literal('all_offline')])),
              gaps: Type.Array(Gap),
              devices: Type.Integer(),
              online: Type.Integer(),
            },
            { additionalProperties: false },
          ),
        ),
      },
      { additionalProperties: false, description: 'Committees with no devices, fewer than the norms call for, or none online; the largest holes first (at most 100)' },
    ),
  },
  { additionalProperties: false },
);

export const NormsQuery = Type.Object({ region: Type.Optional(RegionCode) }, { additionalProperties: false });
export const NormSchema = Type.Object(
  { regionCode: Type.String(), regionName: Type.String(), profile: Profile, unit: Unit, expected: Type.Integer(), updatedAt: Type.String({ format: 'date-time' }) },
  { additionalProperties: false },
);
export const NormList = Type.Object({ items: Type.Array(NormSchema) }, { additionalProperties: false });
export const PutNormBody = Type.Object(
  {
    regionCode: RegionCode,
    profile: Profile,
    unit: Unit,
    expected: Type.Integer({ minimum: 0, maximum: 1000, description: 'Devices of this profile per committee or per building; 0: none expected here' }),
  },
  { additionalProperties: false },
);
export const DeleteNormQuery = Type.Object({ region: RegionCode, profile: Profile, unit: Unit }, { additionalProperties: false });
