import { UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Flex, Form, Input, Modal, Progress, Select, Space, Steps, Table, Tag, Typography, Upload } from 'antd';
import { useEffect, useState } from 'react';
import { LEDGER_FIELD_LABELS, LEDGER_FIELDS, type LedgerField } from '../../../shared/ledger.ts';
import type { UiKey } from '../../../shared/i18n/ui.ts';
import type { Static } from 'typebox';
import type { DemoFileList } from '../../../server/modules/ledger/schemas.ts';
import { api, ApiError, request } from '../../api.ts';
import { usePreferences } from '../../preferences.tsx';
import type { LedgerImportPreview } from '../../types.ts';

/** How often the wizard asks for the import's progress while it runs. */
const PROGRESS_POLL_MS = 1000;

/**
 * 导入表格 in three steps: choose the source and the file → preview the detected header, the column
 * mapping and the first rows with their problems → run, with progress, and download the problem list.
 */
type DemoFiles = Static<typeof DemoFileList>;
type Column = LedgerImportPreview['columns'][number];

/** The row the server offers to map by hand when it recognised no header (422 LEDGER_IMPORT_NO_HEADER with details). */
function headerToMap(error: Error | null): { row: number; headers: string[] } | null {
  if (!(error instanceof ApiError) || error.code !== 'LEDGER_IMPORT_NO_HEADER') return null;
  const details = error.details as { row?: unknown; headers?: unknown } | undefined;
  if (typeof details?.row !== 'number' || !Array.isArray(details.headers)) return null;
  return { row: details.row, headers: details.headers.map(String) };
}

