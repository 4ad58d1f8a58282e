import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Radio } from 'antd';
import { ALLOWED_CHILD_LEVELS } from '../../../shared/regions.ts';
import { isRegionLevel, levelLabel } from '../../labels.ts';
import { usePreferences } from '../../preferences.tsx';
import type { RegionDetail } from '../../types.ts';
import { useCreateRegion } from './queries.ts';

type LocalLevel = 'grid' | 'building';

interface AddForm {
  level: LocalLevel;
  name: string;
}

function localLevels(level: string): LocalLevel[] {
  if (!isRegionLevel(level)) return [];
  return ALLOWED_CHILD_LEVELS[level].filter((l): l is LocalLevel => l === 'grid' || l === 'building');
}

/** 新增网格/楼栋 under a committee (grid or building) or a grid (building). */
export function AddLocalRegionForm({ region }: { region: RegionDetail }) {
  const { locale, t } = usePreferences();
  const { message } = App.useApp();
  const [form] = Form.useForm<AddForm>();
  const create = useCreateRegion(region.code);
  const levels = localLevels(region.level);
  const first = levels[0];
  if (!first) return null;

  return (
    <Card title={t('region.add.title')} className="gz-add-region" size="small">
      <Form<AddForm>
        form={form}
        layout="inline"
        initialValues={{ level: first }}
        disabled={create.isPending}
        onFinish={(values) =>
          create.mutate(
            { level: values.level, name: values.name.trim() },
            {
              onSuccess: (created) => {
                message.success(t('region.add.done', { name: created.name }));
                form.resetFields(['name']);
              },
              onError: (error) => message.error(error.message),
            },
          )
        }
      >
        <Form.Item name="level" label={t('region.add.level')}>
          <Radio.Group optionType="button" buttonStyle="solid" options={levels.map((l) => ({ value: l, label: levelLabel(l, locale) }))} />
        </Form.Item>
        <Form.Item name="name" label={t('region.add.name')} rules={[{ required: true, whitespace: true, message: t('region.add.nameRequired') }]}>
          <Input placeholder={t('region.add.namePlaceholder')} maxLength={100} style={{ minWidth: 220 }} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" icon={<PlusOutlined />} loading={create.isPending}>
            {t('region.add.submit')}
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}
