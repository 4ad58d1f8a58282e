import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Drawer, Flex, Input, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import type { EligibilityRule, RuleExample } from '../../../shared/services.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { usePreferences } from '../../preferences.tsx';
import { useCan } from '../../session.tsx';
import { servicesApi, type RuleTestResult, type ServiceDetail, type ServiceSummary } from './servicesApi.ts';

/** 服务目录: the catalogue with each rule read aloud; stewards edit a rule and run its examples live before saving (a new version). */
export function ServicesPage() {
  const { t } = usePreferences();
  const can = useCan();
  const [open, setOpen] = useState<string | null>(null);
  const list = useQuery({ queryKey: ['services', 'list'], queryFn: servicesApi.list });
  const uptake = useQuery({ queryKey: ['services', 'uptake'], queryFn: servicesApi.uptake, enabled: can('services.eligible.read') });
  const rate = (id: string) => uptake.data?.items.find((u) => u.serviceId === id);

  const columns: TableColumnsType<ServiceSummary> = [
    { title: t('services.col.name'), dataIndex: 'name', render: (name: string, s) => (<>{name} {s.autoGrant && <Tag color="green">{t('services.autoGrant')}</Tag>}</>) },
    { title: t('services.col.department'), dataIndex: 'department' },
    { title: t('services.col.rule'), dataIndex: 'ruleText' },
    { title: t('services.col.version'), dataIndex: 'version', width: 70 },
    {
      title: t('services.uptake.title'),
      key: 'uptake',
      render: (_v, s) => {
        const u = rate(s.id);
        return u ? `${u.total} · ${t('services.uptake.rate', { rate: u.reachedRate === null ? '—' : `${Math.round(u.reachedRate * 100)}%` })}` : '—';
      },
    },
  ];
  return (
    <>
      <PageTitle title={t('services.title')}>{t('services.title')}</PageTitle>
      <Card>
        {list.isError ? (
          <ErrorResult error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <Table rowKey="id" loading={list.isPending} dataSource={list.data?.items ?? []} columns={columns} pagination={false} onRow={(s) => ({ onClick: () => setOpen(s.id), style: { cursor: 'pointer' } })} data-testid="services-table" />
        )}
      </Card>
      {open && <RuleDrawer id={open} editable={can('services.manage')} onClose={() => setOpen(null)} />}
    </>
  );
}

function parse<T>(text: string): T | null {
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

function RuleDrawer({ id, editable, onClose }: { id: string; editable: boolean; onClose: () => void }) {
  const { t } = usePreferences();
  const detail = useQuery({ queryKey: ['services', 'detail', id], queryFn: () => servicesApi.get(id) });
  return (
    <Drawer open width={720} title={detail.data?.name ?? ''} onClose={onClose} data-testid="service-drawer">
      {detail.isError ? <ErrorResult error={detail.error} onRetry={() => void detail.refetch()} /> : detail.data ? <RuleEditor service={detail.data} editable={editable} key={detail.data.version} /> : null}
      {detail.data && (
        <Typography.Paragraph type="secondary">
          {t('services.col.version')} {detail.data.versions.map((v) => `v${v.version}`).join(' · ')}
        </Typography.Paragraph>
      )}
    </Drawer>
  );
}

function RuleEditor({ service, editable }: { service: ServiceDetail; editable: boolean }) {
  const { t } = usePreferences();
  const client = useQueryClient();
  const [ruleText, setRuleText] = useState(JSON.stringify(service.rule, null, 2));
  const [examplesText, setExamplesText] = useState(JSON.stringify(service.examples, null, 2));
  const [result, setResult] = useState<RuleTestResult | null>({ ruleText: service.rules[0]?.text ?? '', passed: service.exampleOutcomes.every((o) => o.passed), outcomes: service.exampleOutcomes });
  const rule = parse<EligibilityRule>(ruleText);
  const examples = parse<RuleExample[]>(examplesText);
  const run = useMutation({ mutationFn: () => servicesApi.testRule(rule!, examples!, service.code), onSuccess: setResult });
  const save = useMutation({
    mutationFn: () =>
      servicesApi.update(service.id, {
        code: service.code, name: service.name, nameEn: service.nameEn, category: service.category as 'elderly', department: service.department, description: service.description,
        howToApply: service.howToApply, documents: service.documents, autoGrant: service.autoGrant, validFrom: service.validFrom, validTo: service.validTo, regionCode: service.regionCode,
        enabled: service.enabled, rule: rule!, examples: examples!,
      }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['services'] }),
  });
  const valid = rule !== null && examples !== null;
  return (
    <Flex vertical gap="middle">
      <Typography.Paragraph>{service.description}</Typography.Paragraph>
      <Typography.Text strong>{t('services.rule')}</Typography.Text>
      <Input.TextArea rows={8} value={ruleText} onChange={(e) => setRuleText(e.target.value)} readOnly={!editable} className="gz-code" data-testid="service-rule" />
      <Typography.Text strong>{t('services.examples')}</Typography.Text>
      <Input.TextArea rows={8} value={examplesText} onChange={(e) => setExamplesText(e.target.value)} readOnly={!editable} className="gz-code" data-testid="service-examples" />
      {!valid && <Alert type="warning" message={t('services.badJson')} />}
      {(run.error ?? save.error) && <Alert type="error" showIcon message={(run.error ?? save.error)!.message} />}
      {save.isSuccess && <Alert type="success" message={t('services.saved')} />}
      {editable && (
        <Flex gap="small">
          <Button onClick={() => run.mutate()} disabled={!valid} loading={run.isPending} data-testid="service-run">
            {t('services.run')}
          </Button>
          <Button type="primary" onClick={() => save.mutate()} disabled={!valid} loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Flex>
      )}
      {result && (
        <>
          <Alert type={result.passed ? 'success' : 'error'} message={`${result.passed ? t('services.passed') : t('services.failed')} · ${t('services.ruleText', { text: result.ruleText })}`} />
          <Table
            size="small"
            rowKey="name"
            pagination={false}
            dataSource={result.outcomes}
            columns={[
              { title: t('services.col.person'), dataIndex: 'name' },
              { title: t('services.example.expected'), dataIndex: 'expected', render: (v: boolean) => (v ? '✓' : '✗') },
              { title: t('services.example.actual'), dataIndex: 'actual', render: (v: boolean, o) => <Tag color={o.passed ? 'green' : 'red'}>{v ? '✓' : '✗'}</Tag> },
              { title: t('services.col.reasons'), dataIndex: 'reasons', render: (r: string[]) => r.join('；') },
            ]}
          />
        </>
      )}
    </Flex>
  );
}
