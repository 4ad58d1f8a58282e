import { Type, type TSchema } from 'typebox';

/**
 * Open311 GeoReport v2 shapes (field names as the specification spells them) and the admin API
 * for keys. The JSON responses mirror the schemas of open311/schema-validation
 * (docs/standards/open311-georeport-v2/); test/e2e/open311.test.ts validates against those files.
 */

const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const FormatParams = Type.Object({ format: Type.String({ description: '`json` or `xml`' }) });

/** Errors are a list of {code, description}; `code` is the HTTP status. */
export const Open311Errors = Type.Array(Type.Object({ code: Type.Integer(), description: Type.String() }, { additionalProperties: false }), {
  description: 'GeoReport v2 error list; XML: <errors><error><code/><description/></error></errors>',
});

/** Some clients send their api_key with every call; the public GETs accept and ignore it. */
const IgnoredApiKey = Type.Optional(Type.String({ maxLength: 200, description: 'Accepted and ignored: reading is public' }));

export const JurisdictionQuery = Type.Object(
  { jurisdiction_id: Type.Optional(Type.String({ maxLength: 40, description: 'Optional; when given it must be this installation’s district code (310115)' })), api_key: IgnoredApiKey },
  { additionalProperties: false },
);

export const Discovery = Type.Object(
  {
    changeset: Type.String(),
    contact: Type.String(),
    key_service: Type.String(),
    endpoints: Type.Array(
      Type.Object({
        specification: Type.String(),
        url: Type.String(),
        changeset: Type.String(),
        type: Type.String(),
        formats: Type.Array(Type.String()),
      }),
    ),
  },
  { additionalProperties: false },
);

export const Service = Type.Object(
  {
    service_code: Type.String(),
    service_name: Type.String(),
    description: nullable(Type.String()),
    metadata: Type.Boolean(),
    type: Type.Union([Type.Literal('realtime'), Type.Literal('batch'), Type.Literal('blackbox')]),
    keywords: nullable(Type.String()),
    group: nullable(Type.String()),
  },
  { additionalProperties: false },
);
export const ServiceList = Type.Array(Service);

export const ServiceParams = Type.Object({ service_code: Type.String({ maxLength: 40 }), format: Type.String() });

export const ServiceDefinition = Type.Object(
  {
    service_code: Type.String(),
    attributes: Type.Array(Type.Object({ code: Type.String() }), { description: 'Always empty: the services take no extra attributes' }),
  },
  { additionalProperties: false },
);

export const ServiceRequest = Type.Object(
  {
    service_request_id: Type.String({ description: 'The case number, e.g. GZ20261130-000001' }),
    status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
    status_notes: nullable(Type.String()),
    service_name: nullable(Type.String()),
    service_code: Type.String(),
    description: nullable(Type.String()),
    agency_responsible: nullable(Type.String()),
    service_notice: nullable(Type.String()),
    requested_datetime: Type.String({ format: 'date-time' }),
    updated_datetime: nullable(Type.String({ format: 'date-time' })),
    expected_datetime: nullable(Type.String({ format: 'date-time' })),
    address: nullable(Type.String()),
    address_id: nullable(Type.String()),
    zipcode: nullable(Type.String()),
    lat: nullable(Type.Number()),
    long: nullable(Type.Number()),
    media_url: nullable(Type.String()),
  },
  { additionalProperties: false },
);
export const ServiceRequestList = Type.Array(ServiceRequest);

export const RequestListQuery = Type.Object(
  {
    jurisdiction_id: Type.Optional(Type.String({ maxLength: 40 })),
    api_key: IgnoredApiKey,
    service_request_id: Type.Optional(Type.String({ maxLength: 4000, description: 'Comma-separated case numbers; overrides every other filter' })),
    service_code: Type.Optional(Type.String({ maxLength: 2000, description: 'Comma-separated service codes' })),
    start_date: Type.Optional(Type.String({ format: 'date-time', description: 'Requests made at or after (ISO 8601 with offset)' })),
    end_date: Type.Optional(Type.String({ format: 'date-time', description: 'Requests made at or before' })),
    status: Type.Optional(Type.String({ pattern: '^(open|closed)(,(open|closed))*$', description: 'open, closed or both (comma-separated)' })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 1, description: 'Gongzhi extension: page number, from 1' })),
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 1000, description: 'Gongzhi extension: requests per page (at most 1000)' })),
  },
  { additionalProperties: false },
);

