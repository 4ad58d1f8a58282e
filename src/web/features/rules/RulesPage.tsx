import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Flex, Modal, Radio, Select, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { ALARM_TYPES } from '../../../shared/alarms.ts';
import { DEVICE_PROFILE_IDS, DEVICE_PROFILES, type DeviceProfileId } from '../../../shared/iot-profiles.ts';
import type { RuleDefinition } from '../../../shared/rules.ts';
import { api } from '../../api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { formatDateTime } from '../../format.ts';
import { usePreferences } from '../../preferences.tsx';
import { useCan, useSession } from '../../session.tsx';
import type { RuleView } from '../../types.ts';
import { RuleEditor, type RuleScope } from './RuleEditor.tsx';
import { useDescribe } from './describe.ts';

/** 规则: the rules in force per device profile, for a region or one device; overrides, custom rules, dry runs. */
export function RulesPage() {
  const { locale, t } = usePreferences();
  const me = useSession();
  const can = useCan();
  const manage = can('rule.manage');
  const [profile, setProfile] = useState<DeviceProfileId>('fire-tank');
  const [mode, setMode] = useState<'region' | 'device'>('region');
  const [regionCode, setRegionCode] = useState(me.assignment.regionCode);
  const [deviceId, setDeviceId] = useState<string | undefined>();
  const [editing, setEditing] = useState<{ rule: RuleView | null; definition: RuleDefinition; key?: string } | null>(null);
  const [historyOf, setHistoryOf] = useState<string | null>(null);
  const describe = useDescribe();

  const devices = useQuery({ queryKey: ['devices', profile], queryFn: () => api.devicesOfProfile(profile), enabled: mode === 'device' });
  const target = mode === 'device' ? (deviceId ? { device: deviceId } : null) : { region: regionCode, profile };
  const rules = useQuery({ queryKey: ['rules', target], queryFn: () => api.rules(target!), enabled: target !== null });
  const scope: RuleScope | null = mode === 'device' ? (deviceId ? { deviceId } : null) : { regionCode };

  const here = (r: RuleView) => (mode === 'device' ? r.source.kind === 'device' && r.source.deviceId === deviceId : r.source.kind === 'region' && r.source.regionCode === regionCode);
  const sourceLabel = (r: RuleView) =>
    r.source.kind === 'default' ? <Tag>{t('rules.source.default')}</Tag> : r.source.kind === 'region' ? <Tag color="blue">{t('rules.source.region', { name: r.source.regionName })}</Tag> : <Tag color="purple">{t('rules.source.device', { name: r.source.deviceName })}</Tag>;

  return (
    <>
      <PageTitle
        title={t('rules.title')}
        extra={
          manage &&
          scope && (
            <Button
              type="primary"
              size="large"
              icon={<PlusOutlined />}
              data-testid="rules-add-custom"
              onClick={() => {
                const field = DEVICE_PROFILES[profile].fields[0]!;
                setEditing({ rule: null, definition: { profile, condition: { kind: 'compare', field: field.name, op: field.type === 'boolean' || field.type === 'enum' ? '==' : '>', value: field.type === 'boolean' ? true : field.type === 'enum' ? field.values[0]! : 0 }, alarmType: 'threshold' } });
              }}
            >
              {t('rules.addCustom')}
            </Button>
          )
        }
      >
        {t('rules.title')}
      </PageTitle>
      <Card>
        <Typography.Paragraph type="secondary">{t('rules.intro')}</Typography.Paragraph>
        <Flex wrap gap="middle" align="center" style={{ marginBottom: 16 }}>
          <label>
            {t('rules.profile')}{' '}
            <Select<DeviceProfileId>
              data-testid="rules-profile"
              value={profile}
              style={{ minWidth: 220 }}
              onChange={(p) => {
                setProfile(p);
                setDeviceId(undefined);
              }}
              options={DEVICE_PROFILE_IDS.map((p) => ({ value: p, label: `${DEVICE_PROFILES[p].name[locale]}（${p}）` }))}
            />
          </label>
          <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as 'region' | 'device')} optionType="button">
            <Radio.Button value="region">{t('rules.forRegion')}</Radio.Button>
            <Radio.Button value="device">{t('rules.forDevice')}</Radio.Button>
          </Radio.Group>
          {mode === 'region' ? (
            <RegionPicker value={regionCode} onChange={setRegionCode} />
          ) : (
            <Select
              aria-label={t('rules.device')}
              data-testid="rules-device"
              value={deviceId}
              placeholder={t('rules.pickDevice')}
              loading={devices.isFetching}
              style={{ minWidth: 280 }}
              showSearch={{ optionFilterProp: 'label' }}
              onChange={setDeviceId}
              options={(devices.data?.items ?? []).map((d) => ({ value: d.id, label: `${d.name} · ${d.regionName}` }))}
            />
          )}
        </Flex>
        {rules.isError ? (
          <ErrorResult error={rules.error} onRetry={() => void rules.refetch()} />
        ) : (
          <Table<RuleView>
            rowKey="id"
            data-testid="rules-table"
            loading={rules.isFetching}
            dataSource={rules.data?.items ?? []}
            pagination={false}
            columns={[
              { title: t('rules.name'), dataIndex: 'name', render: (name: string, r) => <span data-testid={`rule-${r.key}`}>{name}</span> },
              { title: t('rules.condition'), key: 'condition', render: (_: unknown, r) => describe(r.definition) },
              { title: t('rules.alarm'), key: 'alarm', responsive: ['md'], render: (_: unknown, r) => ALARM_TYPES[r.definition.alarmType].name[locale] },
              { title: t('rules.source'), key: 'source', render: (_: unknown, r) => sourceLabel(r) },
              { title: t('rules.state'), dataIndex: 'enabled', render: (on: boolean) => (on ? <Tag color="green">{t('rules.enabled')}</Tag> : <Tag>{t('rules.disabled')}</Tag>) },
              { title: t('rules.version'), dataIndex: 'version', responsive: ['lg'] },
              {
                key: 'actions',
                title: '',
                render: (_: unknown, r) => (
                  <Space wrap>
                    {manage && scope && (
                      <Button data-testid={`rule-edit-${r.key}`} onClick={() => setEditing({ rule: here(r) ? r : null, definition: r.definition, key: r.key })}>
                        {here(r) ? t('rules.edit') : t('rules.override')}
                      </Button>
                    )}
                    {r.source.kind !== 'default' && <Button onClick={() => setHistoryOf(r.id)}>{t('rules.history')}</Button>}
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Card>
      {editing && scope && (
        <RuleEditor
          scope={scope}
          existing={editing.rule}
          ruleKey={editing.key}
          definition={editing.definition}
          onClose={() => {
            setEditing(null);
            void rules.refetch();
          }}
        />
      )}
      {historyOf && <RuleHistory id={historyOf} onClose={() => setHistoryOf(null)} />}
    </>
  );
}

function RuleHistory({ id, onClose }: { id: string; onClose: () => void }) {
  const { locale, t } = usePreferences();
  const describe = useDescribe();
  const detail = useQuery({ queryKey: ['rule', id], queryFn: () => api.rule(id) });
  return (
    <Modal open title={t('rules.history')} onCancel={onClose} footer={null}>
      {detail.isError ? (
        <ErrorResult error={detail.error} onRetry={() => void detail.refetch()} />
      ) : (
        <Timeline
          data-testid="rule-history"
          items={(detail.data?.history ?? []).map((v) => ({
            content: (
              <>
                <Typography.Text strong>
                  v{v.version} · {t(`rules.change.${v.change}`)} · {formatDateTime(v.changedAt, locale)} · {v.changedBy ?? '—'}
                </Typography.Text>
                <div>
                  {describe(v.definition)} · {v.enabled ? t('rules.enabled') : t('rules.disabled')}
                </div>
                {v.note && <Typography.Text type="secondary">{v.note}</Typography.Text>}
              </>
            ),
          }))}
        />
      )}
    </Modal>
  );
}

/** The caller's own region, or a street or committee found by name or code. */
export function RegionPicker({ value, onChange }: { value: string; onChange: (code: string) => void }) {
  const { t } = usePreferences();
  const me = useSession();
  const [query, setQuery] = useState('');
  const found = useQuery({ queryKey: ['region-search', query], queryFn: () => api.searchRegions(query), enabled: query.trim().length > 0 });
  const options = [
    { value: me.assignment.regionCode, label: me.assignment.regionName },
    ...(found.data ?? []).filter((r) => (r.level === 'street' || r.level === 'committee') && r.code !== me.assignment.regionCode).map((r) => ({ value: r.code, label: `${r.name}（${r.code}）` })),
  ];
  const [chosen, setChosen] = useState<{ value: string; label: string }[]>([]);
  const all = [...options, ...chosen.filter((c) => !options.some((o) => o.value === c.value))];
  return (
    <Select
      aria-label={t('rules.regionCode')}
      data-testid="rules-region"
      value={value}
      style={{ minWidth: 280 }}
      showSearch={{ filterOption: false, onSearch: setQuery }}
      loading={found.isFetching}
      placeholder={t('rules.regionSearch')}
      options={all}
      onChange={(code: string) => {
        const option = all.find((o) => o.value === code);
        if (option) setChosen([option]);
        onChange(code);
      }}
    />
  );
}
