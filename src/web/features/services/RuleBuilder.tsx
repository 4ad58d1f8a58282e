import { useQueries, useQuery } from '@tanstack/react-query';
import { Button, Card, Checkbox, Dropdown, Flex, Input, InputNumber, Select, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { leavesOf, type Leaf, type RuleExample, type RuleNode } from '../../../shared/services.ts';
import type { UiKey } from '../../../shared/i18n/ui.ts';
import { api } from '../../api.ts';
import { usePreferences } from '../../preferences.tsx';
import { useSession } from '../../session.tsx';
import type { RuleTestResult } from './servicesApi.ts';
import { servicesApi } from './servicesApi.ts';
import {
  appendAt, canAppend, canWrap, isGroup, LEAF_KINDS, MAX_CONDITIONS, MAX_EXAMPLE_ITEMS, newLeaf, nodeAt, removeAt, replaceAt,
  type Group, type LeafKind, type Path, type Problem,
} from './ruleTree.ts';

/** What the builder offers in its selects: the ledger's tag dictionary and the catalogue's service codes. */
export interface Choices {
  tags: { value: string; label: string }[];
  services: { value: string; label: string }[];
}

export function useChoices(): Choices {
  const { locale } = usePreferences();
  const tags = useQuery({ queryKey: ['ledger', 'tags'], queryFn: api.ledgerTags });
  const services = useQuery({ queryKey: ['services', 'list'], queryFn: servicesApi.list });
  return {
    tags: (tags.data?.items ?? []).map((t) => ({ value: t.code, label: locale === 'zh-CN' ? t.name : t.nameEn })),
    services: (services.data?.items ?? []).map((s) => ({ value: s.code, label: `${locale === 'zh-CN' ? s.name : s.nameEn || s.name}（${s.code}）` })),
  };
}

/** The names of the regions a rule and its examples name, for the sentence (describeRule) and the selects. */
export function useRegionNames(rule: RuleNode, examples: readonly RuleExample[]): Map<string, { path: string; name: string }> {
  const codes = [...new Set([...leavesOf(rule).flatMap((l) => (l.kind === 'region' && /^\d{6,15}$/.test(l.region) ? [l.region] : [])), ...examples.flatMap((e) => (e.person.region ? [e.person.region] : []))])].sort();
  const found = useQueries({ queries: codes.map((code) => ({ queryKey: ['region', code], queryFn: () => api.region(code), retry: false })) });
  return new Map(codes.flatMap((code, i) => (found[i]?.data ? [[code, { path: '', name: found[i].data.name }] as const] : [])));
}

/** A region by name or code (streets and committees), showing the chosen one by its name. */
function RegionCodeSelect({ value, onChange, names, disabled, testId }: { value: string | undefined; onChange: (code: string | undefined) => void; names: ReadonlyMap<string, { name: string }>; disabled: boolean; testId: string }) {
  const { t } = usePreferences();
  const me = useSession();
  const [query, setQuery] = useState('');
  const found = useQuery({ queryKey: ['region-search', query], queryFn: () => api.searchRegions(query), enabled: query.trim().length > 0 });
  const options = [
    ...(value ? [{ value, label: names.get(value)?.name ?? value }] : []),
    ...(value === me.assignment.regionCode ? [] : [{ value: me.assignment.regionCode, label: me.assignment.regionName }]),
    ...(found.data ?? []).filter((r) => r.code !== value && r.code !== me.assignment.regionCode && r.level !== 'grid' && r.level !== 'building').map((r) => ({ value: r.code, label: `${r.name}（${r.code}）` })),
  ];
  return (
    <Select
      size="small"
      allowClear
      disabled={disabled}
      data-testid={testId}
      value={value || undefined}
      style={{ minWidth: 180 }}
      placeholder={t('services.builder.regionPlaceholder')}
      showSearch={{ filterOption: false, onSearch: setQuery }}
      loading={found.isFetching}
      options={options}
      onChange={(code: string | undefined) => onChange(code || undefined)}
    />
  );
}

const LEAF_LABEL: Record<LeafKind, UiKey> = {
  age: 'services.builder.leaf.age',
  tag: 'services.builder.leaf.tag',
  household: 'services.builder.leaf.household',
  sex: 'services.builder.leaf.sex',
  region: 'services.builder.leaf.region',
  receiving: 'services.builder.leaf.receiving',
};
const PROBLEM_LABEL: Record<Problem['code'], UiKey> = {
  emptyGroup: 'services.builder.problem.emptyGroup',
  noTag: 'services.builder.problem.noTag',
  noRegion: 'services.builder.problem.noRegion',
  noService: 'services.builder.problem.noService',
  noRange: 'services.builder.problem.noRange',
  badRange: 'services.builder.problem.badRange',
};
const pathId = (path: Path) => ['r', ...path].join('.');
const num = (v: number | null | undefined) => (v === null || v === undefined ? undefined : v);

interface TreeProps {
  root: Group;
  onChange: (root: Group) => void;
  editable: boolean;
  choices: Choices;
  regionNames: ReadonlyMap<string, { name: string }>;
  problems: readonly Problem[];
}

/** The rule as a tree of groups (全部满足 / 满足其一 / 不属于) and conditions, editable in place. */
export function RuleTree(props: TreeProps) {
  return (
    <div data-testid="rule-tree">
      <NodeView {...props} path={[]} inNot={false} />
    </div>
  );
}

function NodeView(props: TreeProps & { path: Path; inNot: boolean }) {
  const node = nodeAt(props.root, props.path);
  if (isGroup(node)) return <GroupView {...props} group={node} />;
  if (node.kind === 'not') return <NotView {...props} />;
  return <LeafView {...props} leaf={node} />;
}

function RemoveButton({ path, root, onChange, editable }: Pick<TreeProps, 'root' | 'onChange' | 'editable'> & { path: Path }) {
  const { t } = usePreferences();
  if (!editable || path.length === 0) return null;
  return (
    <Button size="small" type="text" danger data-testid="rule-remove" onClick={() => onChange(removeAt(root, path))}>
      {t('services.builder.remove')}
    </Button>
  );
}

function ProblemText({ problems, path }: { problems: readonly Problem[]; path: Path }) {
  const { t } = usePreferences();
  const here = problems.filter((p) => pathId(p.path) === pathId(path));
  return here.length ? <Typography.Text type="danger">{here.map((p) => t(PROBLEM_LABEL[p.code])).join('；')}</Typography.Text> : null;
}

function GroupView(props: TreeProps & { path: Path; inNot: boolean; group: Group }) {
  const { t } = usePreferences();
  const { root, onChange, editable, path, group } = props;
  const full = group.conditions.length >= MAX_CONDITIONS;
  const groupKinds = [
    { key: 'all', label: t('services.builder.all'), node: { kind: 'all', conditions: [] } as RuleNode },
    { key: 'any', label: t('services.builder.any'), node: { kind: 'any', conditions: [] } as RuleNode },
    { key: 'not', label: t('services.builder.not'), node: { kind: 'not', condition: newLeaf('receiving') } as RuleNode },
  ];
  return (
    <Card
      size="small"
      data-testid="rule-group"
      data-path={pathId(path)}
      style={{ borderLeft: `3px solid ${group.kind === 'all' ? '#1677ff' : '#fa8c16'}` }}
      styles={{ body: { padding: 8 } }}
    >
      <Flex vertical gap={6}>
        <Flex gap="small" align="center" wrap>
          <Select
            size="small"
            data-testid="rule-group-kind"
            disabled={!editable}
            value={group.kind}
            style={{ width: 120 }}
            options={[{ value: 'all', label: t('services.builder.all') }, { value: 'any', label: t('services.builder.any') }]}
            onChange={(kind: 'all' | 'any') => onChange(replaceAt(root, path, (g) => ({ ...(g as Group), kind })) as Group)}
          />
          <Typography.Text type="secondary">{t(group.kind === 'all' ? 'services.builder.allHint' : 'services.builder.anyHint')}</Typography.Text>
          <ProblemText problems={props.problems} path={path} />
          <span style={{ flex: 1 }} />
          {editable && (
            <>
              <Dropdown
                disabled={full}
                trigger={['click']}
                menu={{ items: LEAF_KINDS.map((k) => ({ key: k, label: t(LEAF_LABEL[k]) })), onClick: ({ key }) => onChange(appendAt(root, path, newLeaf(key as LeafKind))) }}
              >
                <Tooltip title={full ? t('services.builder.limitConditions', { max: MAX_CONDITIONS }) : undefined}>
                  <Button size="small" data-testid="rule-add-condition" disabled={full}>
                    {t('services.builder.addCondition')}
                  </Button>
                </Tooltip>
              </Dropdown>
              <Dropdown
                disabled={full}
                trigger={['click']}
                menu={{
                  items: groupKinds.map((g) => {
                    const fits = canAppend(root, path, g.node);
                    return { key: g.key, label: fits ? g.label : `${g.label}（${t('services.builder.limitDepth')}）`, disabled: !fits };
                  }),
                  onClick: ({ key }) => onChange(appendAt(root, path, groupKinds.find((g) => g.key === key)!.node)),
                }}
              >
                <Button size="small" data-testid="rule-add-group" disabled={full}>
                  {t('services.builder.addGroup')}
                </Button>
              </Dropdown>
              {!props.inNot && <RemoveButton {...props} />}
            </>
          )}
        </Flex>
        {group.conditions.map((_, i) => (
          <div key={i} style={{ marginLeft: 16 }}>
            <NodeView {...props} path={[...path, i]} inNot={false} />
          </div>
        ))}
      </Flex>
    </Card>
  );
}

function NotView(props: TreeProps & { path: Path; inNot: boolean }) {
  const { t } = usePreferences();
  const { root, onChange, editable, path } = props;
  const child = [...path, 0];
  const inner = nodeAt(root, child);
  return (
    <Card size="small" data-testid="rule-not" data-path={pathId(path)} style={{ borderLeft: '3px solid #cf1322' }} styles={{ body: { padding: 8 } }}>
      <Flex vertical gap={6}>
        <Flex gap="small" align="center">
          <Typography.Text strong>{t('services.builder.not')}</Typography.Text>
          <Typography.Text type="secondary">{t('services.builder.notHint')}</Typography.Text>
          <span style={{ flex: 1 }} />
          {editable && !isGroup(inner) && (
            <Tooltip title={canWrap(root, child) ? undefined : t('services.builder.limitDepth')}>
              <Button size="small" data-testid="rule-wrap" disabled={!canWrap(root, child)} onClick={() => onChange(replaceAt(root, child, (n) => ({ kind: 'all', conditions: [n] })) as Group)}>
                {t('services.builder.wrap')}
              </Button>
            </Tooltip>
          )}
          <RemoveButton {...props} />
        </Flex>
        <div style={{ marginLeft: 16 }}>
          <NodeView {...props} path={child} inNot />
        </div>
      </Flex>
    </Card>
  );
}

function LeafView(props: TreeProps & { path: Path; inNot: boolean; leaf: Leaf }) {
  const { t } = usePreferences();
  const { root, onChange, editable, path, leaf, choices } = props;
  const set = (next: Leaf) => onChange(replaceAt(root, path, () => next) as Group);
  const d = !editable;
  /** From–to inputs of a range leaf (年龄, 户内人数), either end optional. */
  const range = (kind: 'age' | 'household', [lowest, highest]: [number, number], [lo, hi]: [number | undefined, number | undefined], change: (lo: number | undefined, hi: number | undefined) => void, unit: UiKey) => (
    <>
      <InputNumber size="small" data-testid={`rule-${kind}-min`} aria-label={`${t(`services.builder.leaf.${kind}`)} ${t('services.builder.lower')}`} disabled={d} min={lowest} max={highest} precision={0} value={lo ?? null} placeholder={t('services.builder.min')} onChange={(v) => change(num(v), hi)} />
      <span>{t('services.builder.to')}</span>
      <InputNumber size="small" data-testid={`rule-${kind}-max`} aria-label={`${t(`services.builder.leaf.${kind}`)} ${t('services.builder.upper')}`} disabled={d} min={lowest} max={highest} precision={0} value={hi ?? null} placeholder={t('services.builder.max')} onChange={(v) => change(lo, num(v))} />
      <span>{t(unit)}</span>
    </>
  );
  let fields: React.ReactNode;
  switch (leaf.kind) {
    case 'age':
      fields = range('age', [0, 130], [leaf.min, leaf.max], (min, max) => set({ ...leaf, min, max }), 'services.builder.years');
      break;
    case 'household':
      fields = range('household', [1, 50], [leaf.minSize, leaf.maxSize], (minSize, maxSize) => set({ ...leaf, minSize, maxSize }), 'services.builder.persons');
      break;
    case 'tag':
      fields = (
        <>
          <Select
            size="small"
            data-testid="rule-tag"
            disabled={d}
            showSearch={{ optionFilterProp: 'label' }}
            style={{ minWidth: 140 }}
            value={leaf.tag || undefined}
            placeholder={t('services.builder.tagPlaceholder')}
            options={choices.tags.some((o) => o.value === leaf.tag) || !leaf.tag ? choices.tags : [...choices.tags, { value: leaf.tag, label: leaf.tag }]}
            onChange={(tag: string) => set({ ...leaf, tag })}
          />
          <span>{t('services.builder.maxAgeDays')}</span>
          <InputNumber size="small" data-testid="rule-tag-days" aria-label={t('services.builder.maxAgeDays')} disabled={d} min={1} max={3650} precision={0} value={leaf.maxAgeDays ?? null} placeholder={t('services.builder.anyAge')} onChange={(v) => {
            const { maxAgeDays: _drop, ...rest } = leaf;
            set(num(v) === undefined ? rest : { ...rest, maxAgeDays: num(v)! });
          }} />
        </>
      );
      break;
    case 'sex':
      fields = (
        <Select size="small" data-testid="rule-sex" disabled={d} style={{ width: 90 }} value={leaf.sex} options={[{ value: 'female', label: t('services.builder.female') }, { value: 'male', label: t('services.builder.male') }]} onChange={(sex: 'male' | 'female') => set({ ...leaf, sex })} />
      );
      break;
    case 'region':
      fields = <RegionCodeSelect testId="rule-region" disabled={d} value={leaf.region} names={props.regionNames} onChange={(code) => set({ ...leaf, region: code ?? '' })} />;
      break;
    case 'receiving':
      fields = (
        <Select
          size="small"
          data-testid="rule-service"
          disabled={d}
          showSearch={{ optionFilterProp: 'label' }}
          style={{ minWidth: 220 }}
          value={leaf.service || undefined}
          placeholder={t('services.builder.servicePlaceholder')}
          options={choices.services.some((o) => o.value === leaf.service) || !leaf.service ? choices.services : [...choices.services, { value: leaf.service, label: leaf.service }]}
          onChange={(service: string) => set({ ...leaf, service })}
        />
      );
      break;
  }
  return (
    <Flex gap="small" align="center" wrap data-testid="rule-leaf" data-path={pathId(path)} data-kind={leaf.kind} style={{ padding: '2px 0' }}>
      <Select
        size="small"
        data-testid="rule-leaf-kind"
        disabled={d}
        style={{ width: 110 }}
        value={leaf.kind}
        options={LEAF_KINDS.map((k) => ({ value: k, label: t(LEAF_LABEL[k]) }))}
        onChange={(kind: LeafKind) => set(newLeaf(kind))}
      />
      {fields}
      <ProblemText problems={props.problems} path={path} />
      {!props.inNot && <RemoveButton {...props} />}
    </Flex>
  );
}

/** Drops keys whose value is undefined, so the JSON and the saved rule hold only what was set. */
export function clean<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

interface ExamplesProps {
  examples: RuleExample[];
  onChange: (examples: RuleExample[]) => void;
  editable: boolean;
  choices: Choices;
  regionNames: ReadonlyMap<string, { name: string }>;
  /** The last run's outcomes, in the examples' order, and whether the rule or examples changed since. */
  result: RuleTestResult | null;
  stale: boolean;
}

type Row = RuleExample & { index: number };
type Person = RuleExample['person'];

/** The examples as a table: who, whether the rule should hold and did at the last run, on which day, the person's facts. */
export function ExamplesTable({ examples, onChange, editable, choices, regionNames, result, stale }: ExamplesProps) {
  const { t } = usePreferences();
  const d = !editable;
  const setAt = (i: number, fn: (e: RuleExample) => RuleExample) => onChange(examples.map((e, j) => (j === i ? fn(e) : e)));
  const setPerson = (i: number, fn: (p: Person) => Person) => setAt(i, (e) => ({ ...e, person: fn(e.person) }));
  const optional = <K extends keyof Person>(p: Person, key: K, value: Person[K] | undefined): Person => {
    const next = { ...p };
    if (value === undefined) delete next[key];
    else next[key] = value;
    return next;
  };
  const columns: TableColumnsType<Row> = [
    { title: t('services.example.name'), dataIndex: 'name', width: 150, fixed: 'left', render: (v: string, r) => <Input size="small" data-testid="example-name" aria-label={t('services.example.name')} disabled={d} maxLength={60} value={v} onChange={(e) => setAt(r.index, (x) => ({ ...x, name: e.target.value }))} /> },
    {
      title: t('services.example.shouldMatch'),
      dataIndex: 'expected',
      width: 80,
      render: (v: boolean, r) => <Checkbox data-testid="example-expected" aria-label={t('services.example.shouldMatch')} disabled={d} checked={v} onChange={(e) => setAt(r.index, (x) => ({ ...x, expected: e.target.checked }))} />,
    },
    {
      title: t('services.example.actual'),
      key: 'outcome',
      width: 200,
      render: (_v, r) => {
        const o = result?.outcomes[r.index];
        if (!o) return '—';
        return (
          <Flex vertical gap={2} data-testid="example-outcome" data-passed={String(o.passed)} data-stale={String(stale)} style={{ opacity: stale ? 0.5 : 1 }}>
            <span>
              <Tag color={o.passed ? 'green' : 'red'}>{`${o.actual ? t('services.example.holds') : t('services.example.notHolds')} · ${o.passed ? t('services.example.pass') : t('services.example.fail')}`}</Tag>
            </span>
            {o.reasons.length > 0 && <Typography.Text type="secondary">{o.reasons.join('；')}</Typography.Text>}
          </Flex>
        );
      },
    },
    { title: t('services.example.on'), dataIndex: 'on', width: 140, render: (v: string, r) => <Input size="small" type="date" data-testid="example-on" aria-label={t('services.example.on')} disabled={d} value={v} onChange={(e) => setAt(r.index, (x) => ({ ...x, on: e.target.value }))} /> },
    {
      title: t('services.example.birthDate'),
      key: 'birthDate',
      width: 140,
      render: (_v, r) => <Input size="small" type="date" data-testid="example-birth" aria-label={t('services.example.birthDate')} disabled={d} value={r.person.birthDate ?? ''} onChange={(e) => setPerson(r.index, (p) => ({ ...p, birthDate: e.target.value || null }))} />,
    },
    {
      title: t('services.example.sex'),
      key: 'sex',
      width: 90,
      render: (_v, r) => (
        <Select
          size="small"
          data-testid="example-sex"
          disabled={d}
          style={{ width: 80 }}
          value={r.person.sex ?? ''}
          options={[{ value: '', label: t('services.example.unknown') }, { value: 'female', label: t('services.builder.female') }, { value: 'male', label: t('services.builder.male') }]}
          onChange={(sex: string) => setPerson(r.index, (p) => optional(p, 'sex', sex === 'male' || sex === 'female' ? sex : undefined))}
        />
      ),
    },
    {
      title: t('services.example.tags'),
      key: 'tags',
      width: 260,
      render: (_v, r) => {
        const tags = r.person.tags ?? [];
        const setTags = (next: NonNullable<Person['tags']>) => setPerson(r.index, (p) => optional(p, 'tags', next.length ? next : undefined));
        return (
          <Flex vertical gap={2} data-testid="example-tags">
            {tags.map((tag, k) => (
              <Flex key={k} gap={2} align="center">
                <Select size="small" data-testid="example-tag" disabled={d} style={{ width: 100 }} value={tag.tag || undefined} placeholder={t('services.builder.tagPlaceholder')} options={choices.tags} onChange={(code: string) => setTags(tags.map((x, j) => (j === k ? { ...x, tag: code } : x)))} />
                <Input size="small" type="date" data-testid="example-tag-on" title={t('services.example.observedOn')} disabled={d} style={{ width: 130 }} value={tag.observedOn} onChange={(e) => setTags(tags.map((x, j) => (j === k ? { ...x, observedOn: e.target.value } : x)))} />
                {editable && (
                  <Button size="small" type="text" onClick={() => setTags(tags.filter((_, j) => j !== k))} aria-label={t('services.builder.remove')}>
                    ×
                  </Button>
                )}
              </Flex>
            ))}
            {editable && tags.length < MAX_EXAMPLE_ITEMS && (
              <Button size="small" type="dashed" data-testid="example-add-tag" onClick={() => setTags([...tags, { tag: '', observedOn: r.on }])}>
                {t('services.example.addTag')}
              </Button>
            )}
          </Flex>
        );
      },
    },
    {
      title: t('services.example.householdSize'),
      key: 'householdSize',
      width: 90,
      render: (_v, r) => <InputNumber size="small" data-testid="example-household" aria-label={t('services.example.householdSize')} disabled={d} min={1} max={50} precision={0} style={{ width: 70 }} value={r.person.householdSize ?? null} onChange={(v) => setPerson(r.index, (p) => optional(p, 'householdSize', num(v)))} />,
    },
    {
      title: t('services.example.livesAlone'),
      key: 'livesAlone',
      width: 90,
      render: (_v, r) => (
        <Select
          size="small"
          data-testid="example-alone"
          disabled={d}
          style={{ width: 80 }}
          value={r.person.livesAlone === undefined ? '' : r.person.livesAlone ? 'yes' : 'no'}
          options={[{ value: '', label: t('services.example.unknown') }, { value: 'yes', label: t('services.example.yes') }, { value: 'no', label: t('services.example.no') }]}
          onChange={(v: string) => setPerson(r.index, (p) => optional(p, 'livesAlone', v === '' ? undefined : v === 'yes'))}
        />
      ),
    },
    {
      title: t('services.example.region'),
      key: 'region',
      width: 200,
      render: (_v, r) => <RegionCodeSelect testId="example-region" disabled={d} value={r.person.region} names={regionNames} onChange={(code) => setPerson(r.index, (p) => optional(p, 'region', code))} />,
    },
    {
      title: t('services.example.receiving'),
      key: 'receiving',
      width: 220,
      render: (_v, r) => (
        <Select
          size="small"
          mode="multiple"
          data-testid="example-receiving"
          disabled={d}
          style={{ minWidth: 200 }}
          maxCount={MAX_EXAMPLE_ITEMS}
          value={r.person.receiving ?? []}
          options={choices.services}
          onChange={(codes: string[]) => setPerson(r.index, (p) => optional(p, 'receiving', codes.length ? codes : undefined))}
        />
      ),
    },
  ];
  if (editable)
    columns.push({
      key: 'remove',
      width: 60,
      fixed: 'right',
      render: (_v, r) => (
        <Button size="small" type="text" danger data-testid="example-remove" onClick={() => onChange(examples.filter((_, j) => j !== r.index))}>
          {t('services.builder.remove')}
        </Button>
      ),
    });
  return (
    <Table<Row>
      size="small"
      rowKey="index"
      pagination={false}
      scroll={{ x: 1700 }}
      data-testid="examples-table"
      dataSource={examples.map((e, index) => ({ ...e, index }))}
      columns={columns}
    />
  );
}
