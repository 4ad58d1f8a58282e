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
    'zh-CN': '该区域下仍有下级区域、部门、人员授权或设备，不能删除。',
    en: 'This region still has sub-regions, departments, role assignments or devices and cannot be removed.',
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
  CALENDAR_YEAR_UNKNOWN: {
    status: 422,
    'zh-CN': '工作日历中还没有 {year} 年的放假和调休安排，无法计算期限。请系统管理员先录入该年的安排。',
    en: 'The working calendar has no holiday schedule for {year} yet, so the deadline cannot be computed. An administrator must enter that year first.',
  },
  CALENDAR_DATE_OUTSIDE_YEAR: { status: 422, 'zh-CN': '日期 {date} 不在 {year} 年内。', en: 'The date {date} does not lie in {year}.' },
  CALENDAR_DUPLICATE_DATE: { status: 422, 'zh-CN': '日期 {date} 重复出现。', en: 'The date {date} appears more than once.' },
  CALENDAR_WORKDAY_NOT_WEEKEND: {
    status: 422,
    'zh-CN': '{date} 不是周末，不能设为调休上班日。',
    en: 'The date {date} is not a weekend day and cannot be an adjusted working day.',
  },
  CALENDAR_WORKING_HOURS_INVALID: {
    status: 422,
    'zh-CN': '工作时间段须按先后顺序排列、互不重叠，且每段结束时间晚于开始时间。',
    en: 'Working hours must be in ascending order, must not overlap, and each period must end after it starts.',
  },
  CALENDAR_LIMIT_INVALID: {
    status: 422,
    'zh-CN': '时限必须大于零；按工作日或自然日计的时限须为整数天。',
    en: 'A time limit must be greater than zero; limits in working or calendar days must be whole days.',
  },
  CATEGORY_CODE_TAKEN: { status: 409, 'zh-CN': '该案件分类编码已存在。', en: 'This case category code already exists.' },
  CATEGORY_PARENT_UNKNOWN: {
    status: 422,
    'zh-CN': '所属大类不存在。新的小类只能建在已有的大类下（如 C01）。',
    en: 'The parent class does not exist. A new category must go under an existing class (such as C01).',
  },
  CATEGORY_CODE_MISMATCH: {
    status: 422,
    'zh-CN': '分类编码须以所属大类的编码开头（如大类 C01 下的 C0106）。',
    en: 'The category code must start with its class code (C0106 under C01, for example).',
  },
  CATEGORY_CLASS_HAS_NO_RULES: {
    status: 422,
    'zh-CN': '大类只能修改名称和关键词；责任部门、时限、核查方式等在小类上设置。',
    en: 'A class has only names and keywords; department, time limits and verification are set on its categories.',
  },
  CATEGORY_LIMITS_ORDER: {
    status: 422,
    'zh-CN': '时限须满足：特急不长于紧急，紧急不长于一般。',
    en: 'Time limits must not grow with urgency: critical no longer than urgent, urgent no longer than normal.',
  },
  ILLEGAL_TRANSITION: {
    status: 409,
    'zh-CN': '案件当前状态下不能执行此操作。',
    en: 'This action is not possible in the case’s current status.',
  },
  CLASSIFIER_CATEGORY_UNKNOWN: {
    status: 422,
    'zh-CN': '该案件分类不存在、已停用或不是可选的小类，不能作为分类样本。',
    en: 'The category does not exist, is switched off or is not a leaf a case can be filed under.',
  },
  CATEGORY_NOT_SELECTABLE: {
    status: 422,
    'zh-CN': '该分类不存在、已停用或不可选择。',
    en: 'This category does not exist, is switched off, or cannot be chosen.',
  },
  CATEGORY_REQUIRED: { status: 422, 'zh-CN': '立案需要确定案件分类。', en: 'Registering a case needs a category.' },
  NO_RESPONSIBLE_UNIT: {
    status: 422,
    'zh-CN': '找不到负责该分类和地点的部门，请手动选择派遣单位。',
    en: 'No department is responsible for this category at this place; choose the unit yourself.',
  },
  UNIT_NOT_SERVING: { status: 422, 'zh-CN': '所选单位不负责案件所在区域。', en: 'The chosen unit does not serve the place of the case.' },
  LOCATION_OUTSIDE_DISTRICT: { status: 422, 'zh-CN': '位置不在本区范围内。', en: 'The location is outside the district.' },
  PHOTO_TOO_LARGE: { status: 413, 'zh-CN': '照片文件过大，每张不能超过 {maxMb} MB。', en: 'The photo is too large; each file may have at most {maxMb} MB.' },
  PHOTO_TOO_MANY_FILES: { status: 413, 'zh-CN': '一次最多上传 {max} 张照片。', en: 'At most {max} photos can be uploaded at once.' },
  PHOTO_CASE_LIMIT: { status: 422, 'zh-CN': '每个工单最多保存 {max} 张照片，已达上限。', en: 'A case keeps at most {max} photos; this one has reached the limit.' },
  PHOTO_UNSUPPORTED_TYPE: {
    status: 415,
    'zh-CN': '文件不是 JPEG、PNG 或 WebP 格式的图片（按文件内容判断，与文件名无关）。',
    en: 'The file is not a JPEG, PNG or WebP image (judged by its content, not its name).',
  },
  PHOTO_UNREADABLE: { status: 422, 'zh-CN': '图片已损坏，无法读取。', en: 'The image is damaged and cannot be read.' },
  PHOTO_TOO_MANY_PIXELS: {
    status: 422,
    'zh-CN': '图片分辨率过高（超过 {maxMegapixels} 百万像素）。',
    en: 'The image has too many pixels (more than {maxMegapixels} megapixels).',
  },
  PHOTO_CASE_CLOSED: { status: 409, 'zh-CN': '工单已结案、不予立案或已合并，不能再添加照片。', en: 'The case is closed, rejected or merged and takes no more photos.' },
  CASE_MERGE_SELF: { status: 409, 'zh-CN': '不能把案件合并到它自己。', en: 'A case cannot be merged into itself.' },
  CASE_MERGE_TARGET_ENDED: {
    status: 409,
    'zh-CN': '目标案件已结案、不予立案或已合并到其他案件，不能再并入。',
    en: 'The target case is closed, rejected or itself merged into another case; nothing can be merged into it.',
  },
  CASE_MERGE_HAS_REPORTS: {
    status: 409,
    'zh-CN': '该案件已有并入的重复上报，请反过来把其他案件并入它，或先取消那些合并。',
    en: 'This case already has duplicate reports merged into it; merge the other case into it instead, or unmerge those first.',
  },
  CASE_NOT_FOLLOWABLE: { status: 409, 'zh-CN': '该案件已结束，不能再关注。', en: 'This case has ended and cannot be followed.' },
  CASE_OWN_REPORT: { status: 409, 'zh-CN': '这是您自己上报的案件，办理进展会直接通知您。', en: 'You reported this case; you are told about it already.' },
  API_KEY_INVALID: {
    status: 403,
    'zh-CN': 'api_key 缺失、无效或已吊销。对接方的 api_key 由系统管理员签发。',
    en: 'The api_key is missing, invalid or revoked. API keys are issued by an administrator.',
  },
  JURISDICTION_UNKNOWN: {
    status: 404,
    'zh-CN': 'jurisdiction_id {jurisdictionId} 不是本平台服务的辖区（本平台为 {expected}）。',
    en: 'The jurisdiction_id {jurisdictionId} is not served here (this endpoint serves {expected}).',
  },
  RESPONSE_FORMAT_UNKNOWN: { status: 400, 'zh-CN': '仅支持 .json 和 .xml 两种格式。', en: 'Only the .json and .xml formats are supported.' },
  SERVICE_UNKNOWN: {
    status: 400,
    'zh-CN': 'service_code {serviceCode} 不是可受理的服务类型，请先查询 services 列表。',
    en: 'The service_code {serviceCode} is not an available service; see the services list.',
  },
  PLACE_REQUIRED: {
    status: 400,
    'zh-CN':
      '无法确定诉求所在的居村委：请提供 address_id（居村委、网格或楼栋的区域编码），或在 address_string 中写明居村委全称（如“梅园一村居委会”）。本平台没有居村委的边界数据，仅凭经纬度无法判定所属居村委。',
    en: 'The committee of the request cannot be determined: give address_id (the region code of a residential committee, grid or building), or name the committee in full in address_string (e.g. 梅园一村居委会). This platform has no committee boundaries, so lat/long alone cannot place a request.',
  },
  ADDRESS_ID_UNKNOWN: {
    status: 400,
    'zh-CN': 'address_id {addressId} 不是浦东新区的居村委、网格或楼栋编码（或不在该 api_key 的对接范围内）。',
    en: 'The address_id {addressId} is not the code of a residential committee, grid or building in Pudong (or lies outside this api_key’s area).',
  },
  ADDRESS_UNPLACED: {
    status: 400,
    'zh-CN': 'address_string 中没有找到浦东新区的居村委名称。请写明居村委全称（如“梅园一村居委会”），或提供 address_id。',
    en: 'The address_string names no residential committee in Pudong. Name the committee in full (e.g. 梅园一村居委会) or give address_id.',
  },
  ADDRESS_AMBIGUOUS: {
    status: 400,
    'zh-CN': 'address_string 与多个居村委匹配（{candidates}），请同时写明所属街镇，或提供 address_id。',
    en: 'The address_string matches several committees ({candidates}); add the street or town, or give address_id.',
  },
  NOT_INTEGRATION_ACCOUNT: {
    status: 422,
    'zh-CN': '该账号不是 Open311 对接账号，不能为其签发 api_key。不指定账号时会新建一个对接账号。',
    en: 'This account is not an Open311 integration account, so no api_key can be issued for it. Without an account a new integration account is created.',
  },
  DEVICE_REGION_INVALID: {
    status: 422,
    'zh-CN': '设备必须登记在居村委，或居村委下的网格、楼栋（{regionCode}）。',
    en: 'A device must be placed in a committee, or a grid or building inside one ({regionCode}).',
  },
  DEVICE_IMPORT_HEADER: {
    status: 422,
    'zh-CN': 'CSV 第一行必须是表头：{expected}',
    en: 'The first CSV line must be the header: {expected}',
  },
  DEVICE_IMPORT_INVALID: {
    status: 422,
    'zh-CN': 'CSV 中有 {count} 行数据有误，未导入任何设备；请按行号修改后重新导入。',
    en: 'The CSV has {count} invalid rows; no device was imported. Fix the rows listed and import again.',
  },
  DEVICE_UNAUTHENTICATED: {
    status: 401,
    'zh-CN': '设备凭证无效：请在 Authorization 头中以 Bearer 方式提供该设备的令牌。',
    en: 'Invalid device credential: send the device’s token as a Bearer token in the Authorization header.',
  },
  TELEMETRY_REJECTED: {
    status: 422,
    'zh-CN': '设备上报的数据不符合设备类型的数据标准，已记录为异常消息：{message}',
    en: 'The message does not match the device profile’s data standard and was counted as rejected: {message}',
  },
  COVERAGE_ROOT_NORM: {
    status: 422,
    'zh-CN': '全区的覆盖标准不能删除，只能修改（不要求时设为 0）。',
    en: 'The district’s coverage norms cannot be removed, only changed (set 0 where none is expected).',
  },
  RULE_DEFINITION_INVALID: {
    status: 422,
    'zh-CN': '规则条件有误：{message}',
    en: 'The rule’s condition is not valid: {message}',
  },
  RULE_SCOPE_INVALID: {
    status: 422,
    'zh-CN': '规则只能设在街镇、居村委或单个设备上（{regionCode}）。',
    en: 'A rule can be set for a street, a committee or one device ({regionCode}).',
  },
  RULE_PROFILE_MISMATCH: {
    status: 422,
    'zh-CN': '规则的设备类型与 {key} 或所选设备不一致。',
    en: 'The rule’s device profile does not match {key} or the chosen device.',
  },
  RULE_EXISTS: { status: 409, 'zh-CN': '该范围内已有此规则（{key}），请修改它。', en: 'This scope already has the rule {key}; edit it instead.' },
  RULE_BUILT_IN: {
    status: 422,
    'zh-CN': '内置规则不能直接修改或删除；请为街镇、居村委或设备添加覆盖规则。',
    en: 'A built-in rule cannot be changed or removed; add an override for a street, committee or device.',
  },
  RULE_DRY_RUN_PERIOD: {
    status: 422,
    'zh-CN': '试运行时段无效：开始须早于结束，且不超过 31 天。',
    en: 'The dry-run period is not valid: it must start before it ends and last at most 31 days.',
  },
  READINGS_RANGE_INVALID: {
    status: 400,
    'zh-CN': '查询时段的开始时间必须早于结束时间。',
    en: 'The start of the period must lie before its end.',
  },
  LEDGER_SOURCE_UNKNOWN: {
    status: 422,
    'zh-CN': '数据来源“{source}”未登记；请使用已登记的来源（如 民政、卫健、残联、公安实有人口、房管、社工走访、居民自报）。',
    en: 'The source "{source}" is not registered; use a registered source (e.g. 民政, 卫健, 残联, 公安实有人口, 房管, 社工走访, 居民自报).',
  },
  LEDGER_MAPPING_INVALID: { status: 422, 'zh-CN': '列对应关系不正确：{reason}。', en: 'The column mapping is not valid: {reason}.' },
  LEDGER_IMPORT_EMPTY: { status: 422, 'zh-CN': '文件是空的。', en: 'The file is empty.' },
  LEDGER_IMPORT_NOT_SPREADSHEET: {
    status: 415,
    'zh-CN': '只能导入 CSV 或 XLSX 表格（旧版 .xls 请在 Excel 中另存为 .xlsx）。',
    en: 'Only CSV and XLSX spreadsheets can be imported (save an old .xls as .xlsx in Excel).',
  },
  LEDGER_IMPORT_UNREADABLE: { status: 422, 'zh-CN': '表格文件已损坏或无法读取。', en: 'The spreadsheet is damaged or cannot be read.' },
  LEDGER_IMPORT_NO_HEADER: {
    status: 422,
    'zh-CN': '在前 20 行中没有找到表头（至少需要“姓名”和另一列，如“身份证号”“所属居委”）；请检查表格或提供列对应关系。',
    en: 'No header found in the first 20 rows (it needs 姓名 and at least one more known column, such as 身份证号 or 所属居委); check the sheet or give a column mapping.',
  },
  LEDGER_IMPORT_INTERRUPTED: { status: 500, 'zh-CN': '导入在进行中被中断（服务重启），请重新导入同一文件：已导入的行不会重复。', en: 'The import was interrupted (the service restarted); import the same file again: rows already imported are not duplicated.' },
  LEDGER_IMPORT_TOO_LARGE: { status: 413, 'zh-CN': '文件过大，最大 {maxMb} MB。', en: 'The file is too large; at most {maxMb} MB.' },
  INTERNAL: { status: 500, 'zh-CN': '服务器内部错误，请稍后再试。', en: 'Internal server error. Please try again later.' },
  UNAVAILABLE: { status: 503, 'zh-CN': '服务暂不可用。', en: 'The service is temporarily unavailable.' },
  ALARM_ACTION_NOT_ALLOWED: {
    status: 409,
    'zh-CN': '告警当前状态（{state}）下不能执行此操作，请刷新后再试。',
    en: 'This action is not possible in the alarm’s current state ({state}); refresh and try again.',
  },
  ALARM_NOT_LATCHED: { status: 409, 'zh-CN': '只有烟感、燃气等需人工复位的告警才能复位。', en: 'Only latched alarms (smoke, gas) need a reset.' },
  ALARM_CONDITION_ACTIVE: {
    status: 409,
    'zh-CN': '报警条件仍然存在，不能复位；确需复位请选择强制复位并说明原因。',
    en: 'The alarm condition still holds, so it cannot be reset; force the reset and give a reason if you must.',
  },
  ALARM_RECHECK_NOT_PENDING: { status: 409, 'zh-CN': '该告警不在待二次甄别状态。', en: 'This alarm is not waiting for a recheck.' },
  ALARM_CALL_NOT_APPLICABLE: {
    status: 409,
    'zh-CN': '只有独居老人关爱类告警（长时间未用水、门磁长时间未开启）需要电话联系紧急联系人。',
    en: 'Calls to the emergency contact belong to the elderly-care alarms (no water use, door not opened).',
  },
  ALARM_NO_EMERGENCY_CONTACT: {
    status: 409,
    'zh-CN': '该设备没有登记紧急联系人，请先登记。',
    en: 'This device has no emergency contact on record; add one first.',
  },
  ALARM_NO_CATEGORY: { status: 422, 'zh-CN': '该告警类型没有对应的案件分类，不能转为案件。', en: 'This alarm type has no case category, so it cannot become a case.' },
  ALARM_WINDOW_INVALID: {
    status: 422,
    'zh-CN': '检修/演练时段须指定一个设备或一个区域（二选一），结束时间晚于开始时间，且不超过 30 天。',
    en: 'A maintenance or drill window needs a device or a region (one of them), an end after its start, and at most 30 days.',
  },
  LEDGER_CONFLICT_RESOLVED: { status: 409, 'zh-CN': '该不一致已经处理过了。', en: 'This difference has already been resolved.' },
  LEDGER_VALUE_INVALID: { status: 422, 'zh-CN': '核实的值不正确（{field}）：{reason}。', en: 'The verified value is not valid ({field}): {reason}.' },
  LEDGER_ID_NUMBER_TAKEN: {
    status: 409,
    'zh-CN': '台账中已有另一人使用该身份证号；这可能是同一人，请在人员匹配中合并。',
    en: 'Another person in the ledger has this ID number; they may be the same person: merge them in record linkage.',
  },
  LEDGER_BULK_CHANGED: {
    status: 409,
    'zh-CN': '待处理的不一致已有变化（现有 {actual} 条，您确认的是 {expected} 条），请刷新后重新确认。',
    en: 'The queue changed ({actual} open now, you confirmed {expected}); reload and confirm again.',
  },
  LEDGER_BULK_TOO_MANY: { status: 422, 'zh-CN': '一次最多批量处理 {max} 条，请按居委缩小范围。', en: 'At most {max} at a time; narrow it down by committee.' },
  LEDGER_FIELD_UNKNOWN: { status: 422, 'zh-CN': '台账中没有这个字段（或它是自动计算的标签）。', en: 'The ledger has no such field (or it is a computed tag).' },
  // resident self-governance (issue #6: notices, 居民议事, volunteers and points)
  PROPOSAL_SCOPE_INVALID: {
    status: 422,
    'zh-CN': '议题的范围须是您所在的居村委或其中的一个楼栋。',
    en: 'A proposal concerns your own committee or one of its buildings.',
  },
  PROPOSAL_WRONG_STATUS: { status: 409, 'zh-CN': '议题当前的状态不允许此操作。', en: 'The proposal is not in a state that allows this.' },
  PROPOSAL_THRESHOLD_NOT_MET: { status: 409, 'zh-CN': '支持人数尚未达到开启表决的门槛。', en: 'The proposal does not have enough supports to open a vote yet.' },
  ALREADY_SUPPORTED: { status: 409, 'zh-CN': '您已经支持过这个议题。', en: 'You already support this proposal.' },
  VOTE_NOT_OPEN: { status: 409, 'zh-CN': '表决未开始或已经结束。', en: 'Voting has not started or is over.' },
  VOTE_OUTSIDE_AREA: {
    status: 403,
    'zh-CN': '只有议题所涉居村委或楼栋的居民才能参与表决。',
    en: 'Only residents of the committee or building the proposal concerns may vote.',
  },
  ALREADY_VOTED: { status: 409, 'zh-CN': '您已经投过票，每位居民只能投一次。', en: 'You have already voted; each resident votes once.' },
  VOTE_CHOICE_INVALID: { status: 422, 'zh-CN': '所选选项不在本次表决的选项中。', en: 'That choice is not one of this vote’s options.' },
  VOTE_WINDOW_INVALID: {
    status: 422,
    'zh-CN': '表决截止时间须晚于现在，且不超过 30 天；选项式表决需要 2 至 10 个不同选项。',
    en: 'The vote must close in the future and within 30 days; a vote with choices needs 2 to 10 distinct options.',
  },
  VOLUNTEER_NOT_REGISTERED: { status: 409, 'zh-CN': '请先登记成为志愿者。', en: 'Register as a volunteer first.' },
  VOLUNTEER_TASK_FULL: { status: 409, 'zh-CN': '该志愿任务报名已满。', en: 'This volunteer task is full.' },
  VOLUNTEER_ALREADY_SIGNED_UP: { status: 409, 'zh-CN': '您已经报名了这个任务。', en: 'You have already signed up for this task.' },
  VOLUNTEER_CHECK_STATE: { status: 409, 'zh-CN': '签到须在签退之前，且每人只签到、签退一次。', en: 'Check in before checking out, once each.' },
  VOLUNTEER_NOT_SIGNED_UP: { status: 409, 'zh-CN': '您没有报名这个任务，不能签到。', en: 'You have not signed up for this task, so you cannot check in.' },
  VOLUNTEER_NOT_TASK_DAY: { status: 409, 'zh-CN': '只能在任务当天签到、签退。', en: 'You can check in and out only on the day of the task.' },
  POINTS_INSUFFICIENT: { status: 409, 'zh-CN': '积分不足。', en: 'Not enough points.' },
  REWARD_OUT_OF_STOCK: { status: 409, 'zh-CN': '该兑换品已兑完。', en: 'This reward is out of stock.' },
  REPORT_TEMPLATE_INVALID: { status: 422, 'zh-CN': '报表模板不正确：{reason}。', en: 'The report template is not valid: {reason}.' },
  REPORT_SENSITIVE_FORBIDDEN: {
    status: 403,
    'zh-CN': '该报表含健康、残疾、救助或重点人员等敏感个人信息，您的角色无权生成或下载。',
    en: 'This report contains sensitive personal information (health, disability, welfare or security); your role may not generate or download it.',
  },
  LEDGER_MATCH_DECIDED: { status: 409, 'zh-CN': '这对人员已处理过（{status}），请刷新列表。', en: 'This pair has already been decided ({status}); refresh the list.' },
  LEDGER_MATCH_TWO_ID_NUMBERS: { status: 409, 'zh-CN': '两人都有有效的身份证号且号码不同，不能合并为一人。', en: 'Both persons have valid, different ID numbers and cannot be one person.' },
  LEDGER_MERGE_UNDONE: { status: 409, 'zh-CN': '该合并已撤销。', en: 'This merge has already been undone.' },
  LEDGER_MERGE_SUPERSEDED: {
    status: 409,
    'zh-CN': '合并之后该人员又有了新的合并或数据更新，无法撤销；请先撤销之后的合并。',
    en: 'The person has been merged again or updated since this merge, so it cannot be undone; undo the later merge first.',
  },
  SERVICE_CODE_TAKEN: { status: 409, 'zh-CN': '服务编码已存在。', en: 'This service code already exists.' },
  SERVICE_RULE_INVALID: { status: 422, 'zh-CN': '资格规则有误：引用了不存在的标签或区域，或范围不成立。', en: 'The eligibility rule is invalid: it names an unknown tag or region, or a range is empty.' },
  SERVICE_EXAMPLES_FAILED: { status: 422, 'zh-CN': '资格规则未通过自带的示例，请检查规则或示例。', en: 'The eligibility rule fails its own examples; check the rule or the examples.' },
  SERVICES_NOT_LINKED: { status: 409, 'zh-CN': '请先完成实名核验，才能查看为您推荐的服务。', en: 'Verify your identity first to see the services meant for you.' },
  SERVICES_ALREADY_LINKED: { status: 409, 'zh-CN': '该账号或该居民已完成实名核验。', en: 'This account, or this resident, is already verified.' },
  SERVICES_VERIFY_FAILED: { status: 422, 'zh-CN': '姓名和身份证号与本居委台账不一致，请核对，或请社工上门核验。', en: 'The name and ID number do not match the committee’s ledger; check them, or ask your social worker to verify you in person.' },
  SERVICES_TRANSITION_INVALID: { status: 409, 'zh-CN': '当前状态下不能进行此操作。', en: 'This step is not possible from the current state.' },
  SERVICES_DECLINE_REASON_REQUIRED: { status: 422, 'zh-CN': '标记为“不需要”时请填写原因。', en: 'Give a reason when marking a service as declined.' },
  SERVICES_PROXY_EXISTS: { status: 409, 'zh-CN': '已为此人授权过代办。', en: 'This person is already authorised to act for the resident.' },
} as const satisfies Record<string, { status: number } & Record<Locale, string>>;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/**
 * The message for a code in a locale. Placeholders such as `{year}` are filled from the error's
 * details when they carry that key (CALENDAR_YEAR_UNKNOWN names the missing year); otherwise they stay.
 */
export function errorMessage(code: ErrorCode, locale: Locale, details?: unknown): string {
  const template: string = ERROR_MESSAGES[code][locale];
  if (typeof details !== 'object' || details === null || !template.includes('{')) return template;
  const values = details as Record<string, unknown>;
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = values[key];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : whole;
  });
}
