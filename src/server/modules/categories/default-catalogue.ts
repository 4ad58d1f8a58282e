import type { DepartmentKind } from '../../../shared/departments.ts';
import {
  DEFAULT_RESPONSIBILITY,
  categoryTypeOfCode,
  type CategoryType,
  type ResponsibilityRule,
  type TimeLimits,
  type VerificationRule,
} from '../../../shared/categories.ts';
import type { TimeLimit } from '../../../shared/time-limits.ts';

/**
 * The default case category catalogue every installation starts with. It is configuration:
 * district administrators edit it in the console (each edit is a new version), and the seed only
 * ever adds codes that are missing, never overwrites an edited category.
 *
 * Scheme (README, "Case categories"):
 * - 部件 components `B`: the CJ/T 214 classes 01 公用设施 … 06 其它设施 with their sub-class codes
 *   as deployed systems use them (B0101 上水井盖);
 * - 事件 events `E`: 01 市容环境, 02 宣传广告, 03 施工管理, 04 突发事件, 05 街面秩序 — 04 is 突发事件
 *   and 05 街面秩序, the order of the reference list (some deployments swap them); sub-classes are
 *   numbered in the order of the reference list; 扩展事件 are served by the community classes;
 * - community matters `C` (居村委 and 12345 practice): C01 消防安全, C02 住宅小区管理, C03 环境卫生,
 *   C04 噪音扰民, C05 邻里与服务.
 * Sub-class 99 is 其他 in every class.
 *
 * Department kinds name who handles a case by default (see RESPONSIBILITY_RULES in
 * shared/categories.ts for how routing uses them). Components whose owner is not a department on the
 * platform (utilities, 路政, bus and post companies) default to `operations`: the operations centre of
 * the location relays them to the owner.
 */

const eh = (amount: number): TimeLimit => ({ amount, clock: 'emergency_working_hours' });
const wh = (amount: number): TimeLimit => ({ amount, clock: 'working_hours' });
const wd = (amount: number): TimeLimit => ({ amount, clock: 'working_days' });
const limits = (normal: TimeLimit, urgent: TimeLimit, critical: TimeLimit): TimeLimits => ({ normal, urgent, critical });

// Time limits (一般 / 紧急 / 特急). Reference points: 道路不洁 5 工作时, 暴露垃圾 1 工作日,
// 积存垃圾渣土 4 工作日, 违法搭建 15 工作日; 12345 at street level 咨询/建议 1 working day,
// 一般求助/投诉 5; urgent orders on site within about an hour. Critical limits that must run through
// nights and holidays use emergency hours (紧急工作时).
/** open, broken or missing covers are a fall hazard */
const MANHOLE = limits(wh(8), wh(4), eh(2));
/** cabinets, poles, power and telecom facilities */
const UTILITY = limits(wd(3), wd(1), eh(8));
const LIGHTING = limits(wd(2), wh(8), eh(4));
/** kiosks, booths, signs, benches */
const STREET_FURNITURE = limits(wd(5), wd(2), wd(1));
/** signals, traffic signs and guard rails */
const TRAFFIC_SAFETY = limits(wd(1), wh(4), eh(2));
/** bridges, underpasses, elevated roads */
const STRUCTURE = limits(wd(10), wd(3), eh(8));
/** toilets, refuse rooms, bins */
const SANITATION_FACILITY = limits(wd(1), wh(4), eh(4));
const GREENERY = limits(wd(5), wd(2), eh(8));
const ROAD_DIRTY = limits(wh(5), wh(2), eh(2));
const EXPOSED_WASTE = limits(wd(1), wh(4), eh(2));
const ACCUMULATED_WASTE = limits(wd(4), wd(2), eh(8));
const BULKY_WASTE = limits(wd(2), wd(1), eh(8));
const ILLEGAL_BUILDING = limits(wd(15), wd(5), wd(1));
/** a general complaint or request for help (12345: 5 working days) */
const COMPLAINT = limits(wd(5), wd(2), wd(1));
const ADVERTISING = limits(wd(2), wd(1), wh(4));
/** behaviour in the street that is over once the officer arrives */
const STREET_ORDER = limits(wh(2), wh(1), eh(1));
const PILED_MATERIAL = limits(wd(1), wh(4), eh(2));
const CONSTRUCTION = limits(wd(1), wh(4), eh(2));
const ROAD_DAMAGE = limits(wd(3), wd(1), eh(4));
const WATERWAY = limits(wd(2), wd(1), eh(8));
const URGENT_NUISANCE = limits(wh(4), wh(2), eh(1));
/** 突发事件 run on continuous hours at every urgency */
const EMERGENCY = limits(eh(4), eh(2), eh(1));
const HAZARD = limits(eh(2), eh(1), eh(1));
const FIRE_HAZARD = limits(wd(3), wd(1), eh(4));
const FIRE_LANE = limits(wd(1), wh(4), eh(1));
const REPAIR = limits(wd(3), wd(1), eh(4));
const LIFT = limits(wd(1), wh(4), eh(1));
const NOISE = limits(wd(1), wh(4), eh(1));
const CARE = limits(wd(2), wh(4), eh(1));
/** 12345: 咨询 / 建议 answered within 1 working day */
const CONSULTATION = limits(wd(1), wh(4), wh(2));

