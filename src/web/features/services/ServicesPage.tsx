import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Drawer, Flex, Input, Segmented, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { describeRule, type EligibilityRule, type RuleExample } from '../../../shared/services.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { usePreferences } from '../../preferences.tsx';
import { useCan } from '../../session.tsx';
import { ExamplesTable, RuleTree, clean, useChoices, useRegionNames } from './RuleBuilder.tsx';
import { fitsSchema, fromTree, isExamplesShape, isRuleShape, MAX_EXAMPLES, newExample, problemsOf, toTree, type Group } from './ruleTree.ts';
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

function parse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function RuleDrawer({ id, editable, onClose }: { id: string; editable: boolean; onClose: () => void }) {
  const { t } = usePreferences();
  const detail = useQuery({ queryKey: ['services', 'detail', id], queryFn: () => servicesApi.get(id) });
  return (
    <Drawer open width={editable ? 1180 : 960} title={detail.data?.name ?? ''} onClose={onClose} data-testid="service-drawer">
      {detail.isError ? <ErrorResult error={detail.error} onRetry={() => void detail.refetch()} /> : detail.data ? <RuleEditor service={detail.data} editable={editable} key={detail.data.version} /> : null}
      {detail.data && (
        <Typography.Paragraph type="secondary" data-testid="service-versions">
          {t('services.col.version')} {detail.data.versions.map((v) => `v${v.version}`).join(' · ')}
        </Typography.Paragraph>
      )}
    </Drawer>
  );
}

/**
 * The rule and its examples, edited with the form (RuleBuilder.tsx: the rule as a tree, the examples
 * as a table) or as JSON; both views edit the same state. The sentence under the tree is the rule
 * read aloud as the catalogue shows it; 运行示例 runs the examples on the server without saving, 保存
 * writes a new version (the server refuses a rule that fails its own examples).
 */
