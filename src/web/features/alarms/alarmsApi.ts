import type { Static } from 'typebox';
import type { AlarmActionBody, AlarmDetail as AlarmDetailSchema, AlarmList as AlarmListSchema, EmergencyContactSchema } from '../../../server/modules/alarms/schemas.ts';
import { request } from '../../api.ts';

/** Shapes of the alarm endpoints, derived from the server's schemas (type-only: nothing of the server reaches the bundle). */
export type AlarmList = Static<typeof AlarmListSchema>;
export type AlarmSummary = AlarmList['items'][number];
export type AlarmGroup = AlarmList['groups'][number];
export type AlarmDetail = Static<typeof AlarmDetailSchema>;
export type AlarmActionInput = Static<typeof AlarmActionBody>;
export type EmergencyContact = Static<typeof EmergencyContactSchema>;

export interface AlarmQuery {
  state?: string | undefined;
  type?: string | undefined;
  region?: string | undefined;
  case?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

const seg = encodeURIComponent;

export const alarmsApi = {
  list: (query: AlarmQuery) => request<AlarmList>('GET', '/api/alarms', { query: { ...query } }),
  get: (id: string) => request<AlarmDetail>('GET', `/api/alarms/${seg(id)}`),
  act: (id: string, body: AlarmActionInput) => request<AlarmDetail>('POST', `/api/alarms/${seg(id)}/actions`, { body }),
  revealContact: (deviceId: string, reason: string) => request<EmergencyContact>('POST', `/api/devices/${seg(deviceId)}/emergency-contact/reveal`, { body: { reason } }),
};
