/**
 * The words of the synthetic demo (演示数据): what people report, by category, and what desks and
 * units write back. Written for the demo in everyday Chinese (a few sentences adapted from the
 * classifier's seed corpus); every person, room and phone number is invented. Placeholders:
 * {n} and {m} a building number, {r} a flat, {road} a street of the case's 街道.
 */

/** How long the unit usually takes: hours, a day or two, about a week. */
export type Pace = 'hours' | 'days' | 'week';
/** Where a category is reported: any committee of the demo streets, or only the two compounds whose property companies are on the platform. */
export type Where = 'any' | 'lujiazui' | 'compounds';

export interface DemoTopic {
  code: string;
  pace: Pace;
  where: Where;
  /** How often it comes up, relative. */
  weight: number;
  reports: readonly string[];
  results: readonly string[];
}

export const DEMO_TOPICS: readonly DemoTopic[] = [
  {
    code: 'C0101',
    pace: 'days',
    where: 'any',
    weight: 9,
    reports: [
      '{n}号楼三楼楼道里堆了好几个旧纸箱和一张旧床垫，上下楼要侧着身子走',
      '{n}号楼一楼楼梯下面堆满了废品，纸板、泡沫、塑料瓶都有，怕着火',
      '我们单元五楼走廊被邻居放了鞋柜和两辆童车，过道堵了一半',
      '{n}号楼顶楼平台堆了很多旧家具，说了几次也没人清理',
      '{n}号楼楼道转角堆着好几袋装修垃圾，已经放了一个多星期',
      '{n}号楼二楼住户在楼道里放了一台冰柜，还接着电',
    ],
    results: ['已会同物业清理楼道堆物，共清出纸箱、旧家具约两车，并张贴消防安全告知书', '已约谈住户，堆物当场自行清理完毕，楼道恢复畅通'],
  },
  {
    code: 'C0102',
    pace: 'hours',
    where: 'any',
    weight: 4,
    reports: [
      '小区{n}号楼旁边的消防车道晚上停满了私家车，消防车根本进不来',
      '消防通道上被人放了几个大石墩和花箱，只剩一条缝',
      '小区东门的消防通道天天被快递车和外卖电动车堵着',
      '物业把{n}号楼后面消防通道的铁门上了锁，找不到人开',
    ],
    results: ['已通知车主挪车，物业在消防车道施划禁停标线并加强巡查', '已督促物业移除通道上的石墩和花箱，铁门改为可从内侧开启'],
  },
  {
    code: 'C0103',
    pace: 'days',
    where: 'any',
    weight: 3,
    reports: [
      '{n}号楼有住户每天把电动车推进电梯带回家充电',
      '{n}号楼楼道里停了三四辆电瓶车，晚上还插着电，很危险',
      '有人把电动自行车停在{n}号楼一楼大堂充电，物业也不管',
    ],
    results: ['已上门宣传电动自行车安全规定，住户承诺到小区集中充电点充电', '已清走楼道内电动车，电梯加装电动车阻车装置'],
  },
  {
    code: 'C0104',
    pace: 'hours',
    where: 'any',
    weight: 5,
    reports: [
      '{n}号楼四楼窗户吊下来一根电线给楼下电动车充电',
      '小区里有人从一楼窗口私拉电线充电，插线板就放在地上，下雨天很危险',
      '{n}号楼和{m}号楼之间拉了好几根充电线，晚上有人被绊到',
      '树上挂着插线板给电瓶车充电，电线横在人行道上',
    ],
    results: ['已拆除飞线，告知住户使用小区充电桩，并纳入日常巡查', '现场剪除私拉电线两处，对住户进行了安全教育'],
  },
  {
    code: 'C0201',
    pace: 'week',
    where: 'lujiazui',
    weight: 3,
    reports: [
      '{n}号楼{r}室好像在群租，一套两居室住了十来个人，进进出出很乱',
      '{n}号楼有一户隔成了好几个小间出租，楼道里经常有陌生人',
      '楼下那套房子被二房东隔断出租，晚上吵到一两点，卫生也很差',
    ],
    results: ['已会同派出所、居委上门核查，责令拆除隔断，恢复原始格局，租客已搬离', '已约谈房东和二房东，签订整改承诺书，隔断已拆除'],
  },
  {
    code: 'C0202',
    pace: 'week',
    where: 'any',
    weight: 2,
    reports: [
      '{n}号楼一楼住户在自家花园里搭了个阳光房，还在往外扩',
      '{n}号楼顶楼住户在屋顶平台加建了一间彩钢板房',
      '{n}号楼底楼有人破墙开门，看样子准备开小店',
    ],
    results: ['已立案查处，当事人自行拆除违法搭建部分', '已下达责令限期改正通知书，破墙开门处已恢复原状'],
  },
  {
    code: 'C0203',
    pace: 'days',
    where: 'compounds',
    weight: 4,
    reports: [
      '楼上卫生间漏水，我家{n}号楼{r}室天花板一直在滴水',
      '{n}号楼外墙渗水，下雨后卧室墙面发霉起皮',
      '{n}号楼楼道里的水管接口漏水，地面一直是湿的，老人容易滑倒',
      '厨房顶上渗水好几天了，楼上没人在家，联系不上',
    ],
    results: ['已联系楼上住户，维修人员更换了卫生间防水层和下水管接口，渗水已止', '已更换楼道水管接口，地面清理干净'],
  },
  {
    code: 'C0204',
    pace: 'hours',
    where: 'compounds',
    weight: 4,
    reports: [
      '{n}号楼电梯又坏了，停在八楼不动，老人上不去',
      '{n}号楼电梯运行时有很大的异响，还一顿一顿的，不敢坐',
      '{n}号楼电梯门关不上，报修两天了还没修好',
    ],
    results: ['维保单位已更换门机皮带并调试，电梯恢复运行', '已检修曳引机和导靴，异响消除，经检测运行正常'],
  },
  {
    code: 'C0205',
    pace: 'week',
    where: 'lujiazui',
    weight: 2,
    reports: [
      '物业费照交，小区绿化没人修剪，保洁也经常不来',
      '物业公司擅自提高停车管理费，也没有开业主大会',
      '报修一个多星期物业都没派人来，打电话也推来推去',
    ],
    results: ['房管办已约谈物业公司，明确整改清单并限期落实，业委会参与监督', '已组织业委会与物业协商，停车费调整暂缓执行，待业主大会表决'],
  },
  {
    code: 'C0206',
    pace: 'days',
    where: 'any',
    weight: 2,
    reports: [
      '{n}号楼有人从楼上往下扔垃圾袋，差点砸到楼下的小孩',
      '楼上经常扔烟头和果皮下来，晾在下面的衣服都被烫了洞',
      '{n}号楼高层有人往下扔啤酒瓶，地上都是碎玻璃',
    ],
    results: ['民警已走访排查，锁定住户并进行法制教育，物业加装了高空抛物监控', '已调取监控确认抛物楼层，对当事人进行了批评教育'],
  },
  {
    code: 'C0207',
    pace: 'week',
    where: 'compounds',
    weight: 2,
    reports: [
      '小区里车越停越多，晚上回来根本找不到车位，还有外来车辆进来停',
      '有人长期把车停在{n}号楼门口的绿化边上，挡住了出入',
    ],
    results: ['物业已加强门岗管理，外来车辆登记限时停放，夜间增加巡查', '已联系车主挪车，该处增设了隔离桩'],
  },
  {
    code: 'C0209',
    pace: 'days',
    where: 'compounds',
    weight: 4,
    reports: [
      '{n}号楼楼道灯坏了好久，晚上上楼一片漆黑',
      '小区门禁坏了，谁都能进来',
      '小区健身区的单杠松了，小孩玩的时候晃得厉害',
      '{n}号楼单元门的闭门器坏了，门一直关不上',
    ],
    results: ['已更换楼道声控灯六盏，照明恢复', '已维修门禁主板，门禁恢复正常使用', '已紧固健身器材底座螺栓，并张贴安全使用提示'],
  },
  {
    code: 'C0301',
    pace: 'days',
    where: 'any',
    weight: 2,
    reports: [
      '{n}号楼旁边的湿垃圾桶里经常混着塑料袋和快递盒，分类没人管',
      '垃圾厢房门口有人乱倒垃圾，干湿不分',
    ],
    results: ['已在厢房增派志愿者定时值守指导分类，并对混投桶进行二次分拣'],
  },
  {
    code: 'C0302',
    pace: 'hours',
    where: 'any',
    weight: 6,
    reports: [
      '小区垃圾厢房的桶都满了，垃圾堆在外面，臭味很大',
      '{n}号楼边上的垃圾桶已经溢出来两天了，没人清运',
      '菜场后面的垃圾桶满了，流了一地污水',
      '垃圾房旁边堆了好几袋垃圾，苍蝇老鼠都出来了',
    ],
    results: ['已安排环卫车辆清运，加密该点位清运频次为每日两次', '垃圾已清运完毕，地面冲洗消杀'],
  },
  {
    code: 'C0303',
    pace: 'hours',
    where: 'compounds',
    weight: 2,
    reports: [
      '小区中心花园到处是狗屎和烟头，没人打扫',
      '{n}号楼楼道好久没人打扫了，扶手上一层灰',
    ],
    results: ['物业已安排保洁全面清扫，调整保洁排班每日巡回'],
  },
  {
    code: 'C0401',
    pace: 'hours',
    where: 'any',
    weight: 5,
    reports: [
      '{n}号楼{r}室周末一大早就开始电钻敲墙，吵得没法休息',
      '楼上装修每天中午十二点到一点也在打电钻',
      '隔壁装修晚上八点多还在切割瓷砖',
      '{n}号楼装修队早上七点不到就开工，噪音很大',
    ],
    results: ['已到现场告知装修施工时间规定，施工方承诺按规定时段作业', '已约谈装修业主和施工队，签订文明装修承诺书'],
  },
  {
    code: 'C0402',
    pace: 'days',
    where: 'any',
    weight: 2,
    reports: [
      '小区中心花园每天晚上跳广场舞，音响开得很响，一直到九点多',
      '早上六点就有人在楼下放音乐跳舞，孩子都被吵醒了',
    ],
    results: ['已与舞蹈队负责人沟通，音量调低并改到八点半前结束，居委提供了室内活动室'],
  },
  {
    code: 'C0403',
    pace: 'days',
    where: 'any',
    weight: 2,
    reports: [
      '{n}号楼有户人家养了两条大狗，白天晚上一直叫',
      '小区里遛狗不牵绳，还有狗追着小孩跑',
    ],
    results: ['民警已上门对养犬人进行教育，查验了犬只登记，要求文明养犬'],
  },
  {
    code: 'C0404',
    pace: 'days',
    where: 'any',
    weight: 3,
    reports: [
      '楼上住户半夜拖椅子、走路很重，天天十二点以后还在吵',
      '隔壁每天晚上打麻将到凌晨，声音很大',
      '{n}号楼{r}室经常深夜大声放音乐',
    ],
    results: ['社区民警与居委一同上门沟通，双方达成谅解，住户承诺夜间注意'],
  },
  {
    code: 'C0501',
    pace: 'days',
    where: 'lujiazui',
    weight: 3,
    reports: [
      '楼上空调外机滴水滴在我家窗台上，和他家说了好几次都不理',
      '邻居在公共走廊装了摄像头正对着我家门，双方吵过几次',
      '楼上楼下因为漏水赔偿的事情吵起来了，希望居委会帮忙调解',
    ],
    results: ['居委会组织双方调解，达成书面调解协议，已加装冷凝水管', '经人民调解，邻居同意调整摄像头角度，双方和解'],
  },
  {
    code: 'C0502',
    pace: 'hours',
    where: 'any',
    weight: 2,
    reports: [
      '{n}号楼{r}室独居老人好几天没见下楼了，敲门也没人应',
      '隔壁阿婆一个人住，最近腿脚不方便，买菜都困难，希望有人照顾一下',
    ],
    results: ['社工与民警上门探视，老人身体无大碍，已纳入独居老人关爱名单，安排志愿者每周上门', '已对接助餐点送餐上门，并申请居家养老服务评估'],
  },
  {
    code: 'C0504',
    pace: 'hours',
    where: 'lujiazui',
    weight: 3,
    reports: [
      '想咨询一下老旧小区加装电梯的申请流程和补贴政策',
      '请问社区食堂的老人用餐补贴怎么申请',
      '咨询居住证积分办理需要准备哪些材料',
    ],
    results: ['已电话答复：加装电梯需本门栋业主同意后向街道提交申请，补贴标准已告知', '已答复申请条件和所需材料，可到社区事务受理服务中心办理'],
  },
  {
    code: 'C0505',
    pace: 'days',
    where: 'lujiazui',
    weight: 2,
    reports: [
      '建议在小区门口增设几个非机动车停放架，现在电动车停得到处都是',
      '希望在小区中心花园多放几张长椅，老人散步没地方坐',
      '建议延长社区卫生服务站晚上的开放时间',
    ],
    results: ['建议已收悉并转相关部门研究，已答复建议人', '已纳入今年社区微更新项目清单，答复建议人'],
  },
  {
    code: 'E0102',
    pace: 'hours',
    where: 'any',
    weight: 4,
    reports: [
      '{road}人行道上有一堆生活垃圾，像是有人半夜偷倒的',
      '{road}绿化带里扔了好多装修垃圾袋',
      '{road}公交站旁边的垃圾袋破了，垃圾散了一地',
    ],
    results: ['环卫已清理完毕，该点位纳入重点保洁', '垃圾已清运，已调取监控追查偷倒人'],
  },
  {
    code: 'E0108',
    pace: 'days',
    where: 'any',
    weight: 2,
    reports: [
      '{road}路边扔了一张旧沙发和一个床垫，好几天了',
      '小区门口有人扔了旧衣柜，挡住了半条路',
    ],
    results: ['大件垃圾已清运至中转站'],
  },
  {
    code: 'E0110',
    pace: 'days',
    where: 'lujiazui',
    weight: 4,
    reports: [
      '{road}人行道地砖松动，一踩就溅水',
      '{road}路面有个大坑，电动车经过很危险',
      '{road}盲道被挖开了一段，一直没有恢复',
    ],
    results: ['已通知养护单位修复，松动地砖重新铺设', '坑洞已临时填补，养护单位排期整体修复'],
  },
  {
    code: 'E0201',
    pace: 'days',
    where: 'any',
    weight: 3,
    reports: [
      '{n}号楼楼道墙上贴满了开锁和疏通管道的小广告',
      '{road}的电线杆和配电箱上全是小广告',
    ],
    results: ['已清除小广告，对张贴号码提请停机处理'],
  },
  {
    code: 'E0301',
    pace: 'hours',
    where: 'any',
    weight: 3,
    reports: [
      '{road}工地晚上十点以后还在施工，打桩声很响',
      '{road}旁边的工地凌晨还有渣土车进出，噪音很大',
    ],
    results: ['已责令工地停止夜间施工，查验夜间施工许可，后续加强夜间巡查'],
  },
  {
    code: 'E0404',
    pace: 'hours',
    where: 'any',
    weight: 2,
    reports: [
      '{road}的下水道堵了，污水漫到了人行道上',
      '小区门口的窨井冒污水，臭气熏天',
    ],
    results: ['排水养护单位已疏通管道，路面冲洗干净'],
  },
  {
    code: 'E0406',
    pace: 'hours',
    where: 'any',
    weight: 2,
    reports: [
      '昨晚下雨后{road}积水很深，到现在还没退',
      '{road}路口积水没过脚踝，行人只能绕行',
    ],
    results: ['已开启泵站强排，积水已退，雨水口清掏完毕'],
  },
  {
    code: 'E0501',
    pace: 'hours',
    where: 'any',
    weight: 3,
    reports: [
      '{road}地铁口每天傍晚有流动摊贩卖水果，堵住了出入口',
      '小区门口每天早上有人摆摊卖菜，一早上都是人',
    ],
    results: ['已劝离摊贩，该时段安排队员定点值守'],
  },
  {
    code: 'E0504',
    pace: 'hours',
    where: 'any',
    weight: 5,
    reports: [
      '{road}一家餐馆把桌椅摆到了人行道上，行人只能走机动车道',
      '{road}水果店的货架摆出店外两三米',
      '{road}的小吃店在门口支锅炒菜，油烟和垃圾都在人行道上',
    ],
    results: ['已责令店主将桌椅货架收回店内，对店家进行了教育并纳入门责管理', '店外经营已整改，后续纳入重点巡查'],
  },
  {
    code: 'E0505',
    pace: 'hours',
    where: 'any',
    weight: 3,
    reports: [
      '{road}人行道上停满了私家车，行人没法走',
      '有辆车在小区门口停了好几天，挡住了出入',
    ],
    results: ['交警已到场贴单，联系车主挪车'],
  },
  {
    code: 'E0506',
    pace: 'hours',
    where: 'any',
    weight: 3,
    reports: [
      '{road}地铁站出口共享单车堆成一片，人都过不去',
      '{road}人行道上电动车停得乱七八糟，盲道全被占了',
    ],
    results: ['已整理非机动车并通知共享单车企业清运多余车辆'],
  },
  {
    code: 'E0507',
    pace: 'hours',
    where: 'any',
    weight: 2,
    reports: [
      '{road}有工地把钢管和沙子堆在了人行道上',
      '{road}一家店把纸箱和货物堆在门外，占了一大片',
    ],
    results: ['已责令清理占道堆物，现场已恢复通行'],
  },
  {
    code: 'B0114',
    pace: 'hours',
    where: 'lujiazui',
    weight: 2,
    reports: [
      '{road}人行道上有个井盖破了一个角，晚上看不清容易踩空',
      '{road}路口的井盖松动，车开过去哐哐响',
      '小区门口的井盖不见了，只放了个锥桶',
    ],
    results: ['已确认井盖权属并通知权属单位更换，现场已设置警示', '井盖已更换加固'],
  },
  {
    code: 'B0118',
    pace: 'days',
    where: 'lujiazui',
    weight: 2,
    reports: [
      '{road}有三盏路灯不亮，晚上走路很黑',
      '{road}的路灯白天一直亮着',
    ],
    results: ['已通知路灯养护单位，故障灯具已更换'],
  },
];

