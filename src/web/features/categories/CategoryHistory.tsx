import { useQuery } from '@tanstack/react-query';
import { Alert, Descriptions, Drawer, Flex, Spin, Table, Tag, Typography, type DescriptionsProps, type TableColumnsType } from 'antd';
import { CATEGORY_TYPE_LABELS, RESPONSIBILITY_RULE_LABELS, VERIFICATION_RULE_LABELS, type TimeLimits } from '../../../shared/categories.ts';
import type { Locale } from '../../../shared/i18n/locale.ts';
import { CLOCK_TYPE_LABELS, URGENCIES, URGENCY_LABELS } from '../../../shared/time-limits.ts';
import { api } from '../../api.ts';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { formatDateTime } from '../../format.ts';
import { departmentKindLabel } from '../../labels.ts';
import { usePreferences, type Translate } from '../../preferences.tsx';
import type { CategoryVersion, CategoryVersionSummary } from '../../types.ts';

export function limitsText(limits: TimeLimits | null, locale: Locale): string {
  if (!limits) return '';
  return URGENCIES.map((u) => `${limits[u].amount} ${CLOCK_TYPE_LABELS[limits[u].clock][locale]}`).join(' / ');
}

export function authorText(createdBy: string, t: Translate): string {
  return createdBy.startsWith('system:') ? t('cat.bySystem') : createdBy;
}

/** The rules one version carries, as cases filed under it see them. */
function VersionRules({ code, version }: { code: string; version: number }) {
  const { locale, t } = usePreferences();
  const detail = useQuery({ queryKey: ['category', code, 'version', version], queryFn: () => api.categoryVersion(code, version), staleTime: Infinity });
  if (detail.isPending) return <Spin />;
  if (detail.isError) return <Alert type="error" showIcon title={detail.error.message} />;
  return <RulesDescriptions v={detail.data} locale={locale} t={t} />;
}

function RulesDescriptions({ v, locale, t }: { v: Pick<CategoryVersion, 'name' | 'nameEn' | 'keywords' | 'departmentKind' | 'responsibility' | 'timeLimits' | 'verification' | 'residentSelectable' | 'duplicateRadiusM'>; locale: Locale; t: Translate }) {
  const none = t('common.none');
  const items: NonNullable<DescriptionsProps['items']> = [
    { key: 'name', label: t('cat.nameZh'), children: v.name },
    { key: 'nameEn', label: t('cat.nameEn'), children: v.nameEn },
    { key: 'keywords', label: t('cat.keywords'), children: v.keywords.length ? v.keywords.map((k) => <Tag key={k}>{k}</Tag>) : none },
  ];
  if (v.timeLimits) {
    items.push(
      { key: 'dept', label: t('cat.department'), children: v.departmentKind ? departmentKindLabel(v.departmentKind, locale) : none },
      { key: 'resp', label: t('cat.responsibility'), children: v.responsibility ? RESPONSIBILITY_RULE_LABELS[v.responsibility][locale] : none },
      ...URGENCIES.map((u) => {
        const limit = v.timeLimits![u];
        return { key: `limit-${u}`, label: t('cat.limitFor', { urgency: URGENCY_LABELS[u][locale] }), children: `${limit.amount} ${CLOCK_TYPE_LABELS[limit.clock][locale]}` };
      }),
      { key: 'verification', label: t('cat.verification'), children: v.verification ? VERIFICATION_RULE_LABELS[v.verification][locale] : none },
      { key: 'resident', label: t('cat.resident'), children: v.residentSelectable ? t('cat.yes') : t('cat.no') },
      { key: 'radius', label: t('cat.radius'), children: v.duplicateRadiusM ?? none },
    );
  }
  return <Descriptions size="small" bordered column={1} items={items} />;
}

/** A category's current rules and its version history (newest first); every reader may look. */
export function CategoryHistory({ code, onClose }: { code: string; onClose: () => void }) {
  const { locale, t } = usePreferences();
  const detail = useQuery({ queryKey: ['category', code], queryFn: () => api.category(code) });
  const c = detail.data;

  const columns: TableColumnsType<CategoryVersionSummary> = [
    {
      title: t('cat.version'),
      dataIndex: 'version',
      width: 110,
      render: (n: number) => (
        <Flex gap={4} align="center" wrap>
          {t('cat.versionN', { version: n })}
          {c && n === c.version && <Tag color="blue">{t('cat.current')}</Tag>}
        </Flex>
      ),
    },
    { title: t('cat.versionAt'), dataIndex: 'createdAt', render: (at: string) => <span className="gz-nowrap">{formatDateTime(at, locale)}</span> },
    { title: t('cat.versionBy'), dataIndex: 'createdBy', render: (by: string) => authorText(by, t) },
    { title: t('cat.note'), dataIndex: 'note', render: (note: string | null) => note ?? t('common.none') },
  ];

  return (
    <Drawer open onClose={onClose} size="large" title={c ? `${c.code} ${locale === 'en' ? c.nameEn : c.name}` : code} destroyOnHidden>
      {detail.isPending ? (
        <Spin />
      ) : detail.isError ? (
        <ErrorResult error={detail.error} onRetry={() => void detail.refetch()} />
      ) : (
        <Flex vertical gap="middle" data-testid="category-detail">
          <Flex gap="small" wrap>
            <Tag>{CATEGORY_TYPE_LABELS[detail.data.type][locale]}</Tag>
            <Tag color={detail.data.active ? 'green' : 'default'}>{detail.data.active ? t('cat.active') : t('cat.inactive')}</Tag>
            <Tag color="blue" data-testid="category-current-version">{t('cat.versionN', { version: detail.data.version })}</Tag>
          </Flex>
          <Alert type="info" showIcon title={t('cat.versionNotice')} />
          <RulesDescriptions v={detail.data} locale={locale} t={t} />
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('cat.history')}
          </Typography.Title>
          <Table<CategoryVersionSummary>
            size="small"
            rowKey="version"
            columns={columns}
            dataSource={detail.data.versions}
            pagination={false}
            expandable={{ expandedRowRender: (v) => <VersionRules code={code} version={v.version} /> }}
            data-testid="category-versions"
          />
        </Flex>
      )}
    </Drawer>
  );
}