export interface DefaultLeaf {
  /** Two digits: the 小类 inside the class. */
  sub: string;
  name: string;
  nameEn: string;
  departmentKind: DepartmentKind;
  timeLimits: TimeLimits;
  keywords: string[];
  verification: VerificationRule;
  residentSelectable: boolean;
  /** Metres around a new report in which open cases of the category are offered as duplicates; 0 = off. */
  duplicateRadiusM: number;
  responsibility: ResponsibilityRule;
}

export interface DefaultClass {
  /** Three characters: type letter + 大类. */
  code: string;
  type: CategoryType;
  name: string;
  nameEn: string;
  leaves: DefaultLeaf[];
}

type LeafOptions = Partial<Pick<DefaultLeaf, 'verification' | 'residentSelectable' | 'duplicateRadiusM' | 'responsibility'>>;
type ClassDefaults = Pick<DefaultLeaf, 'verification' | 'residentSelectable' | 'duplicateRadiusM'>;
type LeafRow = [sub: string, name: string, nameEn: string, kind: DepartmentKind, timeLimits: TimeLimits, keywords: string[], options?: LeafOptions];

function cls(code: string, name: string, nameEn: string, defaults: ClassDefaults, rows: LeafRow[]): DefaultClass {
  const type = categoryTypeOfCode(code);
  if (!type) throw new Error(`category class ${code} has no type letter`);
  return {
    code,
    type,
    name,
    nameEn,
    leaves: rows.map(([sub, leafName, leafNameEn, departmentKind, timeLimits, keywords, options = {}]) => ({
      sub,
      name: leafName,
      nameEn: leafNameEn,
      departmentKind,
      timeLimits,
      keywords,
      responsibility: DEFAULT_RESPONSIBILITY[type],
      ...defaults,
      ...options,
    })),
  };
}

const RESIDENT = { residentSelectable: true } as const;

// 部件 components ─ found mostly by patrols (监督员) and verified by them; residents get the few
// they can tell apart (a resident sees "a manhole cover", not whose it is: 不明井盖).

