import { Breadcrumb, Button, Flex, Result, Skeleton } from 'antd';
import { Link, Navigate, useParams } from 'react-router';
import { ApiError } from '../../api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { usePreferences } from '../../preferences.tsx';
import { useCan, useSession } from '../../session.tsx';
import type { RegionDetail } from '../../types.ts';
import { AddLocalRegionForm } from './AddLocalRegionForm.tsx';
import { RegionChildrenTable } from './RegionChildrenTable.tsx';
import { RegionHeaderCard } from './RegionHeaderCard.tsx';
import { RegionSearch } from './RegionSearch.tsx';
import { useRegion, useRegionChildren } from './queries.ts';

/** /regions → the active assignment's region. */
export function RegionsIndex() {
  const me = useSession();
  return <Navigate to={`/regions/${me.assignment.regionCode}`} replace />;
}

export function RegionPage() {
  const { code = '' } = useParams();
  const { t } = usePreferences();
  const can = useCan();
  const region = useRegion(code);
  const children = useRegionChildren(code, region.isSuccess);

  const notFound = region.error instanceof ApiError && region.error.status === 404;

  return (
    <>
      <PageTitle title={region.data?.name ?? t('nav.regions')} extra={<RegionSearch />}>
        {t('nav.regions')}
      </PageTitle>
      {region.isPending && <Skeleton active paragraph={{ rows: 6 }} />}
      {notFound && <NotInScope />}
      {region.isError && !notFound && <ErrorResult error={region.error} onRetry={() => void region.refetch()} />}
      {region.data && (
        <Flex vertical gap="middle">
          <RegionBreadcrumb region={region.data} />
          <RegionHeaderCard region={region.data} />
          {can('region.manage') && (region.data.level === 'committee' || region.data.level === 'grid') && <AddLocalRegionForm region={region.data} />}
          {children.isError ? (
            <ErrorResult error={children.error} onRetry={() => void children.refetch()} />
          ) : (
            <RegionChildrenTable regions={children.data ?? []} loading={children.isPending} canManage={can('region.manage')} />
          )}
        </Flex>
      )}
    </>
  );
}

function RegionBreadcrumb({ region }: { region: RegionDetail }) {
  return (
    <Breadcrumb
        className="gz-breadcrumb"
        data-testid="region-breadcrumb"
        items={[
          ...region.ancestors.map((a) => ({ key: a.code, title: <Link to={`/regions/${a.code}`}>{a.name}</Link> })),
          { key: region.code, title: <span aria-current="page">{region.name}</span> },
        ]}
      />
  );
}

function NotInScope() {
  const { t } = usePreferences();
  const me = useSession();
  return (
    <Result
      status="warning"
      title={<span data-testid="not-in-scope">{t('region.notInScope')}</span>}
      subTitle={t('region.notInScopeHint')}
      extra={
        <Link to={`/regions/${me.assignment.regionCode}`}>
          <Button type="primary" size="large">
            {t('region.backToMine')}
          </Button>
        </Link>
      }
    />
  );
}