/** Streets of the demo: the demo accounts' 陆家嘴 and two neighbours, with compounds and streets to place cases. */
export interface DemoStreet {
  code: string;
  /** Committees cases are placed in, with weights (梅园一村, where the demo resident lives, gets the most). */
  committees: ReadonlyArray<{ code: string; weight: number }>;
  roads: readonly string[];
  /** A rough box for coordinates (WGS-84), inside the street. */
  box: { lat: [number, number]; lng: [number, number] };
}

export const DEMO_STREETS: Record<'lujiazui' | 'weifang' | 'tangqiao', DemoStreet> = {
  lujiazui: {
    code: '310115005',
    committees: [
      { code: '310115005001', weight: 30 },
      { code: '310115005002', weight: 10 },
      { code: '310115005003', weight: 4 },
      { code: '310115005011', weight: 3 },
      { code: '310115005014', weight: 3 },
      { code: '310115005018', weight: 3 },
      { code: '310115005038', weight: 3 },
      { code: '310115005039', weight: 2 },
      { code: '310115005045', weight: 2 },
      { code: '310115005049', weight: 2 },
      { code: '310115005059', weight: 2 },
    ],
    roads: ['东昌路近浦东南路', '张杨路', '浦东南路', '崂山路', '福山路', '乳山路', '松林路', '商城路', '浦城路', '南泉北路'],
    box: { lat: [31.226, 31.238], lng: [121.505, 121.525] },
  },
  weifang: {
    code: '310115004',
    committees: [
      { code: '310115004001', weight: 4 },
      { code: '310115004002', weight: 2 },
      { code: '310115004012', weight: 2 },
      { code: '310115004016', weight: 2 },
    ],
    roads: ['潍坊路', '源深路', '崂山东路', '张杨路近源深路', '福山路近潍坊路'],
    box: { lat: [31.222, 31.232], lng: [121.527, 121.545] },
  },
  tangqiao: {
    code: '310115008',
    committees: [
      { code: '310115008007', weight: 3 },
      { code: '310115008013', weight: 2 },
      { code: '310115008003', weight: 2 },
      { code: '310115008006', weight: 2 },
    ],
    roads: ['浦建路', '蓝村路', '塘桥新路', '东方路近浦建路', '南泉路'],
    box: { lat: [31.205, 31.216], lng: [121.515, 121.532] },
  },
};

