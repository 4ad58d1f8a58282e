import { Card, Descriptions, Tag, Typography } from 'antd';
import { descendantSummary, levelLabel, regionKindLabel } from '../../labels.ts';
import { usePreferences } from '../../preferences.tsx';
import type { RegionDetail } from '../../types.ts';

export function RegionHeaderCard({ region }: { region: RegionDetail }) {
  const { locale, t } = usePreferences();
  const summary = descendantSummary(region.descendants, locale);
  return (
    <Card className="gz-region-card">
      <Typography.Title level={2} className="gz-region-title" data-testid="region-title">
        {region.name}
        <Tag color="blue" className="gz-level-tag">
          {levelLabel(region.level, locale)}
        </Tag>
      </Typography.Title>
      <Typography.Paragraph className="gz-region-counts" data-testid="region-counts">
        {summary || t('region.noChildren')}
      </Typography.Paragraph>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, md: 3 }}
        items={[
          { key: 'code', label: t('region.code'), children: <Typography.Text copyable>{region.code}</Typography.Text> },
          { key: 'kind', label: t('region.kind'), children: regionKindLabel(region.kind, locale) },
          {
            key: 'source',
            label: t('region.source'),
            children: region.source === 'local' ? t('region.source.local') : t('region.source.official', { source: region.source }),
          },
        ]}
      />
    </Card>
  );
}