export function ImportWizard({ open, onClose }: { open: boolean; onClose(): void }) {
  const { locale, t } = usePreferences();
  const queryClient = useQueryClient();
  const [source, setSource] = useState<string | undefined>();
  const [file, setFile] = useState<File | null>(null);
  const [importId, setImportId] = useState<string | null>(null);
  const [mappingId, setMappingId] = useState<string | undefined>();
  // columns mapped by hand in the preview (header → target), sent on top of the saved mapping or detection
  const [columns, setColumns] = useState<Record<string, string>>({});
  // the last preview stays on screen while a changed mapping is previewed again
  const [previewed, setPreviewed] = useState<LedgerImportPreview | null>(null);
  // no header recognised: the row to map by hand, kept while a mapping of it is previewed
  const [toMap, setToMap] = useState<{ row: number; headers: string[] } | null>(null);
  const sources = useQuery({ queryKey: ['ledger', 'sources'], queryFn: () => api.ledgerSources(), enabled: open });
  const mappings = useQuery({ queryKey: ['ledger', 'mappings'], queryFn: () => api.ledgerMappings(), enabled: open });
  const tags = useQuery({ queryKey: ['ledger', 'tags'], queryFn: () => api.ledgerTags(), enabled: open });
  const demoFiles = useQuery({ queryKey: ['ledger', 'demo-files'], queryFn: () => request<DemoFiles>('GET', '/api/ledger/demo-files'), enabled: open });
  const demoChoice = useMutation({
    mutationFn: async (demo: DemoFiles['items'][number]) => {
      const response = await fetch(demo.url, { credentials: 'same-origin' });
      if (!response.ok) throw new Error(t('ledger.import.demoFailed'));
      return { demo, chosen: new File([await response.blob()], demo.name) };
    },
    onSuccess: ({ demo, chosen }) => {
      setFile(chosen);
      setSource(demo.source);
      setMappingId(undefined);
      forgetPreview();
    },
  });
  const preview = useMutation({
    mutationFn: (hand: Record<string, string>) => api.ledgerPreview(file!, source!, mappingId, hand),
    onSuccess: (data) => {
      setPreviewed(data);
      setToMap(null);
    },
    onError: (failure) => setToMap(headerToMap(failure)),
  });
  /** Another file or saved mapping: what was mapped and previewed no longer applies. */
  const forgetPreview = () => {
    setColumns({});
    setToMap(null);
    preview.reset();
  };
  const start = useMutation({ mutationFn: () => api.ledgerImport(file!, source!, mappingId, columns), onSuccess: (started) => setImportId(started.id) });
  const status = useQuery({
    queryKey: ['ledger', 'import', importId],
    queryFn: () => api.ledgerImportStatus(importId!),
    enabled: importId !== null,
    refetchInterval: (query) => (query.state.data?.status === 'running' || !query.state.data ? PROGRESS_POLL_MS : false),
  });
  const run = status.data;
  const finished = run !== undefined && run.status !== 'running';
  useEffect(() => {
    // the list behind the wizard shows what the import brought in
    if (finished) void queryClient.invalidateQueries({ queryKey: ['ledger', 'persons'] });
  }, [finished, queryClient]);

  const reset = () => {
    setFile(null);
    setImportId(null);
    setPreviewed(null);
    forgetPreview();
    start.reset();
  };
  const close = () => {
    reset();
    onClose();
  };
  const step = importId ? 2 : previewed ? 1 : 0;
  const tagName = (code: string) => {
    const tag = tags.data?.items.find((x) => x.code === code);
    return tag ? (locale === 'en' ? tag.nameEn : tag.name) : code;
  };
  const targetLabel = (target: string | null) => {
    if (target === null || target === 'ignore') return t('ledger.import.unmapped');
    if (target.startsWith('tag.')) return t('ledger.import.target.tag', { tag: tagName(target.slice(4)) });
    if (target === 'record_key' || target === 'note' || target === 'observed_at' || target === 'tags') return t(`ledger.import.target.${target}`);
    const label = (LEDGER_FIELD_LABELS as Record<string, Record<string, string> | undefined>)[target as LedgerField];
    return label?.[locale] ?? target;
  };
  const targets = [
    ...LEDGER_FIELDS,
    'record_key',
    'tags',
    ...(tags.data?.items ?? []).filter((tag) => !tag.derived).map((tag) => `tag.${tag.code}`),
    'note',
    'observed_at',
    'ignore',
  ];
  const mapColumn = (header: string, target: string) => {
    const next = { ...columns, [header]: target };
    setColumns(next);
    preview.mutate(next);
  };
  const error = preview.error ?? start.error;
  const unrecognised = step === 0 ? toMap : null;

  return (
    <Modal open={open} title={t('ledger.import')} onCancel={close} footer={null} width={960} destroyOnHidden>
      <Steps current={step} items={[{ title: t('ledger.import.file') }, { title: t('ledger.import.preview') }, { title: t('ledger.import.run') }]} style={{ marginBottom: 24 }} />
      {error && <Alert type="error" showIcon title={error.message} style={{ marginBottom: 16 }} />}
      {unrecognised && (
        <Flex vertical gap="small" style={{ marginBottom: 16 }} data-testid="header-to-map">
          <Typography.Text>{t('ledger.import.mapByHand', { row: unrecognised.row })}</Typography.Text>
          <ColumnTargets
            columns={unrecognised.headers.map((header, index) => ({ index, header, target: columns[header] ?? null }))}
            targets={targets}
            targetLabel={targetLabel}
            onMap={mapColumn}
            checking={preview.isPending}
          />
        </Flex>
      )}
      {step === 0 && (
        <Form layout="vertical" onFinish={() => preview.mutate(columns)}>
          <Form.Item label={t('ledger.import.source')} required>
            <Select
              aria-label={t('ledger.import.source')}
              value={source}
              onChange={(value: string) => setSource(value)}
              options={(sources.data?.items ?? []).map((s) => ({ value: s.name, label: locale === 'en' ? `${s.name} · ${s.nameEn}` : s.name }))}
              placeholder={t('ledger.import.sourceRequired')}
            />
          </Form.Item>
          <Form.Item label={t('ledger.import.mapping')}>
            <Select
              allowClear
              aria-label={t('ledger.import.mapping')}
              value={mappingId}
              onChange={(id: string | undefined) => {
                setMappingId(id);
                forgetPreview();
                // a saved mapping belongs to the source it was made for
                const saved = mappings.data?.items.find((m) => m.id === id);
                if (saved) setSource(saved.source);
              }}
              placeholder={t('ledger.import.mappingAuto')}
              options={(mappings.data?.items ?? []).map((m) => ({ value: m.id, label: `${m.name}（${m.source}）` }))}
            />
          </Form.Item>
          {(demoFiles.data?.items.length ?? 0) > 0 && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 16 }}
              title={t('ledger.import.demoTitle')}
              description={
                <Flex vertical gap="small" data-testid="demo-files">
                  {demoFiles.data!.items.map((demo) => (
                    <Flex key={demo.url} gap="small" align="center" wrap>
                      <Typography.Text>{demo.name}</Typography.Text>
                      <Button size="small" onClick={() => demoChoice.mutate(demo)} loading={demoChoice.isPending && demoChoice.variables?.url === demo.url}>
                        {t('ledger.import.demoUse')}
                      </Button>
                      <Typography.Link href={demo.url}>{t('ledger.import.demoDownload')}</Typography.Link>
                    </Flex>
                  ))}
                </Flex>
              }
            />
          )}
          <Form.Item label={t('ledger.import.file')} required>
            <Upload
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              maxCount={1}
              beforeUpload={(chosen) => {
                setFile(chosen);
                forgetPreview();
                return false;
              }}
              onRemove={() => setFile(null)}
            >
              <Button icon={<UploadOutlined />}>{t('ledger.import.file')}</Button>
            </Upload>
            {file && demoChoice.data?.chosen === file && (
              <Tag style={{ marginTop: 8 }} data-testid="demo-file-chosen">
                {file.name}
              </Tag>
            )}
          </Form.Item>
          <Button type="primary" htmlType="submit" disabled={!file || !source} loading={preview.isPending}>
            {t('ledger.import.preview')}
          </Button>
        </Form>
      )}
      {step === 1 && previewed && (
        <PreviewTable preview={previewed} targets={targets} targetLabel={targetLabel} onMap={mapColumn} checking={preview.isPending} />
      )}
      {step === 1 && previewed && source && <SaveMapping preview={previewed} source={source} />}
      {step === 1 && (
        <Flex gap="middle" style={{ marginTop: 16 }}>
          <Button onClick={reset}>{t('common.cancel')}</Button>
          <Button type="primary" onClick={() => start.mutate()} loading={start.isPending} disabled={preview.isPending}>
            {t('ledger.import.run')}
          </Button>
        </Flex>
      )}
      {step === 2 && (
        <Flex vertical gap="middle" data-testid="import-progress">
          {(!run || run.status === 'running') && (
            <>
              <Progress percent={100} status="active" showInfo={false} />
              <Typography.Text>{t('ledger.import.running', { rows: run?.rows ?? 0 })}</Typography.Text>
            </>
          )}
          {run?.status === 'done' && <Alert type="success" showIcon title={t('ledger.import.done', { rows: run.rows, imported: run.imported, unchanged: run.unchanged, rejected: run.rejected, conflicts: run.conflicts })} />}
          {run?.status === 'failed' && <Alert type="error" showIcon title={t('ledger.import.failed', { message: run.message ?? '' })} />}
          {run && run.status !== 'running' && (
            <Flex gap="middle">
              {run.rejected > 0 && <Button href={run.errorReportUrl}>{t('ledger.import.errorReport')}</Button>}
              <Button onClick={reset}>{t('ledger.import.again')}</Button>
            </Flex>
          )}
        </Flex>
      )}
    </Modal>
  );
}