/** Masked hotline callers, as the 12345 intake records them. */
export const CALLERS = ['张先生', '李女士', '王阿姨', '陈老伯', '刘先生', '赵女士', '黄先生', '周女士', '吴先生', '孙阿姨', '徐先生', '朱女士', '马先生', '胡女士', '郭先生', '林女士', '何先生', '高女士'];

export const HOTLINE_OPENINGS = ['市民来电反映：', '来电人反映：', '市民来电称：', '来电反映：'];
export const HOTLINE_CLOSINGS = ['，要求尽快处理。', '，希望相关部门尽快处理。', '，请相关部门核实处理。', '。'];
export const PATROL_OPENINGS = ['巡查发现：', '网格巡查发现：', '日常巡查中发现：'];
export const STAFF_OPENINGS = ['视频巡检发现：', '街道城运中心视频巡检发现：', '媒体热线转来：'];

export const REJECT_REASONS = [
  '经核实为重复上报，已并入同一问题的在办工单',
  '属于民事纠纷，不属于城运受理范围，已告知当事人可申请人民调解或通过诉讼解决',
  '现场核实未发现所述问题',
  '上报信息不全，多次联系上报人未果',
];
export const NOTES = [
  '已联系上报人了解情况，约定明天上午上门查看',
  '已到现场查看，正在协调物业一起处理',
  '已通知当事人限期整改，明天复查',
  '材料已订购，到货后安排维修',
  '现场已设置警示标志，正在联系责任单位',
  '已约谈当事人，对方表示配合整改',
];
export const VERIFY_FAILURES = ['现场复查问题仍然存在，请继续处置', '回访上报人，表示问题没有解决', '整改不彻底，仍有部分未清理'];
export const EXTENSION_REASONS = ['需等待配件到货，申请延期', '涉及多户协调，时限内难以完成，申请延期', '当事人近期不在本地，需延长整改期限'];
export const SUSPENSION_REASONS = ['涉及房屋维修资金使用，需业主大会表决，申请缓办', '当事人出境，暂时无法联系，申请挂账', '需等待区级专项整治统一实施，申请缓办'];
export const DENY_REASONS = ['时限内可以完成，请抓紧处置', '延期理由不充分，请按原时限办结'];
export const REOPEN_REASONS = ['结案没几天问题又出现了，请再处理一次', '回访发现问题复发，重新办理'];
export const ESCALATE_REASONS = ['涉及多个部门职责，街道层面协调不了，提请区城运中心联勤联动', '需区级职能部门牵头处置，提请上级协调'];
export const RETURN_REASONS = ['该问题不属于本单位职责范围，请改派', '经现场核实，应由其他单位处置，退回重派'];
export const TRANSFER_REASONS = ['派遣单位有误，转派至职责单位', '按职责清单调整主办单位'];
export const RATING_COMMENTS: Record<number, readonly string[]> = {
  5: ['处理很及时，谢谢！', '当天就来处理了，效率很高', '工作人员态度很好，满意'],
  4: ['解决了，就是慢了一点', '处理得不错，希望以后多巡查'],
  3: ['基本解决，但过程有点拖', '问题暂时解决了，担心还会反复'],
  2: ['拖了好几天才来处理', '只处理了一半'],
  1: ['根本没解决就结案了', '打了好几次电话才有人管'],
};