const B01 = cls('B01', '公用设施', 'Public utilities', { verification: 'patrol', residentSelectable: false, duplicateRadiusM: 30 }, [
  ['01', '上水井盖', 'Water-supply manhole cover', 'water', MANHOLE, ['自来水井盖', '井盖破损', '井盖缺失']],
  ['02', '污水井盖', 'Sewage manhole cover', 'water', MANHOLE, ['污水井', '井盖破损', '井盖缺失']],
  ['03', '雨水井盖', 'Storm-drain manhole cover', 'water', MANHOLE, ['雨水井', '井盖破损', '井盖缺失']],
  ['04', '雨水箅子', 'Storm-drain grate', 'water', MANHOLE, ['雨水篦子', '排水口', '箅子缺失']],
  ['05', '电力井盖', 'Power manhole cover', 'operations', MANHOLE, ['电力井', '供电井盖']],
  ['06', '路灯井盖', 'Street-lighting manhole cover', 'operations', MANHOLE, ['路灯井']],
  ['07', '电信井盖', 'Telecom manhole cover', 'operations', MANHOLE, ['通信井盖', '电信井']],
  ['08', '有线电视井盖', 'Cable TV manhole cover', 'operations', MANHOLE, ['有线电视井', '广电井盖']],
  ['09', '网络井盖', 'Network manhole cover', 'operations', MANHOLE, ['网络井', '光缆井']],
  ['10', '热力井盖', 'Heating manhole cover', 'operations', MANHOLE, ['热力井', '供热井盖']],
  ['11', '燃气井盖', 'Gas manhole cover', 'operations', MANHOLE, ['煤气井盖', '燃气井'], { duplicateRadiusM: 50 }],
  ['12', '公安井盖', 'Police manhole cover', 'police', MANHOLE, ['公安井', '监控井']],
  ['13', '消防设施', 'Fire hydrant or fire-fighting facility', 'fire', TRAFFIC_SAFETY, ['消火栓', '消防栓', '灭火器'], RESIDENT],
  ['14', '不明井盖', 'Manhole cover of unknown owner', 'operations', MANHOLE, ['井盖', '井盖破损', '井盖缺失', '井盖松动'], RESIDENT],
  ['15', '电信交接箱', 'Telecom cross-connect cabinet', 'operations', UTILITY, ['交接箱', '通信箱']],
  ['16', '电力设施', 'Power facility', 'operations', UTILITY, ['变电箱', '配电箱', '电箱']],
  ['17', '电杆', 'Utility pole', 'operations', UTILITY, ['电线杆', '线杆倾斜']],
  ['18', '路灯', 'Street light', 'operations', LIGHTING, ['路灯不亮', '路灯损坏', '灯杆'], { residentSelectable: true, duplicateRadiusM: 100 }],
  ['19', '地灯', 'Ground light', 'greening_sanitation', LIGHTING, ['景观地灯']],
  ['20', '射灯', 'Floodlight', 'greening_sanitation', LIGHTING, ['景观射灯', '投光灯']],
  ['21', '报刊亭', 'News kiosk', 'operations', STREET_FURNITURE, ['书报亭']],
  ['22', '电话亭', 'Telephone booth', 'operations', STREET_FURNITURE, ['公用电话']],
  ['23', '邮筒', 'Postbox', 'operations', STREET_FURNITURE, ['信筒', '邮箱']],
  ['24', '信息亭', 'Information kiosk', 'operations', STREET_FURNITURE, ['信息屏']],
  ['25', '自动售货亭', 'Vending kiosk', 'market_regulation', STREET_FURNITURE, ['售货机', '售货亭']],
  ['26', '健身设施', 'Outdoor fitness equipment', 'operations', STREET_FURNITURE, ['健身器材', '健身路径'], { residentSelectable: true, duplicateRadiusM: 50 }],
  ['99', '其他公用设施', 'Other public utility', 'operations', UTILITY, ['公用设施']],
]);

const B02 = cls('B02', '道路交通', 'Roads and traffic', { verification: 'patrol', residentSelectable: false, duplicateRadiusM: 100 }, [
  ['01', '停车场', 'Car park', 'operations', STREET_FURNITURE, ['停车场设施', '道闸']],
  ['02', '停车咪表', 'Parking meter', 'operations', STREET_FURNITURE, ['咪表', '收费表']],
  ['03', '公交站亭', 'Bus shelter', 'operations', STREET_FURNITURE, ['公交站', '候车亭', '站牌'], RESIDENT],
  ['04', '出租车站牌', 'Taxi stand sign', 'operations', STREET_FURNITURE, ['出租车候客点', '扬招点']],
  ['05', '过街天桥', 'Pedestrian bridge', 'operations', STRUCTURE, ['人行天桥', '天桥'], { residentSelectable: true, duplicateRadiusM: 200 }],
  ['06', '地下通道', 'Pedestrian underpass', 'operations', STRUCTURE, ['地道', '人行地道'], { residentSelectable: true, duplicateRadiusM: 200 }],
  ['07', '高架立交桥', 'Elevated road or interchange', 'operations', STRUCTURE, ['高架', '立交'], { duplicateRadiusM: 300 }],
  ['08', '跨河桥', 'River bridge', 'operations', STRUCTURE, ['桥梁', '桥栏'], { duplicateRadiusM: 200 }],
  ['09', '交通标志牌', 'Traffic sign', 'police', TRAFFIC_SAFETY, ['交通标志', '指示牌', '标志牌倒'], RESIDENT],
  ['10', '交通控制箱', 'Traffic control cabinet', 'police', TRAFFIC_SAFETY, ['信号控制箱']],
  ['11', '交通护栏', 'Traffic guard rail', 'police', TRAFFIC_SAFETY, ['护栏', '隔离栏', '隔离栏损坏'], RESIDENT],
  ['12', '存车支架', 'Bicycle rack', 'operations', STREET_FURNITURE, ['自行车架', '非机动车停放架']],
  ['13', '路名牌', 'Street-name sign', 'civil_affairs', STREET_FURNITURE, ['路牌', '地名牌'], RESIDENT],
  ['14', '交通信号灯', 'Traffic signal', 'police', TRAFFIC_SAFETY, ['红绿灯', '信号灯不亮', '信号灯故障'], { residentSelectable: true, duplicateRadiusM: 50 }],
  ['99', '其他道路交通设施', 'Other road or traffic facility', 'operations', STREET_FURNITURE, ['交通设施']],
]);

