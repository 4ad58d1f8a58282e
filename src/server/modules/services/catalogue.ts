import type { Leaf, RuleExample } from '../../../shared/services.ts';
import type { ServiceInput } from './repository.ts';

/**
 * The seed catalogue: Shanghai's and Pudong's common services and benefits for residents, with
 * the responsible unit, how to obtain them and the documents usually asked for, from the public
 * service guides (上海市民政局、医保局、残联、卫健委, 一网通办). Amounts and fine print change: the
 * description says where the standard is published rather than copying figures that go stale.
 * Rules use only what the ledger holds (age, tags, household, residence); conditions the ledger
 * cannot know (户籍, 评估等级) are left to the application and named in `howToApply`.
 */

const PUDONG = '310115';
const ON = '2026-05-03';
const ex = (name: string, person: RuleExample['person'], expected: boolean, on = ON): RuleExample => ({ name, on, person, expected });
const notReceiving = (code: string): { kind: 'not'; condition: Leaf } => ({ kind: 'not', condition: { kind: 'receiving', service: code } });

type Seed = Omit<ServiceInput, 'regionCode' | 'enabled' | 'validTo' | 'nameEn'> & { nameEn: string };

export const SEED_SERVICES: Seed[] = [
  {
    code: 'elderly_allowance',
    name: '老年综合津贴（65–79周岁）',
    nameEn: 'Senior citizens’ allowance (aged 65–79)',
    category: 'elderly',
    department: '浦东新区民政局 / 街镇社区事务受理服务中心',
    description: '本市户籍、年满65周岁的老年人按年龄分档按月发放津贴（65–69、70–79周岁两档）；年满80周岁起按高龄档发放，见“高龄津贴”。标准以上海市民政局公布为准。',
    howToApply: '已纳入“免申即享”：符合条件的，系统自动核定后发放，您只需确认领取账户。非本市户籍不适用。如有疑问可到街镇社区事务受理服务中心咨询。',
    documents: ['身份证', '社会保障卡（领取账户）'],
    autoGrant: true,
    validFrom: '2016-01-01',
    rule: { kind: 'age', min: 65, max: 79 },
    examples: [
      ex('今天满65周岁', { birthDate: '1961-05-03' }, true),
      ex('明天才满65周岁', { birthDate: '1961-05-04' }, false),
      ex('79岁，明天满80', { birthDate: '1946-05-04' }, true),
      ex('今天满80周岁：改按高龄档', { birthDate: '1946-05-03' }, false),
      ex('已在领取', { birthDate: '1950-01-01', receiving: ['elderly_allowance'] }, false),
    ],
  },
  {
    code: 'elderly_allowance_80',
    name: '高龄津贴（老年综合津贴80周岁以上档）',
    nameEn: 'Old-age allowance for 80 and over',
    category: 'elderly',
    department: '浦东新区民政局 / 街镇社区事务受理服务中心',
    description: '年满80周岁的本市户籍老年人，老年综合津贴按高龄档（80–89、90–99、100周岁以上）按月发放，年龄越高标准越高；标准以上海市民政局公布为准。',
    howToApply: '已纳入“免申即享”：年满80周岁的当月起，系统自动按高龄档核定发放，无需申请，您只需确认领取账户。非本市户籍不适用。',
    documents: ['身份证', '社会保障卡（领取账户）'],
    autoGrant: true,
    validFrom: '2016-01-01',
    rule: { kind: 'age', min: 80 },
    examples: [
      ex('今天满80周岁', { birthDate: '1946-05-03' }, true),
      ex('明天才满80周岁', { birthDate: '1946-05-04' }, false),
      ex('百岁老人', { birthDate: '1925-01-01' }, true),
      ex('已按高龄档领取', { birthDate: '1930-01-01', receiving: ['elderly_allowance_80'] }, false),
    ],
  },
  {
    code: 'meal_assistance',
    name: '社区老年助餐',
    nameEn: 'Community meals for older people',
    category: 'elderly',
    department: '街镇社区综合为老服务中心 / 社区长者食堂',
    description: '60周岁以上老年人可在社区长者食堂、助餐点用餐或送餐上门；高龄、独居、低保低收入老人享受助餐补贴。',
    howToApply: '到居委会或社区长者食堂登记，补贴对象由居委会核对后按月结算。',
    documents: ['身份证'],
    autoGrant: false,
    validFrom: null,
    rule: { kind: 'all', conditions: [{ kind: 'age', min: 60 }, { kind: 'any', conditions: [{ kind: 'tag', tag: 'elderly' }, { kind: 'tag', tag: 'living_alone' }, { kind: 'tag', tag: 'dibao', maxAgeDays: 365 }, { kind: 'tag', tag: 'low_income', maxAgeDays: 365 }] }] },
    examples: [
      ex('独居的70岁老人', { birthDate: '1956-01-01', livesAlone: true }, true),
      ex('与家人同住的70岁老人', { birthDate: '1956-01-01', livesAlone: false }, false),
      ex('低保（一年内核实）', { birthDate: '1960-01-01', tags: [{ tag: 'dibao', observedOn: '2026-01-10' }] }, true),
      ex('低保信息已超过一年未核实', { birthDate: '1960-01-01', tags: [{ tag: 'dibao', observedOn: '2025-05-01' }] }, false),
    ],
  },
  {
    code: 'home_care',
    name: '居家养老服务补贴',
    nameEn: 'Home care service subsidy',
    category: 'elderly',
    department: '浦东新区民政局 / 街镇社区事务受理服务中心',
    description: '为经济困难或高龄独居的老年人提供生活照料、助洁等居家养老服务，按评估结果给予服务补贴；已享受长护险居家照护的，不重复补贴。',
    howToApply: '向街镇社区事务受理服务中心申请，经老年照护统一需求评估后确定服务时间和补贴标准。',
    documents: ['身份证', '户口簿', '低保或低收入证明（如有）'],
    autoGrant: false,
    validFrom: null,
    rule: { kind: 'all', conditions: [{ kind: 'age', min: 60 }, { kind: 'any', conditions: [{ kind: 'tag', tag: 'dibao' }, { kind: 'tag', tag: 'low_income' }, { kind: 'tag', tag: 'solitary_elderly' }, { kind: 'all', conditions: [{ kind: 'tag', tag: 'elderly' }, { kind: 'tag', tag: 'living_alone' }] }] }, notReceiving('ltc_insurance')] },
    examples: [
      ex('80岁独居', { birthDate: '1946-01-01', livesAlone: true }, true),
      ex('80岁独居，已享受长护险居家照护', { birthDate: '1946-01-01', livesAlone: true, receiving: ['ltc_insurance'] }, false),
      ex('80岁与子女同住', { birthDate: '1946-01-01', livesAlone: false }, false),
      ex('65岁孤老', { birthDate: '1961-01-01', tags: [{ tag: 'solitary_elderly', observedOn: '2025-12-01' }] }, true),
    ],
  },
  {
    code: 'ltc_insurance',
    name: '长期护理保险',
    nameEn: 'Long-term care insurance',
    category: 'elderly',
    department: '浦东新区医疗保障局',
    description: '参加本市职工医保或居民医保、年满60周岁、经老年照护统一需求评估达到二至六级的人员，可享受社区居家照护、养老机构照护或住院医疗护理。',
    howToApply: '本人或家属向街镇社区事务受理服务中心（或“一网通办”）申请需求评估，评估通过后选择护理服务机构。',
    documents: ['身份证', '医保卡', '近期病历（如有）'],
    autoGrant: false,
    validFrom: '2018-01-01',
    rule: { kind: 'all', conditions: [{ kind: 'age', min: 60 }, { kind: 'any', conditions: [{ kind: 'tag', tag: 'elderly' }, { kind: 'tag', tag: 'disability' }] }] },
    examples: [ex('85岁', { birthDate: '1941-03-01' }, true), ex('62岁残疾', { birthDate: '1964-03-01', tags: [{ tag: 'disability', observedOn: '2025-06-01', source: '残联' }] }, true), ex('62岁健康', { birthDate: '1964-03-01' }, false)],
  },
  {
    code: 'disability_subsidy',
    name: '残疾人两项补贴',
    nameEn: 'Disability living and care subsidies',
    category: 'disability',
    department: '浦东新区残疾人联合会 / 浦东新区民政局',
    description: '困难残疾人生活补贴（低保、低收入家庭的残疾人）和重度残疾人护理补贴（一、二级残疾人）。',
    howToApply: '持残疾人证向街镇社区事务受理服务中心申请，残联和民政部门审核后按月发放。',
    documents: ['第二代残疾人证', '身份证', '低保或低收入证明（生活补贴）'],
    autoGrant: false,
    validFrom: '2016-01-01',
    rule: { kind: 'all', conditions: [{ kind: 'tag', tag: 'disability' }, { kind: 'any', conditions: [{ kind: 'tag', tag: 'dibao' }, { kind: 'tag', tag: 'low_income' }] }] },
    examples: [
      ex('残疾且低保', { birthDate: '1970-01-01', tags: [{ tag: 'disability', observedOn: '2025-01-01' }, { tag: 'dibao', observedOn: '2025-01-01' }] }, true),
      ex('残疾但非困难家庭', { birthDate: '1970-01-01', tags: [{ tag: 'disability', observedOn: '2025-01-01' }] }, false),
    ],
  },
  {
    code: 'hardship_aid',
    name: '困难帮扶（临时救助与帮困）',
    nameEn: 'Hardship assistance',
    category: 'assistance',
    department: '街镇社区事务受理服务中心 / 浦东新区民政局',
    description: '低保、低收入、孤老和失独等困难家庭可申请临时救助、节日帮困和医疗、教育等专项救助。',
    howToApply: '向居委会反映困难情况，由社工协助向街镇社区事务受理服务中心申请。',
    documents: ['身份证', '户口簿', '收入及困难情况说明'],
    autoGrant: false,
    validFrom: null,
    rule: { kind: 'any', conditions: [{ kind: 'tag', tag: 'dibao', maxAgeDays: 365 }, { kind: 'tag', tag: 'low_income', maxAgeDays: 365 }, { kind: 'tag', tag: 'solitary_elderly' }, { kind: 'tag', tag: 'bereaved_parent' }] },
    examples: [
      ex('失独家庭', { birthDate: '1958-01-01', tags: [{ tag: 'bereaved_parent', observedOn: '2024-01-01', source: '卫健' }] }, true),
      ex('没有困难标签', { birthDate: '1958-01-01' }, false),
    ],
  },
  {
    code: 'newborn_service',
    name: '新生儿服务（出生一件事）',
    nameEn: 'Newborn services',
    category: 'family',
    department: '浦东新区卫生健康委员会 / 社区卫生服务中心',
    description: '出生医学证明、预防接种证、户口登记、医保参保和社保卡办理“一件事”联办；社区卫生服务中心提供新生儿访视。',
    howToApply: '通过“一网通办”“出生一件事”在线办理，或到街镇社区事务受理服务中心办理；社区卫生服务中心将电话预约上门访视。',
    documents: ['父母身份证', '出生医学证明', '户口簿', '结婚证'],
    autoGrant: false,
    validFrom: null,
    rule: { kind: 'tag', tag: 'newborn' },
    examples: [ex('出生3个月', { birthDate: '2026-02-01' }, true), ex('出生刚满1年', { birthDate: '2025-05-03' }, false), ex('还差一天满1年', { birthDate: '2025-05-04' }, true)],
  },
  {
    code: 'ageing_retrofit',
    name: '居家适老化改造',
    nameEn: 'Home adaptation for older people',
    category: 'elderly',
    department: '浦东新区民政局 / 街镇',
    description: '为60周岁以上老年人家庭提供防滑、扶手、坐便、照明等适老化改造；困难、高龄、独居、残疾老人家庭优先并享受补贴。',
    howToApply: '向居委会或街镇申请，由服务机构上门评估并出具改造方案。',
    documents: ['身份证', '房屋产权证或租赁证明'],
    autoGrant: false,
    validFrom: '2020-01-01',
    rule: { kind: 'all', conditions: [{ kind: 'age', min: 60 }, { kind: 'any', conditions: [{ kind: 'tag', tag: 'elderly' }, { kind: 'tag', tag: 'living_alone' }, { kind: 'tag', tag: 'disability' }, { kind: 'tag', tag: 'dibao' }, { kind: 'tag', tag: 'low_income' }] }] },
    examples: [ex('70岁独居', { birthDate: '1956-07-01', livesAlone: true }, true), ex('70岁与家人同住', { birthDate: '1956-07-01', livesAlone: false }, false)],
  },
  {
    code: 'bathing_assistance',
    name: '社区助浴',
    nameEn: 'Bathing assistance',
    category: 'elderly',
    department: '街镇社区综合为老服务中心',
    description: '为行动不便的高龄、独居或残疾老人提供助浴点助浴或上门助浴服务。',
    howToApply: '向居委会登记，由助浴服务机构预约时间。',
    documents: ['身份证'],
    autoGrant: false,
    validFrom: null,
    rule: { kind: 'any', conditions: [{ kind: 'all', conditions: [{ kind: 'tag', tag: 'elderly' }, { kind: 'tag', tag: 'living_alone' }] }, { kind: 'all', conditions: [{ kind: 'age', min: 60 }, { kind: 'tag', tag: 'disability' }] }] },
    examples: [ex('82岁独居', { birthDate: '1944-01-01', livesAlone: true }, true), ex('82岁与老伴同住', { birthDate: '1944-01-01', livesAlone: false }, false)],
  },
  {
    code: 'bereaved_support',
    name: '计划生育特殊家庭扶助',
    nameEn: 'Support for families who lost their only child',
    category: 'family',
    department: '浦东新区卫生健康委员会',
    description: '独生子女死亡（失独）家庭的父母，女方年满49周岁起按月领取特别扶助金，并享受就医绿色通道、家庭医生签约等关怀。',
    howToApply: '向居委会或街镇社区事务受理服务中心申请，卫健部门审核。',
    documents: ['身份证', '户口簿', '独生子女父母光荣证或相关证明', '子女死亡证明'],
    autoGrant: false,
    validFrom: null,
    rule: { kind: 'all', conditions: [{ kind: 'tag', tag: 'bereaved_parent' }, { kind: 'age', min: 49 }] },
    examples: [ex('失独，55岁', { birthDate: '1971-01-01', tags: [{ tag: 'bereaved_parent', observedOn: '2023-01-01', source: '卫健' }] }, true), ex('失独，45岁', { birthDate: '1981-01-01', tags: [{ tag: 'bereaved_parent', observedOn: '2023-01-01', source: '卫健' }] }, false)],
  },
];

export const SEED_REGION = PUDONG;
