import { useMutation, useQuery } from '@tanstack/react-query';
import { Button, Descriptions, Drawer, Input, Space, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { ALARM_CASE_MODE_LABELS, type AlarmAction } from '../../../shared/alarms.ts';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { formatDateTime } from '../../format.ts';
import { usePreferences } from '../../preferences.tsx';
import { useCan } from '../../session.tsx';
import { AlarmActionDialog } from './AlarmActionDialog.tsx';
import { actionLabel, isAlarmAction, SEVERITY_COLOURS, severityLabel, STATE_COLOURS, stateLabel } from './alarmLabels.ts';
import { alarmsApi, type AlarmDetail } from './alarmsApi.ts';

/** The buttons of the actions the server allows the caller on this alarm now. */
export function AlarmActionButtons({ alarmId, allowed, compact = false }: { alarmId: string; allowed: readonly string[]; compact?: boolean }) {
  const { locale } = usePreferences();
  const [open, setOpen] = useState<AlarmAction | null>(null);
  const actions = allowed.filter(isAlarmAction);
  return (
    <>
      <Space wrap size={compact ? 4 : 8}>
        {actions.map((action) => (
          <Button key={action} size={compact ? 'middle' : 'large'} type={action === 'ack' ? 'primary' : 'default'} onClick={() => setOpen(action)} data-testid={`alarm-action-${action}`}>
            {actionLabel(action, locale)}
          </Button>
        ))}
      </Space>
      {open && <AlarmActionDialog alarmId={alarmId} action={open} onClose={() => setOpen(null)} />}
    </>
  );
}

function EmergencyContactLine({ alarm }: { alarm: AlarmDetail }) {
  const { t } = usePreferences();
  const can = useCan();
  const [reason, setReason] = useState('');
  const reveal = useMutation({ mutationFn: () => alarmsApi.revealContact(alarm.device.id, reason.trim()) });
  const contact = reveal.data ?? alarm.emergencyContact;
  if (!contact) return <>{t('alarms.detail.none')}</>;
  return (
    <Space direction="vertical">
      <span data-testid="alarm-contact">
        {contact.name} · {contact.phone}
      </span>
      {contact.masked && can('device.emergencyContact.reveal') && (
        <Space.Compact>
          <Input placeholder={t('alarms.detail.revealReason')} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} />
          <Button onClick={() => reveal.mutate()} loading={reveal.isPending} disabled={reason.trim().length < 4}>
            {t('alarms.detail.reveal')}
          </Button>
        </Space.Compact>
      )}
      {reveal.isError && <Typography.Text type="danger">{reveal.error.message}</Typography.Text>}
    </Space>
  );
}

/** An alarm's facts, its case, its emergency contact (elderly care), what may be done, and its history. */
export function AlarmDrawer({ alarmId, onClose }: { alarmId: string; onClose(): void }) {
  const { locale, t } = usePreferences();
  const detail = useQuery({ queryKey: ['alarm', alarmId], queryFn: () => alarmsApi.get(alarmId), refetchInterval: 5000 });
  const alarm = detail.data;
  return (
    <Drawer open onClose={onClose} title={alarm ? `${alarm.typeName} · ${alarm.device.name}` : t('alarms.detail.title')} size="min(96vw, 640px)" data-testid="alarm-drawer">
      {detail.isError && <ErrorResult error={detail.error} onRetry={() => void detail.refetch()} />}
      {alarm && (
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <Space wrap>
            <Tag color={SEVERITY_COLOURS[alarm.severity]}>{severityLabel(alarm.severity, locale)}</Tag>
            <Tag color={STATE_COLOURS[alarm.state]} data-testid="alarm-drawer-state">
              {stateLabel(alarm.state, locale)}
            </Tag>
            {alarm.latched && <Tag>{t('alarms.detail.latched')}</Tag>}
            {alarm.escalationLevel > 0 && <Tag color="red">{t('alarms.detail.escalation', { level: alarm.escalationLevel })}</Tag>}
          </Space>
          <Descriptions column={1} size="middle" bordered>
            <Descriptions.Item label={t('alarms.col.region')}>{alarm.regionName}</Descriptions.Item>
            {alarm.detail && <Descriptions.Item label={t('alarms.detail.seen')}>{alarm.detail}</Descriptions.Item>}
            <Descriptions.Item label={t('alarms.detail.first')}>{formatDateTime(alarm.firstAt, locale)}</Descriptions.Item>
            <Descriptions.Item label={t('alarms.col.last')}>
              {formatDateTime(alarm.lastAt, locale)} · {t('alarms.detail.repeat', { count: alarm.repeatCount })}
            </Descriptions.Item>
            {alarm.shelvedUntil && <Descriptions.Item label={stateLabel('shelved', locale)}>{t('alarms.detail.shelvedUntil', { time: formatDateTime(alarm.shelvedUntil, locale) })}</Descriptions.Item>}
            <Descriptions.Item label={t('alarms.detail.caseMode')}>{ALARM_CASE_MODE_LABELS[alarm.caseMode][locale]}</Descriptions.Item>
            <Descriptions.Item label={t('alarms.detail.case')}>
              {alarm.caseId ? <Link to={`/cases/${alarm.caseId}`}>{alarm.caseNumber ?? alarm.caseId}</Link> : t('alarms.detail.none')}
            </Descriptions.Item>
            {alarm.emergencyContact !== null && (
              <Descriptions.Item label={t('alarms.detail.contact')}>
                <EmergencyContactLine alarm={alarm} />
              </Descriptions.Item>
            )}
          </Descriptions>
          <AlarmActionButtons alarmId={alarm.id} allowed={alarm.allowedActions} />
          <div>
            <Typography.Title level={5}>{t('alarms.detail.history')}</Typography.Title>
            <Timeline
              items={alarm.history.map((h) => ({
                color: h.action === 'escalate' ? 'red' : h.action === 'ack' ? 'green' : 'blue',
                children: (
                  <div>
                    <strong>{h.label}</strong> · {h.actorName} · {formatDateTime(h.at, locale)}
                    <div>
                      {stateLabel(h.toState, locale)}
                      {h.note ? ` — ${h.note}` : ''}
                    </div>
                  </div>
                ),
              }))}
            />
          </div>
        </Space>
      )}
    </Drawer>
  );
}