const B03 = cls('B03', '市容环境', 'City-appearance facilities', { verification: 'patrol', residentSelectable: false, duplicateRadiusM: 50 }, [
  ['01', '公共厕所', 'Public toilet', 'greening_sanitation', SANITATION_FACILITY, ['公厕', '厕所脏', '厕所堵塞'], RESIDENT],
  ['02', '公厕化粪池', 'Public-toilet septic tank', 'greening_sanitation', SANITATION_FACILITY, ['化粪池', '粪水外溢']],
  ['03', '公厕指示牌', 'Public-toilet sign', 'greening_sanitation', STREET_FURNITURE, ['厕所指示牌']],
  ['04', '垃圾间', 'Refuse room', 'greening_sanitation', SANITATION_FACILITY, ['垃圾房', '垃圾厢房'], RESIDENT],
  ['05', '垃圾箱', 'Litter bin', 'greening_sanitation', SANITATION_FACILITY, ['垃圾桶', '果皮箱', '垃圾桶损坏'], RESIDENT],
  ['06', '灯箱霓虹灯', 'Light box or neon sign', 'greening_sanitation', STREET_FURNITURE, ['灯箱', '霓虹灯']],
  ['07', '广告牌匾', 'Advertising board or shop sign', 'greening_sanitation', STREET_FURNITURE, ['店招', '招牌', '广告牌松动'], RESIDENT],
  ['08', '环境监测塔', 'Environmental monitoring station', 'environment', UTILITY, ['空气监测站', '监测设备']],
  ['99', '其他市容环境设施', 'Other city-appearance facility', 'greening_sanitation', STREET_FURNITURE, ['市容设施']],
]);

const B04 = cls('B04', '园林绿化', 'Landscaping and greenery', { verification: 'patrol', residentSelectable: false, duplicateRadiusM: 50 }, [
  ['01', '古树名木', 'Ancient or notable tree', 'greening_sanitation', GREENERY, ['古树', '名木', '古树枯死'], RESIDENT],
  ['02', '行道树', 'Street tree', 'greening_sanitation', GREENERY, ['树木倒伏', '树枝断裂', '枯树'], RESIDENT],
  ['03', '树池箅子', 'Tree-pit grate', 'greening_sanitation', GREENERY, ['树池', '树穴盖板']],
  ['04', '花架花钵', 'Planter or flower stand', 'greening_sanitation', GREENERY, ['花箱', '花盆', '花坛']],
  ['05', '绿地', 'Green space', 'greening_sanitation', GREENERY, ['草坪', '绿化带', '绿化损坏'], { residentSelectable: true, duplicateRadiusM: 100 }],
  ['06', '雕塑', 'Sculpture', 'greening_sanitation', STREET_FURNITURE, ['城市雕塑', '景观小品']],
  ['07', '街头座椅', 'Street bench', 'greening_sanitation', STREET_FURNITURE, ['座椅', '长椅', '休闲椅'], RESIDENT],
  ['99', '其他园林绿化设施', 'Other landscaping facility', 'greening_sanitation', GREENERY, ['绿化设施']],
]);

const B05 = cls('B05', '房屋土地', 'Buildings and land', { verification: 'patrol', residentSelectable: false, duplicateRadiusM: 50 }, [
  ['01', '宣传栏', 'Notice board', 'operations', STREET_FURNITURE, ['公告栏', '宣传橱窗']],
  ['02', '人防工事', 'Civil air-defence works', 'operations', UTILITY, ['防空洞', '人防设施']],
  ['03', '公房地下室', 'Public-housing basement', 'housing', REPAIR, ['地下室', '地下室积水']],
  ['99', '其他房屋土地设施', 'Other building or land facility', 'housing', STREET_FURNITURE, ['房屋设施']],
]);

const B06 = cls('B06', '其它设施', 'Other facilities', { verification: 'patrol', residentSelectable: false, duplicateRadiusM: 50 }, [
  ['99', '其他设施', 'Other facility', 'operations', STREET_FURNITURE, ['设施损坏']],
]);

// 事件 events ─ locality first; patrols verify on site.