export const RequestParams = Type.Object({ service_request_id: Type.String({ maxLength: 40 }), format: Type.String() });
export const TokenParams = Type.Object({ token_id: Type.String({ maxLength: 64 }), format: Type.String() });

const Coordinate = (min: number, max: number, description: string) =>
  Type.Union([Type.Number({ minimum: min, maximum: max }), Type.String({ pattern: '^\\s*-?\\d{1,3}(\\.\\d+)?\\s*$' })], { description });

/**
 * The fields of POST requests. Open311 clients send them form-encoded (or as query parameters,
 * as the GeoReport Swagger describes); JSON works too. Empty fields count as absent.
 */
export const SubmitFields = Type.Object(
  {
    api_key: Type.Optional(Type.String({ maxLength: 200 })),
    jurisdiction_id: Type.Optional(Type.String({ maxLength: 40 })),
    service_code: Type.Optional(Type.String({ maxLength: 40, description: 'Required (here or in the query string)' })),
    lat: Type.Optional(Coordinate(-90, 90, 'WGS-84 latitude')),
    long: Type.Optional(Coordinate(-180, 180, 'WGS-84 longitude')),
    address_string: Type.Optional(Type.String({ maxLength: 200, description: 'Free text; names the committee in full if address_id is absent' })),
    address_id: Type.Optional(Type.String({ maxLength: 40, description: 'Region code of a residential committee, grid or building' })),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    device_id: Type.Optional(Type.String({ maxLength: 200 })),
    account_id: Type.Optional(Type.String({ maxLength: 200 })),
    first_name: Type.Optional(Type.String({ maxLength: 100 })),
    last_name: Type.Optional(Type.String({ maxLength: 100 })),
    phone: Type.Optional(Type.String({ pattern: '^[0-9+()\\- ]{3,30}$' })),
    description: Type.Optional(Type.String({ maxLength: 2000, pattern: '\\S', description: 'At most 2000 characters (the case limit)' })),
    media_url: Type.Optional(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const SubmitResponse = Type.Array(
  Type.Object(
    {
      service_request_id: Type.String(),
      token: Type.String(),
      service_notice: nullable(Type.String()),
      account_id: nullable(Type.String()),
    },
    { additionalProperties: false },
  ),
);

export const TokenResponse = Type.Array(Type.Object({ service_request_id: Type.String(), token: Type.String() }, { additionalProperties: false }));

// ---------------------------------------------------------------- admin API (/api/open311/keys)

export const CreateKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S', description: 'Who the key is for, e.g. 市民云 App' }),
    userId: Type.Optional(Type.String({ format: 'uuid', description: 'Issue another key for an existing integration account (rotation)' })),
    username: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_.-]{2,40}$', description: 'Username of the new integration account (default open311-<random>)' })),
  },
  { additionalProperties: false },
);

const KeyFields = {
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  keyPrefix: Type.String({ description: 'The first characters of the key, to recognise it' }),
  userId: Type.String({ format: 'uuid' }),
  username: Type.String({ description: 'The integration account: reporter of the cases the key submits' }),
  createdAt: Type.String({ format: 'date-time' }),
};

export const CreatedKey = Type.Object({ ...KeyFields, key: Type.String({ description: 'Shown once; only its SHA-256 is stored' }) }, { additionalProperties: false });

export const KeyView = Type.Object(
  {
    ...KeyFields,
    userActive: Type.Boolean(),
    lastUsedAt: nullable(Type.String({ format: 'date-time' })),
    revokedAt: nullable(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

export const KeyList = Type.Object({ items: Type.Array(KeyView), total: Type.Integer() });
export const KeyIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
