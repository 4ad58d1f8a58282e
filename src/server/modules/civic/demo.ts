import { committeePathOf } from '../../../shared/civic.ts';
import { UNRESTRICTED } from '../../platform/access.ts';
import type { Platform } from '../../platform/platform.ts';
import { demoActor } from '../identity/demo.ts';
import { findRegion } from '../regions/repository.ts';
import { createProposal, createReward, createTask, publishNotice, registerVolunteer } from './commands.ts';
import { noticeTitled, supportThreshold } from './repository.ts';

const MEIYUAN = '310115005001';
const HOUR = 3_600_000;
const MARKER = '演示：12月社区义诊';

/**
 * Something to try in 梅园一村 (marked 演示): a notice to the 高龄 residents, a proposal gathering
 * support, a visit to residents living alone to sign up for, a reward to redeem, and the demo resident
 * registered as a volunteer. Through the real commands, as the demo accounts; only with the demo month;
 * idempotent (nothing when the notice exists).
 */
export async function seedDemoCivic(platform: Platform): Promise<void> {
  if (!platform.config.demoCases || (await noticeTitled(platform.db, MARKER))) return;
  const committee = await findRegion(platform.db, UNRESTRICTED, MEIYUAN);
  if (!committee) return;
  const worker = await demoActor(platform.db, 'worker');
  const resident = await demoActor(platform.db, 'resident');
  const threshold = await supportThreshold(platform.db, MEIYUAN);
  const tomorrow = new Date(Date.now() + 24 * HOUR);
  tomorrow.setUTCHours(1, 0, 0, 0); // 09:00 in Shanghai
  await platform.transaction(worker, async (ctx) => {
    const asWorker = { ...ctx, actor: worker };
    await publishNotice(asWorker, {
      title: MARKER,
      body: '本周六上午 9 点到 11 点，社区卫生服务中心医生在居委会活动室为 80 岁以上老人免费量血压、测血糖。行动不便的老人可以打电话给居委会，医生上门。',
      link: null,
      region: committee,
      tags: ['elderly'],
      validFrom: new Date(),
      validUntil: new Date(Date.now() + 14 * 24 * HOUR),
    });
    await createTask(asWorker, {
      region: committee,
      kind: 'visit_alone',
      title: '演示：探访独居老人',
      description: '两人一组探访 3 户独居老人，聊聊天，看看水电煤是否安全。',
      startsAt: tomorrow,
      endsAt: new Date(tomorrow.getTime() + 2 * HOUR),
      capacity: 6,
      pointsPerHour: 10,
    });
    await createReward(asWorker, { region: committee, name: '演示：环保购物袋', description: '居委会领取', cost: 10, stock: 20 });
  });
  await platform.transaction(resident, async (ctx) => {
    const asResident = { ...ctx, actor: resident };
    await registerVolunteer(asResident, { skills: ['陪聊', '修理小家电'], availability: '周末上午', partyMember: false });
    await createProposal(asResident, {
      title: '演示：小区增设电动自行车充电棚',
      description: '楼道里充电很危险，建议在 5 号楼旁空地建一个带定时断电的充电棚。',
      place: committee,
      committeePath: committeePathOf(committee.regionPath),
      threshold,
      origin: 'resident',
    });
  });
}
