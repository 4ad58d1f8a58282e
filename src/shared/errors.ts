import type { Locale } from './i18n/locale.ts';

/**
 * Stable error codes of the API and their user-facing messages. Clients switch on `code`;
 * `message` is for people, in the caller's language.
 */
export const ERROR_MESSAGES = {
  UNAUTHENTICATED: { status: 401, 'zh-CN': '请先登录。', en: 'Please sign in first.' },
  SESSION_EXPIRED: { status: 401, 'zh-CN': '登录已过期，请重新登录。', en: 'Your session has expired. Please sign in again.' },
  INVALID_CREDENTIALS: { status: 401, 'zh-CN': '用户名或密码不正确。', en: 'The username or password is incorrect.' },
  ACCOUNT_LOCKED: {
    status: 423,
    'zh-CN': '连续登录失败次数过多，账号已临时锁定，请稍后再试或联系管理员。',
    en: 'Too many failed sign-in attempts. The account is temporarily locked; try again later or ask an administrator.',
  },
  ACCOUNT_DISABLED: { status: 403, 'zh-CN': '账号已停用，请联系管理员。', en: 'This account is disabled. Please contact an administrator.' },
  FORBIDDEN: { status: 403, 'zh-CN': '您的角色无权执行此操作。', en: 'Your role is not allowed to do this.' },
  NOT_FOUND: { status: 404, 'zh-CN': '未找到该对象，或不在您的管辖范围内。', en: 'Not found, or outside your scope.' },
  ROUTE_NOT_FOUND: { status: 404, 'zh-CN': '接口不存在。', en: 'No such API route.' },
  METHOD_NOT_ALLOWED: { status: 405, 'zh-CN': '该接口不支持此请求方法。', en: 'This method is not allowed on this route.' },
  VALIDATION_FAILED: { status: 400, 'zh-CN': '提交的数据不符合要求。', en: 'The submitted data is not valid.' },
  MALFORMED_JSON: { status: 400, 'zh-CN': '请求体不是合法的 JSON。', en: 'The request body is not valid JSON.' },
  BAD_URL: { status: 400, 'zh-CN': '请求地址格式不正确。', en: 'The request URL is malformed.' },
  EMPTY_BODY: { status: 400, 'zh-CN': '请求体不能为空。', en: 'The request body must not be empty.' },
  PAYLOAD_TOO_LARGE: { status: 413, 'zh-CN': '请求体过大。', en: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, 'zh-CN': '不支持的内容类型，请使用 application/json。', en: 'Unsupported content type; use application/json.' },
  RATE_LIMITED: { status: 429, 'zh-CN': '请求过于频繁，请稍后再试。', en: 'Too many requests. Please try again later.' },
  CONFLICT: { status: 409, 'zh-CN': '数据冲突，请刷新后重试。', en: 'Conflicting change; refresh and try again.' },
  USERNAME_TAKEN: { status: 409, 'zh-CN': '用户名已被使用。', en: 'This username is already taken.' },
  REGION_CODE_TAKEN: { status: 409, 'zh-CN': '区域编码已存在。', en: 'This region code already exists.' },
  REGION_LEVEL_NOT_ALLOWED: {
    status: 422,
    'zh-CN': '该区域下不能添加此层级（网格只能建在居村委下，楼栋建在居村委或网格下）。',
    en: 'This level cannot be added here (grids go under committees; buildings under committees or grids).',
  },
  OFFICIAL_REGION_READONLY: {
    status: 422,
    'zh-CN': '区、街镇、居村委为国家统计区划，不能在此修改；只能维护网格和楼栋。',
    en: 'Districts, streets and committees follow the official division codes and cannot be edited here; only grids and buildings can.',
  },
  REGION_IN_USE: {
    status: 409,
    'zh-CN': '该区域下仍有下级区域、部门或人员授权，不能删除。',
    en: 'This region still has sub-regions, departments or role assignments and cannot be removed.',
  },
  DEPARTMENT_REQUIRED: { status: 422, 'zh-CN': '职能部门人员必须指定所属部门。', en: 'A department handler must belong to a department.' },
  DEPARTMENT_OUTSIDE_REGION: {
    status: 422,
    'zh-CN': '所选部门不在该角色的管辖区域内。',
    en: 'The department is not inside the region of this assignment.',
  },
  ASSIGNMENT_EXISTS: { status: 409, 'zh-CN': '该用户已有相同的角色授权。', en: 'The user already holds this role assignment.' },
  LAST_ASSIGNMENT: { status: 422, 'zh-CN': '用户至少需要保留一个角色授权。', en: 'A user must keep at least one role assignment.' },
  WEAK_PASSWORD: {
    status: 422,
    'zh-CN': '密码至少 10 位，且不能与用户名相同。',
    en: 'The password must have at least 10 characters and differ from the username.',
  },
  WRONG_PASSWORD: { status: 422, 'zh-CN': '当前密码不正确。', en: 'The current password is incorrect.' },
  REASON_REQUIRED: {
    status: 422,
    'zh-CN': '查看完整个人信息需要填写事由（至少 4 个字）。',
    en: 'Viewing full personal data requires a reason (at least 4 characters).',
  },
  INTERNAL: { status: 500, 'zh-CN': '服务器内部错误，请稍后再试。', en: 'Internal server error. Please try again later.' },
  UNAVAILABLE: { status: 503, 'zh-CN': '服务暂不可用。', en: 'The service is temporarily unavailable.' },
} as const satisfies Record<string, { status: number } & Record<Locale, string>>;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

export function errorMessage(code: ErrorCode, locale: Locale): string {
  return ERROR_MESSAGES[code][locale];
}
