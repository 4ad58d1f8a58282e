import type { Static } from 'typebox';
import type { ReportFormat } from '../../../shared/reports.ts';
import type {
  ReportDefinitionSchema,
  ReportJson as ReportJsonSchema,
  RunList as RunListSchema,
  ScheduleBody,
  ScheduleList as ScheduleListSchema,
  ScheduleView as ScheduleViewSchema,
  TemplateList as TemplateListSchema,
  TemplateSummary as TemplateSummarySchema,
  RunView as RunViewSchema,
} from '../../../server/modules/reports/schemas.ts';
import { request } from '../../api.ts';

/** Shapes of the report endpoints, from the server's schemas (type-only). */
export type TemplateList = Static<typeof TemplateListSchema>;
export type TemplateSummary = Static<typeof TemplateSummarySchema>;
export type ReportJson = Static<typeof ReportJsonSchema>;
export type RunList = Static<typeof RunListSchema>;
export type RunView = Static<typeof RunViewSchema>;
export type ScheduleList = Static<typeof ScheduleListSchema>;
export type ScheduleView = Static<typeof ScheduleViewSchema>;
export type ScheduleInput = Static<typeof ScheduleBody>;
export type Definition = Static<typeof ReportDefinitionSchema>;

const seg = encodeURIComponent;

/** The URL of a report file; the browser downloads it with the session cookie. */
export const reportUrl = (code: string, region: string, format: ReportFormat) => `/api/reports/${seg(code)}?region=${seg(region)}&format=${format}`;

export const reportsApi = {
  templates: () => request<TemplateList>('GET', '/api/reports'),
  report: (code: string, region: string) => request<ReportJson>('GET', `/api/reports/${seg(code)}`, { query: { region, format: 'json' } }),
  saveTemplate: (body: { code: string; name: string; definition: Definition }) => request<TemplateSummary>('POST', '/api/reports/templates', { body }),
  preview: (definition: Definition, region: string) => request<ReportJson>('POST', '/api/reports/preview', { body: { definition, region } }),
  runs: () => request<RunList>('GET', '/api/reports/runs'),
  createRun: (code: string, region: string) => request<RunView>('POST', `/api/reports/${seg(code)}/runs`, { body: { region, format: 'xlsx' } }),
  schedules: () => request<ScheduleList>('GET', '/api/reports/schedules'),
  createSchedule: (body: ScheduleInput) => request<ScheduleView>('POST', '/api/reports/schedules', { body }),
  setScheduleActive: (id: string, active: boolean) => request<ScheduleView>('POST', `/api/reports/schedules/${seg(id)}/active`, { body: { active } }),
};
