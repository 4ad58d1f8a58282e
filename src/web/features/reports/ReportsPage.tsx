import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Flex, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { HOUSEHOLD_COLUMN_LABELS, HOUSEHOLD_COLUMNS, LIST_GROUPS, PERSON_COLUMN_LABELS, PERSON_COLUMNS } from '../../../shared/reports.ts';
import { api } from '../../api.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { usePreferences } from '../../preferences.tsx';
import { useCan, useSession } from '../../session.tsx';
import { RegionPicker } from '../rules/RulesPage.tsx';
import { reportsApi, reportUrl, type Definition, type ReportJson, type TemplateSummary } from './reportsApi.ts';

const time = (iso: string, locale: string) => new Date(iso).toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai' });

/** A report as a table: subtotal and total rows in bold, as on the printed form. */
function ReportTable({ report }: { report: ReportJson }) {
  return (
    <Table
      size="small"
      bordered
      scroll={{ x: true }}
      rowKey={(_, i) => String(i)}
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      dataSource={report.rows}
      rowClassName={(r) => (r.kind === 'data' ? '' : 'gz-report-total')}
      columns={report.columns.map((c, i) => ({
        title: c.label,
        key: c.key,
        render: (_: unknown, r: ReportJson['rows'][number]) => (r.kind === 'data' ? r.cells[i] : <strong>{r.cells[i]}</strong>),
      }))}
    />
  );
}

function TemplatesTab({ templates, region }: { templates: TemplateSummary[]; region: string }) {
  const { t } = usePreferences();
  const client = useQueryClient();
  const [viewing, setViewing] = useState<string | null>(null);
  const report = useQuery({ queryKey: ['reports', 'view', viewing, region], queryFn: () => reportsApi.report(viewing!, region), enabled: viewing !== null });
  const run = useMutation({ mutationFn: (code: string) => reportsApi.createRun(code, region), onSuccess: () => void client.invalidateQueries({ queryKey: ['reports', 'runs'] }) });
  return (
    <>
      {run.error && <Alert type="error" showIcon title={run.error.message} style={{ marginBottom: 12 }} />}
      {run.data && <Alert type="success" showIcon title={t('reports.runSaved', { rows: run.data.rows })} style={{ marginBottom: 12 }} />}
      <Table
        rowKey="code"
        size="middle"
        pagination={false}
        dataSource={templates}
        data-testid="report-templates"
        columns={[
          { title: t('reports.template'), render: (_, x) => <Space>{x.name}{x.sensitive && <Tag color="orange">{t('reports.sensitive')}</Tag>}{!x.builtin && <Tag>{t('reports.designed')}</Tag>}</Space> },
          { title: t('reports.version'), dataIndex: 'version', width: 80 },
          {
            title: t('common.actions'),
            render: (_, x) => (
              <Space wrap>
                <Button size="small" onClick={() => setViewing(x.code)}>{t('reports.view')}</Button>
                <Button size="small" href={reportUrl(x.code, region, 'xlsx')}>{t('reports.downloadXlsx')}</Button>
                <Button size="small" loading={run.isPending && run.variables === x.code} onClick={() => run.mutate(x.code)}>{t('reports.keepRun')}</Button>
              </Space>
            ),
          },
        ]}
      />
      <Modal open={viewing !== null} onCancel={() => setViewing(null)} footer={null} width="90%" title={report.data ? `${report.data.title} · ${report.data.region.name} · ${t('reports.asOf')} ${report.data.asOf}` : t('reports.view')} destroyOnHidden>
        {report.isError && <ErrorResult error={report.error} />}
        {report.data && <ReportTable report={report.data} />}
      </Modal>
    </>
  );
}

function RunsTab() {
  const { t, locale } = usePreferences();
  const runs = useQuery({ queryKey: ['reports', 'runs'], queryFn: reportsApi.runs });
  if (runs.isError) return <ErrorResult error={runs.error} onRetry={() => void runs.refetch()} />;
  return (
    <Table
      rowKey="id"
      size="small"
      loading={runs.isPending}
      dataSource={runs.data?.items ?? []}
      columns={[
        { title: t('reports.template'), render: (_, r) => `${r.name} v${r.version}` },
        { title: t('reports.region'), dataIndex: 'regionName' },
        { title: t('reports.rows'), dataIndex: 'rows', width: 80 },
        { title: t('reports.createdBy'), dataIndex: 'createdBy' },
        { title: t('reports.createdAt'), dataIndex: 'createdAt', render: (v: string) => time(v, locale) },
        { title: t('common.actions'), render: (_, r) => <a href={r.downloadUrl}>{t('reports.download')}</a> },
      ]}
    />
  );
}