const E01 = cls('E01', '市容环境', 'City appearance', { verification: 'patrol', residentSelectable: true, duplicateRadiusM: 100 }, [
  ['01', '私搭乱建', 'Unauthorised structure', 'urban_management', ILLEGAL_BUILDING, ['违法建筑', '违章建筑', '乱搭建', '搭棚'], { duplicateRadiusM: 50 }],
  ['02', '暴露垃圾', 'Exposed rubbish', 'greening_sanitation', EXPOSED_WASTE, ['垃圾', '乱扔垃圾', '垃圾没人清']],
  ['03', '积存垃圾渣土', 'Accumulated rubbish or spoil', 'greening_sanitation', ACCUMULATED_WASTE, ['渣土', '垃圾堆积', '建筑垃圾']],
  ['04', '道路不洁', 'Dirty road', 'greening_sanitation', ROAD_DIRTY, ['路面脏', '道路保洁', '油污'], { duplicateRadiusM: 200 }],
  ['05', '水域不洁', 'Polluted water surface', 'water', WATERWAY, ['河道垃圾', '水面漂浮物', '河水发臭'], { duplicateRadiusM: 300 }],
  ['06', '绿地脏乱', 'Littered green space', 'greening_sanitation', EXPOSED_WASTE, ['绿化带垃圾', '绿地垃圾']],
  ['07', '废弃车辆', 'Abandoned vehicle', 'urban_management', COMPLAINT, ['僵尸车', '废旧车辆', '报废车'], { duplicateRadiusM: 50 }],
  ['08', '废弃家具设施', 'Discarded furniture', 'greening_sanitation', BULKY_WASTE, ['大件垃圾', '旧家具', '旧沙发']],
  ['09', '非装饰性树挂', 'Objects hung on trees', 'urban_management', ADVERTISING, ['树上挂衣', '树挂', '树上晾晒']],
  ['10', '道路破损', 'Damaged road surface', 'operations', ROAD_DAMAGE, ['路面坑洞', '人行道破损', '地砖松动', '坑洼'], { duplicateRadiusM: 200 }],
  ['11', '河堤破损', 'Damaged riverbank', 'water', STRUCTURE, ['护岸破损', '驳岸'], { duplicateRadiusM: 300 }],
  ['12', '道路遗撒', 'Spillage on the road', 'urban_management', ROAD_DIRTY, ['渣土车遗撒', '撒漏', '泥浆'], { duplicateRadiusM: 200 }],
  ['13', '建筑物外立面不洁', 'Dirty building facade', 'urban_management', COMPLAINT, ['外墙脏', '外立面污损'], { duplicateRadiusM: 50 }],
  ['14', '水域秩序问题', 'Disorder on a waterway', 'water', WATERWAY, ['河道违法捕捞', '船只乱停', '河道占用'], { duplicateRadiusM: 300 }],
  ['15', '焚烧树叶垃圾', 'Burning leaves or rubbish', 'urban_management', STREET_ORDER, ['焚烧垃圾', '烧树叶', '冒烟'], { duplicateRadiusM: 200 }],
  ['16', '油烟污染', 'Cooking-fume pollution', 'environment', COMPLAINT, ['油烟', '餐饮油烟', '排烟']],
  ['17', '动物尸体清理', 'Animal carcass removal', 'greening_sanitation', URGENT_NUISANCE, ['死猫', '死狗', '动物死亡']],
  ['18', '私自饲养家禽家畜', 'Keeping poultry or livestock', 'urban_management', COMPLAINT, ['养鸡', '养鸽子', '家禽']],
  ['99', '其他市容环境问题', 'Other city-appearance problem', 'urban_management', COMPLAINT, ['市容']],
]);

const E02 = cls('E02', '宣传广告', 'Publicity and advertising', { verification: 'patrol', residentSelectable: true, duplicateRadiusM: 100 }, [
  ['01', '非法小广告', 'Illegal small adverts', 'urban_management', ADVERTISING, ['小广告', '牛皮癣', '乱贴', '涂写']],
  ['02', '违章张贴悬挂广告牌匾', 'Unauthorised posters, banners or signs', 'urban_management', ADVERTISING, ['横幅', '乱挂广告', '违规招牌'], { duplicateRadiusM: 50 }],
  ['03', '占道广告牌', 'Advertising board on the pavement', 'urban_management', PILED_MATERIAL, ['占道广告', '立牌', '易拉宝'], { duplicateRadiusM: 50 }],
  ['04', '街头散发广告', 'Handing out flyers in the street', 'urban_management', STREET_ORDER, ['发传单', '散发传单']],
  ['05', '广告招牌破损', 'Damaged advertising sign', 'urban_management', limits(wd(2), wd(1), eh(2)), ['招牌破损', '招牌掉落', '广告牌脱落'], { duplicateRadiusM: 50 }],
  ['99', '其他宣传广告问题', 'Other advertising problem', 'urban_management', ADVERTISING, ['广告']],
]);

