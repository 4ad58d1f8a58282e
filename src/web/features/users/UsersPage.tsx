import { EyeOutlined, LockOutlined, UnlockOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Flex, Input, Popconfirm, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { ROLES } from '../../../shared/roles.ts';
import { api } from '../../api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { listPagination } from '../../components/pagination.ts';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { formatDateTime } from '../../format.ts';
import { assignmentLabel, roleLabel } from '../../labels.ts';
import { usePreferences } from '../../preferences.tsx';
import { useCan, useSession } from '../../session.tsx';
import type { User } from '../../types.ts';
import { RevealPhoneModal } from './RevealPhoneModal.tsx';

interface Filters {
  q: string | undefined;
  role: string | undefined;
  page: number;
  pageSize: number;
}

export function UsersPage() {
  const { locale, t } = usePreferences();
  const me = useSession();
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState<Filters>({ q: undefined, role: undefined, page: 1, pageSize: 20 });
  const [revealing, setRevealing] = useState<User | null>(null);

  const users = useQuery({
    queryKey: ['users', filters],
    queryFn: () => api.users({ q: filters.q, role: filters.role, limit: filters.pageSize, offset: (filters.page - 1) * filters.pageSize }),
    placeholderData: keepPreviousData,
  });

  const onChanged = (user: User) => {
    message.success(t('user.updated', { name: user.displayName }));
    void queryClient.invalidateQueries({ queryKey: ['users'] });
  };
  const setStatus = useMutation({
    mutationFn: ({ id, status }: { id: string; status: 'active' | 'disabled' }) => api.setUserStatus(id, status),
    onSuccess: onChanged,
    onError: (error) => message.error(error.message),
  });
  const unlock = useMutation({ mutationFn: api.unlockUser, onSuccess: onChanged, onError: (error) => message.error(error.message) });

  const columns: TableColumnsType<User> = [
    {
      title: t('user.name'),
      dataIndex: 'displayName',
      render: (name: string, user) => (
        <Flex vertical>
          <Typography.Text strong>
            {name} {user.id === me.user.id && <Typography.Text type="secondary">{t('user.self')}</Typography.Text>}
          </Typography.Text>
          <Typography.Text type="secondary" className="gz-code">
            {user.username}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('user.phone'),
      dataIndex: 'phone',
      render: (phone: string | null, user) => (
        <Flex vertical align="start" gap={4}>
          <span className="gz-code">{phone ?? t('common.none')}</span>
          {phone && can('user.revealPersonalData') && (
            <Button size="small" icon={<EyeOutlined />} onClick={() => setRevealing(user)}>
              {t('user.reveal')}
            </Button>
          )}
        </Flex>
      ),
    },
    {
      title: t('user.roles'),
      dataIndex: 'assignments',
      responsive: ['md'],
      render: (_, user) => (
        <Flex wrap gap={4}>
          {user.assignments.map((a) => (
            <Tag key={a.id}>{assignmentLabel(a, locale)}</Tag>
          ))}
        </Flex>
      ),
    },
    {
      title: t('user.status'),
      dataIndex: 'status',
      render: (status: string, user) => (
        <Flex vertical align="start" gap={4}>
          <Tag color={status === 'active' ? 'green' : 'default'}>{status === 'active' ? t('user.status.active') : t('user.status.disabled')}</Tag>
          {user.lockedUntil && (
            <Tag color="red" icon={<LockOutlined />}>
              {t('user.lockedUntil', { time: formatDateTime(user.lockedUntil, locale) })}
            </Tag>
          )}
        </Flex>
      ),
    },
  ];
  if (can('user.manage')) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      render: (_, user) => (
        <Space wrap>
          {user.id !== me.user.id &&
            (user.status === 'active' ? (
              <Popconfirm
                title={t('user.disableConfirm', { name: user.displayName })}
                okText={t('user.disable')}
                okButtonProps={{ danger: true }}
                cancelText={t('common.cancel')}
                onConfirm={() => setStatus.mutateAsync({ id: user.id, status: 'disabled' }).catch(() => undefined)}
              >
                <Button danger>{t('user.disable')}</Button>
              </Popconfirm>
            ) : (
              <Popconfirm
                title={t('user.enableConfirm', { name: user.displayName })}
                okText={t('user.enable')}
                cancelText={t('common.cancel')}
                onConfirm={() => setStatus.mutateAsync({ id: user.id, status: 'active' }).catch(() => undefined)}
              >
                <Button>{t('user.enable')}</Button>
              </Popconfirm>
            ))}
          {user.lockedUntil && (
            <Popconfirm
              title={t('user.unlockConfirm', { name: user.displayName })}
              okText={t('user.unlock')}
              cancelText={t('common.cancel')}
              onConfirm={() => unlock.mutateAsync(user.id).catch(() => undefined)}
            >
              <Button icon={<UnlockOutlined />}>{t('user.unlock')}</Button>
            </Popconfirm>
          )}
        </Space>
      ),
    });
  }

  return (
    <>
      <PageTitle title={t('nav.users')}>{t('nav.users')}</PageTitle>
      <Card>
        <Flex wrap gap="middle" className="gz-filters" role="search">
          <Select
            allowClear
            aria-label={t('home.role')}
            placeholder={t('user.rolePlaceholder')}
            value={filters.role}
            onChange={(role: string | undefined) => setFilters((f) => ({ ...f, role, page: 1 }))}
            options={ROLES.map((role) => ({ value: role, label: roleLabel(role, locale) }))}
            style={{ minWidth: 200 }}
          />
          <Input.Search
            allowClear
            aria-label={t('common.keyword')}
            placeholder={t('user.keywordPlaceholder')}
            enterButton={t('common.search')}
            maxLength={50}
            onSearch={(value) => setFilters((f) => ({ ...f, q: value.trim() || undefined, page: 1 }))}
            style={{ maxWidth: 360 }}
          />
        </Flex>
        {users.isError ? (
          <ErrorResult error={users.error} onRetry={() => void users.refetch()} />
        ) : (
          <Table<User>
            rowKey="id"
            data-testid="users-table"
            columns={columns}
            dataSource={users.data?.items ?? []}
            loading={users.isFetching}
            pagination={listPagination(filters, setFilters, users.data?.total ?? 0, (total) => t('common.total', { total }))}
          />
        )}
      </Card>
      <RevealPhoneModal user={revealing} onClose={() => setRevealing(null)} />
    </>
  );
}
