import { useQuery } from '@tanstack/react-query';
import { Button, Card, List, Tag } from 'antd';
import { useState } from 'react';
import { formatDateTime } from '../../format.ts';
import { usePreferences } from '../../preferences.tsx';
import { useCan } from '../../session.tsx';
import { AlarmDrawer } from './AlarmDrawer.tsx';
import { STATE_COLOURS, stateLabel } from './alarmLabels.ts';
import { alarmsApi } from './alarmsApi.ts';

/** On a case's page: the IoT alarm(s) it came from, for those who may see alarms; nothing for a case from another channel. */
export function CaseAlarms({ caseId }: { caseId: string }) {
  const can = useCan();
  const { locale, t } = usePreferences();
  const [open, setOpen] = useState<string | null>(null);
  const alarms = useQuery({ queryKey: ['alarms', { case: caseId }], queryFn: () => alarmsApi.list({ case: caseId }), enabled: can('alarm.read') });
  const items = alarms.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Card title={t('alarms.caseCard')} data-testid="case-alarms">
      <List
        dataSource={items}
        renderItem={(a) => (
          <List.Item actions={[<Button key="open" onClick={() => setOpen(a.id)}>{t('alarms.open')}</Button>]}>
            <List.Item.Meta title={`${a.typeName} · ${a.device.name}`} description={`${formatDateTime(a.firstAt, locale)} · ${a.regionName}`} />
            <Tag color={STATE_COLOURS[a.state]}>{stateLabel(a.state, locale)}</Tag>
          </List.Item>
        )}
      />
      {open && <AlarmDrawer alarmId={open} onClose={() => setOpen(null)} />}
    </Card>
  );
}