function RuleEditor({ service, editable }: { service: ServiceDetail; editable: boolean }) {
  const { t, locale } = usePreferences();
  const { message } = App.useApp();
  const client = useQueryClient();
  const choices = useChoices();
  const [root, setRoot] = useState<Group>(() => toTree(service.rule));
  const [examples, setExamples] = useState<RuleExample[]>(service.examples);
  const [mode, setMode] = useState<'form' | 'json'>('form');
  const [ruleText, setRuleText] = useState('');
  const [examplesText, setExamplesText] = useState('');
  const rule = clean(fromTree(root));
  const stateKey = JSON.stringify({ rule, examples });
  const [result, setResult] = useState<{ key: string; result: RuleTestResult } | null>({
    key: stateKey,
    result: { ruleText: service.rules[0]?.text ?? '', passed: service.exampleOutcomes.every((o) => o.passed), outcomes: service.exampleOutcomes },
  });
  const regionNames = useRegionNames(rule, examples);

  // the JSON view: text that does not parse, or that the form cannot show, keeps the form switch disabled
  const ruleJson = mode === 'json' ? parse(ruleText) : null;
  const examplesJson = mode === 'json' ? parse(examplesText) : null;
  const jsonProblem =
    mode !== 'json' ? null : !ruleJson?.ok || !examplesJson?.ok ? t('services.builder.jsonInvalid') : !isRuleShape(ruleJson.value) || !isExamplesShape(examplesJson.value) ? t('services.builder.jsonShape') : null;
  const toJson = () => {
    setRuleText(JSON.stringify(rule, null, 2));
    setExamplesText(JSON.stringify(examples, null, 2));
    setMode('json');
  };
  const editRuleText = (text: string) => {
    setRuleText(text);
    const parsed = parse(text);
    if (parsed.ok && isRuleShape(parsed.value)) setRoot(toTree(parsed.value));
  };
  const editExamplesText = (text: string) => {
    setExamplesText(text);
    const parsed = parse(text);
    if (parsed.ok && isExamplesShape(parsed.value)) setExamples(parsed.value);
  };

  const problems = problemsOf(root);
  const incomplete =
    jsonProblem !== null || problems.length > 0 || !fitsSchema(rule) || examples.length > MAX_EXAMPLES || examples.some((e) => !e.name.trim() || !/^\d{4}-\d{2}-\d{2}$/.test(e.on) || (e.person.tags ?? []).some((x) => !x.tag || !x.observedOn));
  const run = useMutation({
    mutationFn: () => servicesApi.testRule(rule as EligibilityRule, examples, service.code, service.regionCode),
    onSuccess: (r) => setResult({ key: stateKey, result: r }),
  });
  const save = useMutation({
    mutationFn: () =>
      servicesApi.update(service.id, {
        code: service.code, name: service.name, nameEn: service.nameEn, category: service.category as 'elderly', department: service.department, description: service.description,
        howToApply: service.howToApply, documents: service.documents, autoGrant: service.autoGrant, validFrom: service.validFrom, validTo: service.validTo, regionCode: service.regionCode,
        enabled: service.enabled, rule: rule as EligibilityRule, examples,
      }),
    onSuccess: () => {
      void message.success(t('services.saved'));
      void client.invalidateQueries({ queryKey: ['services'] });
    },
  });
  const stale = result !== null && result.key !== stateKey;
  const error = run.error ?? save.error;
  return (
    <Flex vertical gap="middle">
      <Typography.Paragraph>{service.description}</Typography.Paragraph>
      <Flex gap="middle" align="center">
        <Typography.Text strong>{t('services.rule')}</Typography.Text>
        <Segmented
          data-testid="service-mode"
          value={mode}
          options={[
            { value: 'form', label: t('services.builder.form'), disabled: jsonProblem !== null },
            { value: 'json', label: t('services.builder.json') },
          ]}
          onChange={(v) => (v === 'json' ? toJson() : jsonProblem === null && setMode('form'))}
        />
      </Flex>
      {mode === 'form' ? (
        <>
          <RuleTree root={root} onChange={setRoot} editable={editable} choices={choices} regionNames={regionNames} problems={problems} />
          <Alert type="info" data-testid="service-sentence" message={`${t('services.builder.sentence')}：${describeRule(rule, locale, regionNames)}`} />
          <Flex gap="middle" align="center">
            <Typography.Text strong>{t('services.examples')}</Typography.Text>
            {editable && (
              <Button
                size="small"
                data-testid="example-add"
                disabled={examples.length >= MAX_EXAMPLES}
                onClick={() => setExamples([...examples, { ...newExample(examples.at(-1)?.on ?? new Date().toISOString().slice(0, 10)), name: t('services.example.newName', { n: examples.length + 1 }) }])}
              >
                {t('services.example.add')}
              </Button>
            )}
          </Flex>
          <ExamplesTable examples={examples} onChange={setExamples} editable={editable} choices={choices} regionNames={regionNames} result={result?.result ?? null} stale={stale} />
        </>
      ) : (
        <>
          <Input.TextArea rows={10} value={ruleText} onChange={(e) => editRuleText(e.target.value)} readOnly={!editable} className="gz-code" data-testid="service-rule" />
          {/* the sentence reads the JSON only while it is a rule; a broken text must not look read */}
          {!jsonProblem && <Alert type="info" data-testid="service-sentence" message={`${t('services.builder.sentence')}：${describeRule(rule, locale, regionNames)}`} />}
          <Typography.Text strong>{t('services.examples')}</Typography.Text>
          <Input.TextArea rows={10} value={examplesText} onChange={(e) => editExamplesText(e.target.value)} readOnly={!editable} className="gz-code" data-testid="service-examples" />
          {jsonProblem && <Alert type="warning" showIcon data-testid="service-json-problem" message={jsonProblem} />}
        </>
      )}
      {editable && incomplete && !jsonProblem && <Alert type="warning" data-testid="service-incomplete" message={`${t('services.builder.incomplete')}${!fitsSchema(rule) && problems.length === 0 ? `：${t('services.builder.problem.tooDeep')}` : ''}`} />}
      {error && <Alert type="error" showIcon message={error.message} data-testid="service-error" />}
      {editable && (
        <Flex gap="small">
          <Button onClick={() => run.mutate()} disabled={incomplete} loading={run.isPending} data-testid="service-run">
            {t('services.run')}
          </Button>
          <Button type="primary" onClick={() => save.mutate()} disabled={incomplete} loading={save.isPending} data-testid="service-save">
            {t('common.save')}
          </Button>
        </Flex>
      )}
      {result && (
        <Alert
          type={stale ? 'warning' : result.result.passed ? 'success' : 'error'}
          data-testid="service-result"
          data-passed={String(result.result.passed)}
          message={stale ? t('services.example.stale') : `${result.result.passed ? t('services.passed') : t('services.failed')} · ${t('services.ruleText', { text: result.result.ruleText })}`}
        />
      )}
    </Flex>
  );
}
