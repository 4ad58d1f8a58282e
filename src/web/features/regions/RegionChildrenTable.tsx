import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Modal, Popconfirm, Space, Table, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { levelLabel, regionKindLabel } from '../../labels.ts';
import { usePreferences } from '../../preferences.tsx';
import type { RegionSummary } from '../../types.ts';
import { useDeleteRegion, useRenameRegion } from './queries.ts';

interface Props {
  regions: RegionSummary[];
  loading: boolean;
  /** Show rename/delete for local grids and buildings. */
  canManage: boolean;
}

/** Direct children of a region. A click anywhere on a row opens that region. */
export function RegionChildrenTable({ regions, loading, canManage }: Props) {
  const { locale, t } = usePreferences();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [renaming, setRenaming] = useState<RegionSummary | null>(null);
  const remove = useDeleteRegion();
  const hasLocal = canManage && regions.some((r) => r.source === 'local');

  const columns: TableColumnsType<RegionSummary> = [
    {
      title: t('region.name'),
      dataIndex: 'name',
      render: (name: string, region) => (
        <Link to={`/regions/${region.code}`} onClick={(event) => event.stopPropagation()} className="gz-row-link">
          {name}
        </Link>
      ),
    },
    { title: t('region.code'), dataIndex: 'code', className: 'gz-code', responsive: ['md'] },
    { title: t('region.level'), dataIndex: 'level', render: (level: string) => levelLabel(level, locale), responsive: ['sm'] },
    { title: t('region.kind'), dataIndex: 'kind', render: (kind: string | null) => regionKindLabel(kind, locale), responsive: ['lg'] },
    { title: t('region.childCount'), dataIndex: 'childCount', align: 'right', width: 120 },
  ];
  if (hasLocal) {
    columns.push({
      title: t('common.actions'),
      key: 'actions',
      width: 200,
      render: (_, region) =>
        region.source === 'local' ? (
          <Space onClick={(event) => event.stopPropagation()}>
            <Button icon={<EditOutlined />} onClick={() => setRenaming(region)}>
              {t('common.rename')}
            </Button>
            <Popconfirm
              title={t('region.delete.confirm', { name: region.name })}
              okText={t('common.delete')}
              okButtonProps={{ danger: true }}
              cancelText={t('common.cancel')}
              onConfirm={() =>
                remove.mutateAsync(region.code).then(
                  () => message.success(t('region.delete.done', { name: region.name })),
                  (error: Error) => message.error(error.message),
                )
              }
            >
              <Button danger icon={<DeleteOutlined />}>
                {t('common.delete')}
              </Button>
            </Popconfirm>
          </Space>
        ) : null,
    });
  }

  return (
    <>
      <Table<RegionSummary>
        className="gz-clickable-table"
        data-testid="region-children"
        rowKey="code"
        columns={columns}
        dataSource={regions}
        loading={loading}
        locale={{ emptyText: t('region.noChildren') }}
        pagination={{ defaultPageSize: 100, hideOnSinglePage: true, showSizeChanger: true, pageSizeOptions: [20, 50, 100, 200] }}
        onRow={(region) => ({ onClick: () => navigate(`/regions/${region.code}`) })}
      />
      <RenameModal region={renaming} onClose={() => setRenaming(null)} />
    </>
  );
}

function RenameModal({ region, onClose }: { region: RegionSummary | null; onClose(): void }) {
  const { t } = usePreferences();
  const { message } = App.useApp();
  const rename = useRenameRegion();
  const [form] = Form.useForm<{ name: string }>();

  return (
    <Modal
      open={region !== null}
      title={t('region.rename.title')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={rename.isPending}
      destroyOnHidden
      onCancel={onClose}
      onOk={() => form.submit()}
    >
      {region && (
        <Form
          form={form}
          layout="vertical"
          initialValues={{ name: region.name }}
          onFinish={({ name }) =>
            rename.mutate(
              { code: region.code, name: name.trim() },
              {
                onSuccess: () => {
                  message.success(t('region.rename.done'));
                  onClose();
                },
                onError: (error) => message.error(error.message),
              },
            )
          }
        >
          <Form.Item name="name" label={t('region.add.name')} rules={[{ required: true, whitespace: true, message: t('region.add.nameRequired') }, { max: 100 }]}>
            <Input autoFocus maxLength={100} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