const E03 = cls('E03', '施工管理', 'Construction sites', { verification: 'patrol', residentSelectable: true, duplicateRadiusM: 200 }, [
  ['01', '施工扰民', 'Construction disturbing residents', 'urban_management', CONSTRUCTION, ['夜间施工', '施工噪音', '工地噪声']],
  ['02', '工地扬尘', 'Dust from a construction site', 'urban_management', CONSTRUCTION, ['扬尘', '灰尘大', '未覆盖'], { duplicateRadiusM: 300 }],
  ['03', '施工废弃料', 'Construction waste', 'urban_management', BULKY_WASTE, ['建筑废料', '施工垃圾']],
  ['04', '施工占道', 'Construction occupying the road', 'urban_management', CONSTRUCTION, ['围挡占道', '施工围挡']],
  ['05', '无证掘路', 'Digging up a road without a permit', 'urban_management', URGENT_NUISANCE, ['挖路', '开挖路面', '掘路']],
  ['99', '其他施工管理问题', 'Other construction problem', 'urban_management', CONSTRUCTION, ['工地']],
]);

const E04 = cls('E04', '突发事件', 'Emergencies', { verification: 'patrol', residentSelectable: true, duplicateRadiusM: 200 }, [
  ['01', '路面塌陷', 'Road collapse', 'operations', EMERGENCY, ['塌陷', '地面下沉', '路面塌方']],
  ['02', '自来水管破裂', 'Burst water main', 'water', EMERGENCY, ['爆管', '水管爆裂', '冒水']],
  ['03', '燃气管道破裂', 'Gas pipe rupture', 'operations', HAZARD, ['煤气泄漏', '燃气泄漏', '闻到煤气味'], { duplicateRadiusM: 300 }],
  ['04', '下水道堵塞或破损', 'Blocked or broken sewer', 'water', MANHOLE, ['下水道堵塞', '污水外溢', '管道堵塞'], { duplicateRadiusM: 100 }],
  ['05', '热力管道破裂', 'Heating pipe rupture', 'operations', EMERGENCY, ['热力管道', '蒸汽泄漏']],
  ['06', '道路积水', 'Waterlogged road', 'water', EMERGENCY, ['积水', '水淹', '暴雨积水'], { duplicateRadiusM: 300 }],
  ['07', '道路积雪结冰', 'Snow or ice on the road', 'greening_sanitation', EMERGENCY, ['结冰', '积雪', '路滑'], { duplicateRadiusM: 300 }],
  ['08', '架空线缆损坏', 'Damaged overhead cables', 'operations', EMERGENCY, ['电线掉落', '线缆垂落', '飞线'], { duplicateRadiusM: 100 }],
  ['09', '群发性事件', 'Mass incident', 'police', HAZARD, ['聚集', '群体事件'], { residentSelectable: false, duplicateRadiusM: 500 }],
  ['99', '其他突发事件', 'Other emergency', 'operations', EMERGENCY, ['突发']],
]);

const E05 = cls('E05', '街面秩序', 'Street order', { verification: 'patrol', residentSelectable: true, duplicateRadiusM: 100 }, [
  ['01', '无照经营游商', 'Unlicensed street vendor', 'urban_management', STREET_ORDER, ['无证摊贩', '流动摊贩', '游商', '摆摊']],
  ['02', '流浪乞讨', 'Begging and homelessness', 'civil_affairs', URGENT_NUISANCE, ['乞讨', '流浪人员', '露宿'], { duplicateRadiusM: 200 }],
  ['03', '占道废品收购', 'Scrap collection on the pavement', 'urban_management', STREET_ORDER, ['收废品', '废品回收占道']],
  ['04', '店外经营', 'Trading outside the shop', 'urban_management', STREET_ORDER, ['跨门营业', '出店经营', '占道经营'], { duplicateRadiusM: 50 }],
  ['05', '机动车乱停放', 'Illegally parked car', 'police', STREET_ORDER, ['违章停车', '乱停车', '占用人行道停车'], { duplicateRadiusM: 50 }],
  ['06', '非机动车乱停放', 'Badly parked bicycles and e-bikes', 'urban_management', STREET_ORDER, ['共享单车乱停', '电动车乱停'], { duplicateRadiusM: 50 }],
  ['07', '乱堆物料', 'Materials piled in public space', 'urban_management', PILED_MATERIAL, ['乱堆放', '占道堆物', '堆放杂物'], { duplicateRadiusM: 50 }],
  ['08', '商业噪音', 'Commercial noise', 'urban_management', NOISE, ['高音喇叭', '店铺音响', '叫卖声']],
  ['09', '黑车拉客', 'Unlicensed taxi touting', 'police', STREET_ORDER, ['黑车', '非法营运', '拉客'], { duplicateRadiusM: 200 }],
  ['10', '露天烧烤', 'Open-air barbecue', 'urban_management', STREET_ORDER, ['烧烤', '夜宵摊', '烧烤油烟']],
  ['11', '沿街晾挂', 'Laundry hung along the street', 'urban_management', PILED_MATERIAL, ['晾衣服', '晾晒', '乱晾晒'], { duplicateRadiusM: 50 }],
  ['12', '非法出版物销售', 'Selling illegal publications', 'market_regulation', STREET_ORDER, ['盗版书', '非法光盘']],
  ['13', '空调室外机低挂', 'Low-mounted air-conditioner unit', 'urban_management', COMPLAINT, ['空调外机', '外机滴水', '外机太低'], { duplicateRadiusM: 30 }],
  ['99', '其他街面秩序问题', 'Other street-order problem', 'urban_management', STREET_ORDER, ['街面秩序']],
]);

