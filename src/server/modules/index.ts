import type { ModuleManifest } from '../platform/module.ts';
import { alarmsModule } from './alarms/manifest.ts';
import { auditModule } from './audit/manifest.ts';
import { casesModule } from './cases/manifest.ts';
import { categoriesModule } from './categories/manifest.ts';
import { classifierModule } from './classifier/manifest.ts';
import { coverageModule } from './coverage/manifest.ts';
import { calendarModule } from './calendar/manifest.ts';
import { devicesModule } from './devices/manifest.ts';
import { departmentsModule } from './departments/manifest.ts';
import { identityModule } from './identity/manifest.ts';
import { notificationsModule } from './notifications/manifest.ts';
import { open311Module } from './open311/manifest.ts';
import { regionsModule } from './regions/manifest.ts';
import { systemModule } from './system/manifest.ts';
import { telemetryModule } from './telemetry/manifest.ts';
import { webhooksModule } from './webhooks/manifest.ts';
import { rulesModule } from './rules/manifest.ts';
import { ledgerModule } from './ledger/manifest.ts';
import { civicModule } from './civic/manifest.ts';
import { reportsModule } from './reports/manifest.ts';
import { servicesModule } from './services/manifest.ts';

/** Every capability of the platform, in seeding order (regions before the departments that sit in them). */
export const MODULES: readonly ModuleManifest[] = [
  systemModule,
  regionsModule,
  departmentsModule,
  categoriesModule,
  classifierModule,
  identityModule,
  auditModule,
  calendarModule,
  notificationsModule,
  casesModule,
  devicesModule,
  telemetryModule,
  coverageModule,
  alarmsModule,
  open311Module,
  webhooksModule,
  rulesModule,
  ledgerModule,
  civicModule,
  reportsModule,
  servicesModule,
];
