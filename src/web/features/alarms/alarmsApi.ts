import type { Static } from 'typebox';
import type {
  AlarmActionBody,
  AlarmDetail as AlarmDetailSchema,
  AlarmList as AlarmListSchema,
  EmergencyContactSchema,
  SettingsBody,
  SettingsSchema,
  WindowBody,
  WindowList as WindowListSchema,
} from '../../../server/modules/alarms/schemas.ts';
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


export type AlarmSettings = Static<typeof SettingsSchema>;
export type AlarmSettingsChange = Static<typeof SettingsBody>;
export type AlarmWindowList = Static<typeof WindowListSchema>;
export type AlarmWindow = AlarmWindowList['items'][number];
export type AlarmWindowInput = Static<typeof WindowBody>;

export const alarmAdminApi = {
  settings: () => request<AlarmSettings>('GET', '/api/alarm-settings'),
  changeSettings: (body: AlarmSettingsChange) => request<AlarmSettings>('PUT', '/api/alarm-settings', { body }),
  windows: () => request<AlarmWindowList>('GET', '/api/alarm-windows'),
  openWindow: (body: AlarmWindowInput) => request<AlarmWindow>('POST', '/api/alarm-windows', { body }),
  closeWindow: (id: string) => request<undefined>('DELETE', `/api/alarm-windows/${seg(id)}`),
};