// Community matters ─ inside residential compounds (居村委, 12345). The committee verifies unless the
// reporter can tell best whether it is fixed (a cleared stairwell, a repaired leak, quiet at night).

const C01 = cls('C01', '消防安全', 'Fire safety', { verification: 'committee', residentSelectable: true, duplicateRadiusM: 50 }, [
  // The demo loop: a 楼道堆物 case in 陆家嘴 goes to 陆家嘴城管执法中队 and the resident confirms the fix.
  ['01', '楼道堆物', 'Items stored in stairwells and corridors', 'urban_management', FIRE_HAZARD, ['楼道堆放', '楼道杂物', '堆物', '走廊堆物', '消防隐患'], { verification: 'reporter' }],
  ['02', '消防通道占用', 'Blocked fire lane', 'urban_management', FIRE_LANE, ['消防通道', '堵塞通道', '占用消防车道', '消防车道停车'], { verification: 'reporter', duplicateRadiusM: 100 }],
  ['03', '电动车进楼入户', 'E-bikes taken into buildings or flats', 'urban_management', FIRE_HAZARD, ['电瓶车进楼', '电动车上楼', '电梯里电动车'], { duplicateRadiusM: 30 }],
  ['04', '飞线充电', 'Dangling-cable charging of e-bikes', 'urban_management', limits(wd(1), wh(4), eh(2)), ['私拉电线', '拉线充电', '电动车充电', '楼上拉线']],
  ['05', '消防设施损坏', 'Damaged fire equipment in a compound', 'property_management', REPAIR, ['灭火器过期', '消火栓损坏', '烟感损坏', '应急灯'], { responsibility: 'owner_first', duplicateRadiusM: 30 }],
  ['99', '其他消防安全隐患', 'Other fire hazard', 'fire', FIRE_HAZARD, ['火灾隐患', '消防']],
]);

const C02 = cls('C02', '住宅小区管理', 'Residential compound management', { verification: 'committee', residentSelectable: true, duplicateRadiusM: 50 }, [
  ['01', '群租', 'Overcrowded subletting', 'housing', COMPLAINT, ['群租房', '隔断间', '一房多租', '住很多人'], { duplicateRadiusM: 30 }],
  ['02', '违章搭建', 'Unauthorised construction in a compound', 'urban_management', ILLEGAL_BUILDING, ['违建', '搭阳光房', '屋顶加建', '破墙开店'], { duplicateRadiusM: 30 }],
  ['03', '漏水渗水', 'Water leaks and seepage', 'property_management', REPAIR, ['漏水', '渗水', '楼上漏水', '墙面渗水'], { verification: 'reporter', duplicateRadiusM: 30 }],
  ['04', '电梯故障', 'Lift breakdown', 'property_management', LIFT, ['电梯坏了', '电梯停运', '困梯', '电梯异响'], { verification: 'reporter', duplicateRadiusM: 30 }],
  ['05', '物业服务纠纷', 'Dispute with the property management company', 'housing', COMPLAINT, ['物业不作为', '物业费', '物业服务差']],
  ['06', '高空抛物', 'Objects thrown from height', 'police', limits(wd(2), wd(1), eh(2)), ['高空坠物', '扔东西', '楼上扔垃圾'], { duplicateRadiusM: 30 }],
  ['07', '小区停车难', 'Parking problems in a compound', 'property_management', COMPLAINT, ['乱停车', '停车位', '小区停车'], { verification: 'reporter' }],
  ['08', '绿化毁损', 'Damaged greenery in a compound', 'property_management', COMPLAINT, ['毁绿种菜', '绿地被占', '砍树']],
  ['09', '公共设施损坏', 'Damaged shared facilities', 'property_management', REPAIR, ['楼道灯不亮', '健身器材损坏', '门禁损坏', '小区路灯'], { verification: 'reporter' }],
  ['99', '其他小区管理问题', 'Other compound-management problem', 'housing', COMPLAINT, ['小区管理']],
]);

