import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Flex, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { DEVICE_PROFILE_IDS, DEVICE_PROFILES } from '../../../shared/iot-profiles.ts';
import { api } from '../../api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { listPagination } from '../../components/pagination.ts';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { formatDateTime } from '../../format.ts';
import { usePreferences } from '../../preferences.tsx';
import type { Device } from '../../types.ts';
import { ConnectivityBadge, deviceFormat, RejectionSummary } from './deviceFormat.tsx';

interface Filters {
  profile: string | undefined;
  page: number;
  pageSize: number;
}

const noWrap = () => ({ style: { whiteSpace: 'nowrap' as const } });

/** How often the list asks again: devices report every minute or more seldom. */
const REFRESH_MS = 30_000;

/** 物联设备: the devices in the caller's area, whether they are heard from, what they said last. */
export function DevicesPage() {
  const { locale, t } = usePreferences();
  const [filters, setFilters] = useState<Filters>({ profile: undefined, page: 1, pageSize: 20 });
  const devices = useQuery({
    queryKey: ['devices', filters],
    queryFn: () => api.devices({ profile: filters.profile, limit: filters.pageSize, offset: (filters.page - 1) * filters.pageSize }),
    placeholderData: keepPreviousData,
    refetchInterval: REFRESH_MS,
  });

  const format = deviceFormat(locale, t);
  const columns: TableColumnsType<Device> = [
    {
      title: t('device.name'),
      dataIndex: 'name',
      width: '22%',
      render: (name: string, d) => (
        <>
          <Link to={`/devices/${d.id}`}>{name}</Link>
          <div>
            <Typography.Text type="secondary">{d.profileName}</Typography.Text>
            {d.state !== 'active' && <Tag style={{ marginInlineStart: 8 }}>{t(`device.state.${d.state}`)}</Tag>}
          </div>
        </>
      ),
    },
    { title: t('device.region'), dataIndex: 'regionName', responsive: ['md'] },
    { title: t('device.connectivity'), dataIndex: 'connectivity', onCell: noWrap, render: (_: unknown, d) => <ConnectivityBadge device={d} locale={locale} t={t} /> },
    {
      title: t('device.lastSeen'),
      dataIndex: 'lastSeenAt',
      responsive: ['sm'],
      onCell: noWrap,
      render: (at: string | null) => (at ? formatDateTime(at, locale) : <Typography.Text type="secondary">{t('device.never')}</Typography.Text>),
    },
    { title: t('device.lastValues'), dataIndex: 'lastValues', render: (values: Device['lastValues'], d) => <span data-testid="device-last-values">{format.values(d.profile, values)}</span> },
    { title: t('device.problems'), key: 'problems', responsive: ['lg'], render: (_: unknown, d) => <RejectionSummary device={d} locale={locale} t={t} /> },
  ];

  return (
    <>
      <PageTitle title={t('device.title')}>{t('device.title')}</PageTitle>
      <Card>
        <Flex wrap gap="middle" className="gz-filters" role="search">
          <Select
            allowClear
            aria-label={t('device.profile')}
            placeholder={t('device.profilePlaceholder')}
            value={filters.profile}
            onChange={(profile: string | undefined) => setFilters((f) => ({ ...f, profile, page: 1 }))}
            options={DEVICE_PROFILE_IDS.map((id) => ({ value: id, label: DEVICE_PROFILES[id].name[locale] }))}
            style={{ minWidth: 240 }}
          />
        </Flex>
        {devices.isError ? (
          <ErrorResult error={devices.error} onRetry={() => void devices.refetch()} />
        ) : (
          <Table<Device>
            rowKey="id"
            columns={columns}
            dataSource={devices.data?.items ?? []}
            loading={devices.isFetching && !devices.data}
            pagination={listPagination(filters, setFilters, devices.data?.total ?? 0, (total) => t('common.total', { total }))}
          />
        )}
      </Card>
    </>
  );
}