function SchedulesTab({ templates, region }: { templates: TemplateSummary[]; region: string }) {
  const { t, locale } = usePreferences();
  const client = useQueryClient();
  const schedules = useQuery({ queryKey: ['reports', 'schedules'], queryFn: reportsApi.schedules });
  const departments = useQuery({ queryKey: ['departments', 'all'], queryFn: () => api.departments({ limit: 200, offset: 0 }) });
  const refresh = () => void client.invalidateQueries({ queryKey: ['reports', 'schedules'] });
  const create = useMutation({ mutationFn: reportsApi.createSchedule, onSuccess: refresh });
  const toggle = useMutation({ mutationFn: ({ id, active }: { id: string; active: boolean }) => reportsApi.setScheduleActive(id, active), onSuccess: refresh });
  return (
    <Flex vertical gap="middle">
      <Form layout="inline" onFinish={(v: { template: string; dayOfMonth: number; hour: number; departmentId?: string }) => create.mutate({ template: v.template, region, dayOfMonth: v.dayOfMonth, hour: v.hour, departmentId: v.departmentId ?? null })} initialValues={{ dayOfMonth: 1, hour: 8 }}>
        <Form.Item name="template" label={t('reports.template')} rules={[{ required: true }]}>
          <Select style={{ minWidth: 200 }} options={templates.map((x) => ({ value: x.code, label: x.name }))} />
        </Form.Item>
        <Form.Item name="dayOfMonth" label={t('reports.dayOfMonth')}>
          <InputNumber min={1} max={28} />
        </Form.Item>
        <Form.Item name="hour" label={t('reports.hour')}>
          <InputNumber min={0} max={23} />
        </Form.Item>
        <Form.Item name="departmentId" label={t('reports.department')}>
          <Select allowClear style={{ minWidth: 200 }} options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={create.isPending}>{t('reports.addSchedule')}</Button>
      </Form>
      {create.error && <Alert type="error" showIcon title={create.error.message} />}
      <Typography.Text type="secondary">{t('reports.scheduleHint')}</Typography.Text>
      <Table
        rowKey="id"
        size="small"
        loading={schedules.isPending}
        dataSource={schedules.data?.items ?? []}
        columns={[
          { title: t('reports.template'), render: (_, s) => templates.find((x) => x.code === s.template)?.name ?? s.template },
          { title: t('reports.region'), dataIndex: 'regionName' },
          { title: t('reports.when'), render: (_, s) => t('reports.monthly', { day: s.dayOfMonth, hour: s.hour }) },
          { title: t('reports.department'), render: (_, s) => s.departmentName ?? t('common.none') },
          { title: t('reports.nextRun'), dataIndex: 'nextRunAt', render: (v: string) => time(v, locale) },
          { title: t('reports.active'), render: (_, s) => <Switch checked={s.active} onChange={(active) => toggle.mutate({ id: s.id, active })} /> },
        ]}
      />
    </Flex>
  );
}

interface DesignForm {
  code: string;
  name: string;
  title: string;
  subject: 'person' | 'household';
  columns: string[];
  tagsAll: string[];
  minAge?: number;
  maxAge?: number;
  groupBy?: string;
  totals: boolean;
}

/** A list template from the form: the designer covers lists; summaries start from a shipped one. */
function definitionOf(v: DesignForm): Definition {
  return {
    kind: 'list',
    subject: v.subject,
    title: v.title,
    filter: { ...(v.tagsAll.length ? { tagsAll: v.tagsAll } : {}), ...(v.minAge !== undefined && v.minAge !== null ? { minAge: v.minAge } : {}), ...(v.maxAge !== undefined && v.maxAge !== null ? { maxAge: v.maxAge } : {}) },
    columns: v.columns.map((field) => ({ field })),
    ...(v.groupBy ? { groupBy: v.groupBy as (typeof LIST_GROUPS)[number] } : {}),
    totals: v.totals,
  };
}

