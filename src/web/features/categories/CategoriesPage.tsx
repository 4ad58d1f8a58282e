import { HistoryOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Input, Select, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { CATEGORY_TYPES, CATEGORY_TYPE_LABELS, VERIFICATION_RULE_LABELS, type CategoryType } from '../../../shared/categories.ts';
import { CLOCK_TYPE_LABELS, URGENCIES, type TimeLimit } from '../../../shared/time-limits.ts';
import type { Locale } from '../../../shared/i18n/locale.ts';
import { api } from '../../api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { departmentKindLabel } from '../../labels.ts';
import { usePreferences } from '../../preferences.tsx';
import type { Category } from '../../types.ts';
import { CategoryEditor } from './CategoryEditor.tsx';
import { CategoryHistory } from './CategoryHistory.tsx';
import { CategoryStateModal } from './CategoryStateModal.tsx';
import { useCanManageInstallation } from './manage.ts';

/** A class row with its leaves underneath (antd tree table). */
type Row = Category & { children?: Row[] };

function limitText(limit: TimeLimit, locale: Locale): string {
  return `${limit.amount} ${CLOCK_TYPE_LABELS[limit.clock][locale]}`;
}

function asTree(items: Category[]): Row[] {
  const classes = new Map<string, Row>();
  const roots: Row[] = [];
  for (const item of items) if (item.level === 'class') classes.set(item.code, { ...item, children: [] });
  for (const item of items) {
    if (item.level === 'class') roots.push(classes.get(item.code)!);
    else {
      const parent = item.parentCode ? classes.get(item.parentCode) : undefined;
      if (parent) parent.children!.push(item);
      else roots.push(item); // a matching leaf whose class did not match the filter
    }
  }
  return roots.map((r) => (r.children && r.children.length === 0 ? { ...r, children: undefined } : r));
}

/**
 * The case category catalogue (部件 / 事件 / 社区事项): everyone with `category.readAll` reads it and
 * its version history; district administrators also add, edit, switch off and on.
 */
export function CategoriesPage() {
  const { locale, t } = usePreferences();
  const queryClient = useQueryClient();
  const canManage = useCanManageInstallation('category.manage');
  const [type, setType] = useState<CategoryType | undefined>();
  const [q, setQ] = useState<string | undefined>();
  /** The category being edited; null while adding a new one; undefined when the editor is closed. */
  const [editing, setEditing] = useState<Category | null | undefined>();
  const [toggling, setToggling] = useState<Category | undefined>();
  const [viewing, setViewing] = useState<string | undefined>();
  const categories = useQuery({
    queryKey: ['categories', type, q],
    queryFn: () => api.categories({ type, q, includeInactive: true }),
    placeholderData: keepPreviousData,
  });
  const rows = useMemo(() => asTree(categories.data?.items ?? []), [categories.data]);
  const classes = useQuery({
    queryKey: ['categories', 'classes'],
    queryFn: () => api.categories({ includeInactive: true }),
    enabled: editing === null,
    select: (page) => page.items.filter((c) => c.level === 'class'),
  });
  const refresh = (code: string) => {
    void queryClient.invalidateQueries({ queryKey: ['categories'] });
    void queryClient.invalidateQueries({ queryKey: ['category', code] });
  };

  const columns: TableColumnsType<Row> = [
    { title: t('cat.code'), dataIndex: 'code', className: 'gz-code', width: 120 },
    {
      title: t('cat.name'),
      dataIndex: 'name',
      render: (_: string, c) => (
        <Flex gap="small" wrap align="center">
          <span>{locale === 'en' ? c.nameEn : c.name}</span>
          {!c.active && <Tag color="default">{t('cat.inactive')}</Tag>}
        </Flex>
      ),
    },
    { title: t('cat.type'), dataIndex: 'type', responsive: ['md'], render: (value: CategoryType) => <Tag>{CATEGORY_TYPE_LABELS[value][locale]}</Tag> },
    {
      title: t('cat.department'),
      dataIndex: 'departmentKind',
      responsive: ['lg'],
      render: (kind: string | null) => (kind ? departmentKindLabel(kind, locale) : ''),
    },
    {
      title: t('cat.limits'),
      dataIndex: 'timeLimits',
      render: (limits: Category['timeLimits']) => (limits ? URGENCIES.map((u) => limitText(limits[u], locale)).join(' / ') : ''),
    },
    {
      title: t('cat.verification'),
      dataIndex: 'verification',
      responsive: ['lg'],
      render: (rule: Category['verification']) => (rule ? VERIFICATION_RULE_LABELS[rule][locale] : ''),
    },
    { title: t('cat.version'), dataIndex: 'version', responsive: ['xl'], width: 80 },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_: unknown, c) => (
        <Flex gap={4} wrap>
          <Button type="link" size="small" icon={<HistoryOutlined />} onClick={() => setViewing(c.code)} data-testid={`category-history-${c.code}`}>
            {t('cat.history')}
          </Button>
          {canManage && (
            <>
              <Button type="link" size="small" onClick={() => setEditing(c)} data-testid={`category-edit-${c.code}`}>
                {t('cat.edit')}
              </Button>
              <Button variant="link" color={c.active ? 'danger' : 'primary'} size="small" onClick={() => setToggling(c)} data-testid={`category-toggle-${c.code}`}>
                {c.active ? t('cat.deactivate') : t('cat.activate')}
              </Button>
            </>
          )}
        </Flex>
      ),
    },
  ];

  return (
    <>
      <PageTitle
        title={t('nav.categories')}
        extra={
          canManage && (
            <Button type="primary" size="large" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="category-add">
              {t('cat.add')}
            </Button>
          )
        }
      >
        {t('nav.categories')}
      </PageTitle>
      <Card>
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={canManage ? t('cat.versionNotice') : t('cat.readOnly')}
          data-testid={canManage ? 'category-manage-notice' : 'category-readonly-notice'}
        />
        <Flex wrap gap="middle" className="gz-filters" role="search">
          <Select
            allowClear
            aria-label={t('cat.type')}
            placeholder={t('cat.typePlaceholder')}
            value={type}
            onChange={(value: CategoryType | undefined) => setType(value)}
            options={CATEGORY_TYPES.map((value) => ({ value, label: CATEGORY_TYPE_LABELS[value][locale] }))}
            style={{ minWidth: 180 }}
          />
          <Input.Search
            allowClear
            aria-label={t('common.keyword')}
            placeholder={t('cat.keywordPlaceholder')}
            enterButton={t('common.search')}
            maxLength={50}
            onSearch={(value) => setQ(value.trim() || undefined)}
            style={{ maxWidth: 360 }}
          />
          <Typography.Text type="secondary">{t('common.total', { total: categories.data?.total ?? 0 })}</Typography.Text>
        </Flex>
        {categories.isError ? (
          <ErrorResult error={categories.error} onRetry={() => void categories.refetch()} />
        ) : (
          <Table<Row>
            key={q ?? ''}
            rowKey="code"
            columns={columns}
            dataSource={rows}
            loading={categories.isFetching}
            pagination={false}
            expandable={{ defaultExpandAllRows: q !== undefined }}
          />
        )}
      </Card>
      {editing !== undefined && (editing !== null || classes.data) && (
        <CategoryEditor
          category={editing}
          classes={classes.data ?? []}
          onClose={() => setEditing(undefined)}
          onSaved={(detail) => {
            setEditing(undefined);
            refresh(detail.code);
          }}
        />
      )}
      {toggling && (
        <CategoryStateModal
          category={toggling}
          onClose={() => setToggling(undefined)}
          onDone={(detail) => {
            setToggling(undefined);
            refresh(detail.code);
          }}
        />
      )}
      {viewing && <CategoryHistory code={viewing} onClose={() => setViewing(undefined)} />}
    </>
  );
}
