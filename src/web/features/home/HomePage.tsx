import { ArrowRightOutlined, MobileOutlined } from '@ant-design/icons';
import { Card, Col, Descriptions, Flex, Row, Skeleton, Statistic, Typography } from 'antd';
import { Link } from 'react-router';
import { REGION_LEVELS } from '../../../shared/regions.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { useNavItems } from '../../components/NavMenu.tsx';
import { levelLabel, roleLabel } from '../../labels.ts';
import { usePreferences } from '../../preferences.tsx';
import { useCan, useSession } from '../../session.tsx';
import { useRegion } from '../regions/queries.ts';

/** Roles that patrol their committee's grids (网格巡查) and report from the phone. */
const PATROL_ROLES = new Set(['social_worker', 'committee_head']);

export function HomePage() {
  const me = useSession();
  const { locale, t } = usePreferences();
  const can = useCan();
  const { assignment } = me;
  const region = useRegion(assignment.regionCode);
  const shortcuts = useNavItems().filter((item) => item.path !== '/');
  const counts = REGION_LEVELS.flatMap((level) => {
    const n = region.data?.descendants[level];
    return n ? [{ level, n }] : [];
  });

  return (
    <>
      <PageTitle title={t('nav.home')}>{t('home.welcome', { name: me.user.displayName })}</PageTitle>
      <Typography.Paragraph className="gz-lead">{t('home.intro')}</Typography.Paragraph>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={t('home.myScope')} className="gz-full-height">
            <Descriptions
              column={1}
              data-testid="home-scope"
              items={[
                { key: 'role', label: t('home.role'), children: roleLabel(assignment.role, locale) },
                { key: 'region', label: t('home.region'), children: <span data-testid="home-region">{assignment.regionName}</span> },
                ...(region.data ? [{ key: 'level', label: t('home.regionLevel'), children: levelLabel(region.data.level, locale) }] : []),
                ...(assignment.departmentName ? [{ key: 'department', label: t('home.department'), children: assignment.departmentName }] : []),
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card
            title={t('home.counts')}
            className="gz-full-height"
            extra={
              can('region.read') ? (
                <Link to={`/regions/${assignment.regionCode}`}>
                  {t('home.browseRegion')} <ArrowRightOutlined aria-hidden />
                </Link>
              ) : undefined
            }
          >
            {region.isPending ? (
              <Skeleton active paragraph={{ rows: 2 }} />
            ) : counts.length ? (
              <Flex wrap gap="large">
                {counts.map(({ level, n }) => (
                  <Statistic key={level} title={levelLabel(level, locale)} value={n} />
                ))}
              </Flex>
            ) : (
              <Typography.Text type="secondary">{region.isError ? region.error.message : t('home.noDescendants')}</Typography.Text>
            )}
          </Card>
        </Col>
        <Col xs={24}>
          <Card title={t('home.shortcuts')}>
            <Flex wrap gap="middle">
              {shortcuts.map((item) => (
                <Link key={item.path} to={item.path} className="gz-shortcut">
                  <span className="gz-shortcut-icon" aria-hidden>
                    {item.icon}
                  </span>
                  {t(item.label)}
                </Link>
              ))}
              {PATROL_ROLES.has(assignment.role) && (
                // 巡查: grid staff report what they find on their rounds from the phone app (channel patrol)
                <Link to="/m/report" className="gz-shortcut" data-testid="patrol-report">
                  <span className="gz-shortcut-icon" aria-hidden>
                    <MobileOutlined />
                  </span>
                  {t('home.patrolReport')}
                </Link>
              )}
            </Flex>
          </Card>
        </Col>
      </Row>
    </>
  );
}