function DesignerTab({ region }: { region: string }) {
  const { t, locale } = usePreferences();
  const client = useQueryClient();
  const [form] = Form.useForm<DesignForm>();
  const subject = Form.useWatch('subject', form) ?? 'person';
  const tags = useQuery({ queryKey: ['ledger', 'tags'], queryFn: api.ledgerTags });
  const preview = useMutation({ mutationFn: (v: DesignForm) => reportsApi.preview(definitionOf(v), region) });
  const save = useMutation({
    mutationFn: (v: DesignForm) => reportsApi.saveTemplate({ code: v.code, name: v.name, definition: definitionOf(v) }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['reports', 'templates'] }),
  });
  const columnOptions =
    subject === 'person'
      ? [...PERSON_COLUMNS.map((c) => ({ value: c, label: PERSON_COLUMN_LABELS[c][locale] })), ...(tags.data?.items ?? []).map((x) => ({ value: `tag.${x.code}`, label: `${t('reports.tagColumn')}${x.name}` }))]
      : HOUSEHOLD_COLUMNS.map((c) => ({ value: c, label: HOUSEHOLD_COLUMN_LABELS[c][locale] }));
  return (
    <Flex vertical gap="middle">
      <Form<DesignForm> form={form} layout="vertical" initialValues={{ subject: 'person', columns: ['committee', 'name', 'sex', 'age'], tagsAll: [], totals: true, groupBy: 'committee' }} style={{ maxWidth: 720 }}>
        <Space wrap>
          <Form.Item name="code" label={t('reports.code')} rules={[{ required: true, pattern: /^[a-z][a-z0-9_-]{1,59}$/, message: t('reports.codeRule') }]}>
            <Input placeholder="elderly-alone-80" />
          </Form.Item>
          <Form.Item name="name" label={t('reports.name')} rules={[{ required: true, whitespace: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="title" label={t('reports.formTitle')} rules={[{ required: true, whitespace: true }]}>
            <Input />
          </Form.Item>
        </Space>
        <Form.Item name="subject" label={t('reports.subject')}>
          <Select options={[{ value: 'person', label: t('reports.subject.person') }, { value: 'household', label: t('reports.subject.household') }]} />
        </Form.Item>
        <Form.Item name="columns" label={t('reports.columns')} rules={[{ required: true }]}>
          <Select mode="multiple" options={columnOptions} />
        </Form.Item>
        <Form.Item name="tagsAll" label={t('reports.filterTags')}>
          <Select mode="multiple" options={(tags.data?.items ?? []).map((x) => ({ value: x.code, label: x.name }))} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="minAge" label={t('reports.minAge')}>
            <InputNumber min={0} max={150} />
          </Form.Item>
          <Form.Item name="maxAge" label={t('reports.maxAge')}>
            <InputNumber min={0} max={150} />
          </Form.Item>
          <Form.Item name="groupBy" label={t('reports.groupBy')}>
            <Select allowClear style={{ minWidth: 160 }} options={LIST_GROUPS.map((g) => ({ value: g, label: t(`reports.group.${g}`) }))} />
          </Form.Item>
          <Form.Item name="totals" label={t('reports.totals')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>
        <Space>
          <Button onClick={() => void form.validateFields(['title', 'columns']).then(() => preview.mutate(form.getFieldsValue(true)))} loading={preview.isPending}>
            {t('reports.preview')}
          </Button>
          <Button type="primary" onClick={() => void form.validateFields().then((v) => save.mutate({ ...form.getFieldsValue(true), ...v }))} loading={save.isPending}>
            {t('reports.saveVersion')}
          </Button>
        </Space>
      </Form>
      {(preview.error ?? save.error) && <Alert type="error" showIcon title={(preview.error ?? save.error)!.message} />}
      {save.data && <Alert type="success" showIcon title={t('reports.saved', { code: save.data.code, version: save.data.version })} />}
      {preview.data && (
        <>
          <Typography.Text>{t('reports.previewRows', { rows: preview.data.rowCount })}</Typography.Text>
          <ReportTable report={preview.data} />
        </>
      )}
    </Flex>
  );
}

/** 报表 (多表合一): the department forms generated from the ledger, their runs, schedules and the designer. */
export function ReportsPage() {
  const { t } = usePreferences();
  const me = useSession();
  const can = useCan();
  const [region, setRegion] = useState(me.assignment.regionCode);
  const templates = useQuery({ queryKey: ['reports', 'templates'], queryFn: reportsApi.templates });
  const items = templates.data?.items ?? [];
  return (
    <PageTitle title={t('reports.title')} extra={<RegionPicker value={region} onChange={setRegion} />}>
      {templates.isError ? (
        <ErrorResult error={templates.error} onRetry={() => void templates.refetch()} />
      ) : (
        <Tabs
          items={[
            { key: 'templates', label: t('reports.tab.templates'), children: <TemplatesTab templates={items} region={region} /> },
            { key: 'runs', label: t('reports.tab.runs'), children: <RunsTab /> },
            ...(can('reports.schedule') ? [{ key: 'schedules', label: t('reports.tab.schedules'), children: <SchedulesTab templates={items} region={region} /> }] : []),
            ...(can('reports.design') ? [{ key: 'designer', label: t('reports.tab.designer'), children: <DesignerTab region={region} /> }] : []),
          ]}
        />
      )}
    </PageTitle>
  );
}
