import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Flex, Input, Select, Table, Tag, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { DEPARTMENT_KINDS } from '../../../shared/departments.ts';
import { api } from '../../api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { listPagination } from '../../components/pagination.ts';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { departmentKindLabel } from '../../labels.ts';
import { usePreferences } from '../../preferences.tsx';
import type { Department } from '../../types.ts';

interface Filters {
  kind: string | undefined;
  q: string | undefined;
  page: number;
  pageSize: number;
}

export function DepartmentsPage() {
  const { locale, t } = usePreferences();
  const [filters, setFilters] = useState<Filters>({ kind: undefined, q: undefined, page: 1, pageSize: 20 });
  const departments = useQuery({
    queryKey: ['departments', filters],
    queryFn: () =>
      api.departments({ kind: filters.kind, q: filters.q, limit: filters.pageSize, offset: (filters.page - 1) * filters.pageSize }),
    placeholderData: keepPreviousData,
  });

  const columns: TableColumnsType<Department> = [
    { title: t('dept.name'), dataIndex: 'name' },
    { title: t('dept.kind'), dataIndex: 'kind', render: (kind: string) => <Tag>{departmentKindLabel(kind, locale)}</Tag> },
    {
      title: t('dept.region'),
      dataIndex: 'regionName',
      render: (name: string, d) => <Link to={`/regions/${d.regionCode}`}>{name}</Link>,
      responsive: ['sm'],
    },
    { title: t('dept.code'), dataIndex: 'code', className: 'gz-code', responsive: ['md'] },
  ];

  return (
    <>
      <PageTitle title={t('nav.departments')}>{t('nav.departments')}</PageTitle>
      <Card>
        <Flex wrap gap="middle" className="gz-filters" role="search">
          <Select
            allowClear
            aria-label={t('dept.kind')}
            placeholder={t('dept.kindPlaceholder')}
            value={filters.kind}
            onChange={(kind: string | undefined) => setFilters((f) => ({ ...f, kind, page: 1 }))}
            options={DEPARTMENT_KINDS.map((kind) => ({ value: kind, label: departmentKindLabel(kind, locale) }))}
            style={{ minWidth: 200 }}
          />
          <Input.Search
            allowClear
            aria-label={t('common.keyword')}
            placeholder={t('dept.keywordPlaceholder')}
            enterButton={t('common.search')}
            maxLength={50}
            onSearch={(value) => setFilters((f) => ({ ...f, q: value.trim() || undefined, page: 1 }))}
            style={{ maxWidth: 360 }}
          />
        </Flex>
        {departments.isError ? (
          <ErrorResult error={departments.error} onRetry={() => void departments.refetch()} />
        ) : (
          <Table<Department>
            rowKey="id"
            columns={columns}
            dataSource={departments.data?.items ?? []}
            loading={departments.isFetching}
            pagination={listPagination(filters, setFilters, departments.data?.total ?? 0, (total) => t('common.total', { total }))}
          />
        )}
      </Card>
    </>
  );
}