/** Each column of the header with a select of its field; a change is previewed again. */
function ColumnTargets({
  columns,
  targets,
  targetLabel,
  onMap,
  checking,
}: {
  columns: readonly Column[];
  targets: readonly string[];
  targetLabel(target: string | null): string;
  onMap(header: string, target: string): void;
  checking: boolean;
}) {
  const { t } = usePreferences();
  const options = targets.map((target) => ({ value: target, label: targetLabel(target) }));
  return (
    <Flex wrap gap="middle" data-testid="column-mapping">
      {columns.map((c) => {
        const header = c.header || `#${c.index + 1}`;
        return (
          <Flex key={c.index} vertical gap={4} style={{ width: 180 }}>
            <Typography.Text strong ellipsis={{ tooltip: header }}>
              {header}
            </Typography.Text>
            <Select
              aria-label={t('ledger.import.columnTarget', { header })}
              value={c.target ?? 'ignore'}
              options={options}
              showSearch={{ optionFilterProp: 'label' }}
              disabled={!c.header || checking}
              onChange={(target: string) => onMap(c.header, target)}
            />
          </Flex>
        );
      })}
    </Flex>
  );
}

/** The detected header with each column's field, changeable by hand, and the first rows as they would be imported. */
function PreviewTable({
  preview,
  ...mapping
}: {
  preview: LedgerImportPreview;
  targets: readonly string[];
  targetLabel(target: string | null): string;
  onMap(header: string, target: string): void;
  checking: boolean;
}) {
  const { t } = usePreferences();
  return (
    <Flex vertical gap="middle">
      <Typography.Text>{t('ledger.import.headerRow', { row: preview.headerRow })}</Typography.Text>
      <Typography.Text type="secondary">{t('ledger.import.mappingHint')}</Typography.Text>
      <ColumnTargets columns={preview.columns} {...mapping} />
      <Table
        size="small"
        rowKey="rowNumber"
        pagination={false}
        scroll={{ y: 320 }}
        dataSource={preview.rows.filter((r) => r.status !== 'empty')}
        columns={[
          { title: t('ledger.import.row'), dataIndex: 'rowNumber', width: 72 },
          { title: t('ledger.name'), render: (_, r) => r.values.name ?? '' },
          { title: t('ledger.idNumber'), render: (_, r) => r.values.id_number ?? '', className: 'gz-code' },
          { title: t('ledger.committee'), dataIndex: 'committee' },
          {
            title: t('ledger.import.status'),
            dataIndex: 'status',
            render: (s: string) => <Tag color={s === 'ready' ? 'green' : 'red'}>{t(`ledger.import.status.${s}` as UiKey)}</Tag>,
          },
          { title: t('ledger.import.problems'), render: (_, r) => r.problems.map((p) => p.message).join('；') },
        ]}
      />
    </Flex>
  );
}

