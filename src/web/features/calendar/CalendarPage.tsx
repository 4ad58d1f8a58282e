import { CalendarOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Flex, Row, Select, Spin, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { api } from '../../api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { formatDateTime } from '../../format.ts';
import { usePreferences, type Translate } from '../../preferences.tsx';
import type { CalendarYearSummary } from '../../types.ts';
import { useCanManageInstallation } from '../categories/manage.ts';
import { shanghaiNow } from './calendarDates.ts';
import { DeadlineCalculator } from './DeadlineCalculator.tsx';
import { WorkingHoursCard } from './WorkingHours.tsx';
import { YearEditor } from './YearEditor.tsx';
import { YearGrid } from './YearGrid.tsx';

function SourceTag({ source, t }: { source: string; t: Translate }) {
  return source === 'manual' ? (
    <Tag color="gold">{t('cal.sourceManual')}</Tag>
  ) : (
    <Tag color="blue" title={source}>
      {t('cal.sourceBundled', { source })}
    </Tag>
  );
}

/**
 * 工作日历: the holidays and 调休 working weekends the time limits count on, the working hours, and a
 * deadline calculator. District administrators enter next year's schedule and change the hours.
 */
export function CalendarPage() {
  const { locale, t } = usePreferences();
  const queryClient = useQueryClient();
  const canManage = useCanManageInstallation('calendar.manage');
  const today = shanghaiNow().slice(0, 10);
  const thisYear = Number(today.slice(0, 4));
  const [chosen, setChosen] = useState<number | undefined>();
  /** The year being entered: `isNew` asks for the year number too. */
  const [editor, setEditor] = useState<{ year: number; isNew: boolean } | undefined>();

  const years = useQuery({ queryKey: ['calendar', 'years'], queryFn: api.calendarYears });
  const known = (years.data?.items ?? []).map((y) => y.year).sort((a, b) => b - a);
  const year = chosen ?? (known.includes(thisYear) || known.length === 0 ? thisYear : Math.max(...known));
  const summary = years.data?.items.find((y) => y.year === year);
  const detail = useQuery({ queryKey: ['calendar', 'year', year], queryFn: () => api.calendarYear(year), enabled: summary !== undefined });
  const options = [...new Set([...known, thisYear, thisYear + 1, year])].sort((a, b) => b - a);
  const lastKnown = known[0];
  const lastBundled = Math.max(0, ...(years.data?.items ?? []).filter((y) => y.source !== 'manual').map((y) => y.year));

  const columns: TableColumnsType<CalendarYearSummary> = [
    {
      title: t('cal.year'),
      dataIndex: 'year',
      render: (y: number) => (
        <Button type="link" size="small" onClick={() => setChosen(y)} data-testid={`calendar-years-${y}`}>
          {y}
        </Button>
      ),
    },
    { title: t('cal.source'), dataIndex: 'source', render: (source: string) => <SourceTag source={source} t={t} /> },
    { title: t('cal.holidays'), dataIndex: 'holidays', responsive: ['sm'] },
    { title: t('cal.workdays'), dataIndex: 'workdays', responsive: ['sm'] },
    { title: t('cal.updated'), dataIndex: 'updatedAt', responsive: ['md'], render: (at: string) => formatDateTime(at, locale) },
    { title: t('cal.updatedBy'), dataIndex: 'updatedBy', responsive: ['lg'], render: (by: string | null) => by ?? t('cal.byImport') },
  ];

  const openEditor = (isNew: boolean) => {
    const next = isNew ? (lastKnown !== undefined ? Math.max(lastKnown + 1, thisYear) : thisYear) : year;
    setEditor({ year: isNew && known.includes(next) ? next + 1 : next, isNew });
  };

  return (
    <>
      <PageTitle
        title={t('nav.calendar')}
        extra={
          canManage && (
            <Button type="primary" size="large" icon={<PlusOutlined />} onClick={() => openEditor(true)} data-testid="calendar-add-year">
              {t('cal.addYear')}
            </Button>
          )
        }
      >
        {t('nav.calendar')}
      </PageTitle>
      <Flex vertical gap="middle">
        {!canManage && <Alert type="info" showIcon title={t('cal.readOnly')} data-testid="calendar-readonly-notice" />}
        <Card
          title={
            <Flex gap="small" align="center" wrap>
              <CalendarOutlined />
              <span data-testid="calendar-year-title">{t('cal.yearTitle', { year })}</span>
              {summary && <SourceTag source={summary.source} t={t} />}
            </Flex>
          }
          extra={
            <Flex gap="small" wrap>
              <Select
                aria-label={t('cal.year')}
                value={year}
                onChange={(y: number) => setChosen(y)}
                options={options.map((y) => ({ value: y, label: known.includes(y) ? String(y) : t('cal.yearMissing', { year: y }) }))}
                style={{ minWidth: '9em' }}
                data-testid="calendar-year-select"
              />
              {canManage && summary && (
                <Button icon={<EditOutlined />} onClick={() => openEditor(false)} data-testid="calendar-edit-year">
                  {t('cal.editYear')}
                </Button>
              )}
            </Flex>
          }
        >
          <Flex gap="middle" wrap className="gz-cal-legend" aria-hidden>
            <span>
              <span className="gz-cal-swatch gz-cal-holiday">{t('cal.holiday')}</span> {t('cal.legendHoliday')}
            </span>
            <span>
              <span className="gz-cal-swatch gz-cal-workday">{t('cal.workday')}</span> {t('cal.legendWorkday')}
            </span>
            <span>
              <span className="gz-cal-swatch gz-cal-weekend">{'\u00a0'}</span> {t('cal.legendWeekend')}
            </span>
          </Flex>
          {years.isError ? (
            <ErrorResult error={years.error} onRetry={() => void years.refetch()} />
          ) : years.isPending ? (
            <Spin />
          ) : !summary ? (
            <>
              <Alert type="warning" showIcon title={t('cal.notLoaded', { year })} style={{ marginBottom: 16 }} data-testid="calendar-not-loaded" />
              <YearGrid year={year} days={[]} today={today} />
            </>
          ) : detail.isError ? (
            <ErrorResult error={detail.error} onRetry={() => void detail.refetch()} />
          ) : detail.isPending ? (
            <Spin />
          ) : (
            <>
              <Typography.Paragraph type="secondary" data-testid="calendar-year-counts">
                {t('cal.dayCount', { holidays: summary.holidays, workdays: summary.workdays })}
                {summary.updatedBy ? ` · ${t('cal.changedBy', { at: formatDateTime(summary.updatedAt, locale), by: summary.updatedBy })}` : ''}
              </Typography.Paragraph>
              <YearGrid year={year} days={detail.data.days} today={today} />
            </>
          )}
        </Card>
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={10}>
            <WorkingHoursCard canManage={canManage} />
          </Col>
          <Col xs={24} lg={14}>
            <DeadlineCalculator />
          </Col>
        </Row>
        <Card title={t('cal.years')}>
          <Typography.Paragraph type="secondary">{t('cal.yearsHint', { last: lastBundled || t('common.none') })}</Typography.Paragraph>
          <Table<CalendarYearSummary>
            rowKey="year"
            size="small"
            columns={columns}
            dataSource={[...(years.data?.items ?? [])].sort((a, b) => b.year - a.year)}
            loading={years.isPending}
            pagination={{ pageSize: 8, showSizeChanger: false }}
            data-testid="calendar-years"
          />
        </Card>
      </Flex>
      {editor && (
        <YearEditor
          year={editor.year}
          isNew={editor.isNew}
          knownYears={known}
          existing={!editor.isNew && detail.data ? detail.data.days : []}
          onClose={() => setEditor(undefined)}
          onSaved={(saved) => {
            setEditor(undefined);
            setChosen(saved.year);
            queryClient.setQueryData(['calendar', 'year', saved.year], saved);
            void queryClient.invalidateQueries({ queryKey: ['calendar', 'years'] });
          }}
        />
      )}
    </>
  );
}