const C03 = cls('C03', '环境卫生', 'Sanitation in compounds', { verification: 'committee', residentSelectable: true, duplicateRadiusM: 50 }, [
  ['01', '垃圾分类混投', 'Unsorted household waste', 'greening_sanitation', limits(wd(2), wd(1), wh(4)), ['垃圾分类', '混投', '乱倒垃圾', '湿垃圾']],
  ['02', '垃圾满溢', 'Overflowing bins', 'greening_sanitation', URGENT_NUISANCE, ['垃圾桶满了', '垃圾溢出', '垃圾没清运'], { verification: 'reporter' }],
  ['03', '小区环境脏乱', 'Litter and dirt in a compound', 'property_management', EXPOSED_WASTE, ['小区脏', '卫生差', '没人打扫'], { verification: 'reporter' }],
  ['04', '病媒生物', 'Pests (rats, cockroaches, mosquitoes)', 'health', COMPLAINT, ['老鼠', '蟑螂', '蚊子', '白蚁'], { duplicateRadiusM: 100 }],
  ['99', '其他环境卫生问题', 'Other sanitation problem', 'greening_sanitation', COMPLAINT, ['环境卫生']],
]);

const C04 = cls('C04', '噪音扰民', 'Noise nuisance', { verification: 'reporter', residentSelectable: true, duplicateRadiusM: 50 }, [
  ['01', '装修噪音', 'Renovation noise', 'urban_management', NOISE, ['装修', '电钻', '敲墙', '周末装修']],
  ['02', '广场舞噪音', 'Square-dancing noise', 'police', NOISE, ['广场舞', '跳舞音乐', '音响太响'], { duplicateRadiusM: 200 }],
  ['03', '宠物扰民', 'Pet nuisance', 'police', COMPLAINT, ['狗叫', '遛狗不牵绳', '宠物粪便', '养狗']],
  ['04', '邻里生活噪音', 'Household noise from neighbours', 'police', NOISE, ['楼上噪音', '半夜吵闹', '邻居吵'], { duplicateRadiusM: 30 }],
  ['99', '其他噪音扰民', 'Other noise nuisance', 'environment', NOISE, ['噪音', '吵']],
]);

const C05 = cls('C05', '邻里与服务', 'Neighbours and services', { verification: 'committee', residentSelectable: true, duplicateRadiusM: 0 }, [
  // Handled by the committee itself; the street operations centre relays to 司法所 (人民调解) when it escalates.
  ['01', '邻里纠纷', 'Dispute between neighbours', 'operations', COMPLAINT, ['邻居矛盾', '纠纷调解', '吵架']],
  ['02', '独居老人关爱', 'Care for an elderly person living alone', 'civil_affairs', CARE, ['独居老人', '孤老', '老人没人照顾', '好几天没见']],
  ['03', '困难帮扶', 'Help for a household in difficulty', 'civil_affairs', COMPLAINT, ['低保', '生活困难', '救助', '帮扶']],
  ['04', '政策咨询', 'Policy enquiry', 'operations', CONSULTATION, ['咨询', '怎么办理', '政策', '补贴'], { verification: 'none' }],
  ['05', '意见建议', 'Suggestion', 'operations', CONSULTATION, ['建议', '意见', '希望'], { verification: 'none' }],
  ['99', '其他社区事项', 'Other community matter', 'operations', COMPLAINT, ['社区']],
]);

/** The default catalogue, classes in code order. */
export const DEFAULT_CATALOGUE: readonly DefaultClass[] = [B01, B02, B03, B04, B05, B06, E01, E02, E03, E04, E05, C01, C02, C03, C04, C05];

/** Where the default catalogue comes from, as recorded in the audit entry of the import. */
export const DEFAULT_CATALOGUE_SOURCE = 'gongzhi-default-catalogue@1';