/** Saves the preview's header → field mapping under a name, to choose it for the next file of the same kind. */
function SaveMapping({ preview, source }: { preview: LedgerImportPreview; source: string }) {
  const { t } = usePreferences();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const columns = Object.fromEntries(preview.columns.filter((c) => c.header && c.target).map((c) => [c.header, c.target!]));
  const save = useMutation({
    mutationFn: () => api.ledgerSaveMapping({ name: name.trim(), source, columns }),
    onSuccess: async () => {
      void message.success(t('ledger.import.mappingSaved'));
      await queryClient.invalidateQueries({ queryKey: ['ledger', 'mappings'] });
    },
  });
  return (
    <Flex vertical gap="small" style={{ marginTop: 16 }}>
      {save.error && <Alert type="error" showIcon title={save.error.message} />}
      <Space.Compact style={{ maxWidth: 480 }}>
        <Input aria-label={t('ledger.import.mappingName')} placeholder={t('ledger.import.mappingName')} maxLength={60} value={name} onChange={(e) => setName(e.target.value)} />
        <Button onClick={() => save.mutate()} disabled={!name.trim() || Object.keys(columns).length === 0} loading={save.isPending}>
          {t('ledger.import.saveMapping')}
        </Button>
      </Space.Compact>
    </Flex>
  );
}
