import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Select, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { PageTitle } from '../../components/PageTitle.tsx';
import { formatDateTime } from '../../format.ts';
import { usePreferences } from '../../preferences.tsx';
import { VOLUNTEER_TASK_KINDS, VOLUNTEER_TASK_KIND_LABELS, type VolunteerTaskKind } from '../../../shared/civic.ts';
import { civicApi, failureOf, type Redemption, type Reward, type Task, type TaskDetail, type VolunteerRow } from './civicApi.ts';

interface TaskForm {
  kind: VolunteerTaskKind;
  title: string;
  description?: string;
  time: [Dayjs, Dayjs];
  capacity: number;
  pointsPerHour: number;
}

/** Who signed up for a task; staff confirm check-in and check-out, which sets the hours (and the points), or confirm the hours of a volunteer who checked themselves out. */
function Signups({ task }: { task: Task }) {
  const { locale, t } = usePreferences();
  const queryClient = useQueryClient();
  const detail = useQuery({ queryKey: ['civic', 'task', task.id], queryFn: () => civicApi.task(task.id) });
  const check = useMutation({
    mutationFn: ({ userId, step }: { userId: string; step: 'check-in' | 'check-out' | 'confirm' }) => civicApi.check(task.id, userId, step),
    onSuccess: (d) => {
      queryClient.setQueryData(['civic', 'task', task.id], d);
      void queryClient.invalidateQueries({ queryKey: ['civic', 'volunteers'] });
    },
  });
  const columns: TableColumnsType<TaskDetail['signups'][number]> = [
    { title: t('civic.name'), dataIndex: 'name', render: (name: string, s) => (<>{name}{s.partyMember && <Tag color="red" style={{ marginInlineStart: 8 }}>{t('civic.volunteer.party')}</Tag>}</>) },
    { title: t('civic.volunteer.checkIn'), dataIndex: 'checkedInAt', render: (at: string | null, s) => (at ? formatDateTime(at, locale) : <Button size="small" onClick={() => check.mutate({ userId: s.userId, step: 'check-in' })}>{t('civic.volunteer.checkIn')}</Button>) },
    {
      title: t('civic.volunteer.checkOut'),
      dataIndex: 'checkedOutAt',
      render: (at: string | null, s) => (at ? formatDateTime(at, locale) : s.checkedInAt ? <Button size="small" onClick={() => check.mutate({ userId: s.userId, step: 'check-out' })}>{t('civic.volunteer.checkOut')}</Button> : '—'),
    },
    {
      title: t('civic.volunteer.hours'),
      dataIndex: 'hours',
      render: (h: number | null, s) =>
        s.awaitingConfirmation ? (
          <>
            <Tag color="orange">{t('civic.volunteer.awaiting')}</Tag>
            <Button size="small" type="primary" loading={check.isPending && check.variables.userId === s.userId} onClick={() => check.mutate({ userId: s.userId, step: 'confirm' })} data-testid="volunteer-confirm">
              {t('civic.volunteer.confirm')}
            </Button>
          </>
        ) : (
          (h ?? '—')
        ),
    },
  ];
  return (
    <>
      {check.error && <Alert type="error" showIcon message={failureOf(check.error)} />}
      <Table size="small" rowKey="userId" loading={detail.isPending} dataSource={detail.data?.signups ?? []} columns={columns} pagination={false} />
    </>
  );
}

/** 志愿服务与积分: tasks with sign-ups and hours, the committee's volunteers, rewards and redemptions. */
export function VolunteersPage() {
  const { locale, t } = usePreferences();
  const queryClient = useQueryClient();
  const tasks = useQuery({ queryKey: ['civic', 'tasks'], queryFn: civicApi.tasks });
  const volunteers = useQuery({ queryKey: ['civic', 'volunteers'], queryFn: civicApi.volunteers });
  const rewards = useQuery({ queryKey: ['civic', 'rewards'], queryFn: civicApi.rewards });
  const redemptions = useQuery({ queryKey: ['civic', 'redemptions'], queryFn: civicApi.redemptions });
  const [adding, setAdding] = useState<'task' | 'reward' | null>(null);
  const [taskForm] = Form.useForm<TaskForm>();
  const [rewardForm] = Form.useForm<{ name: string; description?: string; cost: number; stock: number }>();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['civic'] });
  const createTask = useMutation({
    mutationFn: (v: TaskForm) =>
      civicApi.createTask({ kind: v.kind, title: v.title, ...(v.description ? { description: v.description } : {}), startsAt: v.time[0].toISOString(), endsAt: v.time[1].toISOString(), capacity: v.capacity, pointsPerHour: v.pointsPerHour }),
    onSuccess: () => {
      setAdding(null);
      taskForm.resetFields();
      refresh();
    },
  });
  const createReward = useMutation({
    mutationFn: (v: { name: string; description?: string; cost: number; stock: number }) => civicApi.createReward({ name: v.name, cost: v.cost, stock: v.stock, ...(v.description ? { description: v.description } : {}) }),
    onSuccess: () => {
      setAdding(null);
      rewardForm.resetFields();
      refresh();
    },
  });
  const restock = useMutation({ mutationFn: ({ id, stock }: { id: string; stock: number }) => civicApi.changeReward(id, { stock }), onSuccess: refresh });

  const taskColumns: TableColumnsType<Task> = [
    { title: t('civic.notice.title'), dataIndex: 'title' },
    { title: t('civic.volunteer.kind'), dataIndex: 'kindLabel', render: (label: string, task) => <Tag color={task.kind === 'visit_alone' ? 'orange' : 'blue'}>{label}</Tag> },
    { title: t('civic.volunteer.time'), dataIndex: 'startsAt', render: (at: string, task) => `${formatDateTime(at, locale)} — ${formatDateTime(task.endsAt, locale)}` },
    { title: t('civic.volunteer.places'), dataIndex: 'signedUp', render: (n: number, task) => `${n} / ${task.capacity}` },
    { title: t('civic.volunteer.pointsPerHour'), dataIndex: 'pointsPerHour' },
  ];
  const volunteerColumns: TableColumnsType<VolunteerRow> = [
    { title: t('civic.name'), dataIndex: 'name', render: (name: string, v) => (<>{name}{v.partyMember && <Tag color="red" style={{ marginInlineStart: 8 }}>{t('civic.volunteer.party')}</Tag>}</>) },
    { title: t('civic.volunteer.phone'), dataIndex: 'phone' },
    { title: t('civic.volunteer.skills'), dataIndex: 'skills', render: (skills: string[]) => skills.map((s) => <Tag key={s}>{s}</Tag>) },
    { title: t('civic.volunteer.availability'), dataIndex: 'availability' },
    { title: t('civic.volunteer.hours'), dataIndex: 'hours' },
    { title: t('civic.volunteer.balance'), dataIndex: 'balance' },
  ];
  const rewardColumns: TableColumnsType<Reward> = [
    { title: t('civic.reward.name'), dataIndex: 'name' },
    { title: t('civic.reward.cost'), dataIndex: 'cost' },
    { title: t('civic.reward.stock'), dataIndex: 'stock', render: (stock: number, r) => <InputNumber min={0} max={100000} defaultValue={stock} onBlur={(e) => { const next = Number(e.target.value); if (Number.isInteger(next) && next !== stock) restock.mutate({ id: r.id, stock: next }); }} aria-label={t('civic.reward.stock')} /> },
    { title: t('civic.reward.redeemed'), dataIndex: 'redeemed' },
  ];
  const redemptionColumns: TableColumnsType<Redemption> = [
    { title: t('civic.reward.code'), dataIndex: 'code', render: (code: string) => <Typography.Text code>{code}</Typography.Text> },
    { title: t('civic.reward.name'), dataIndex: 'rewardName' },
    { title: t('civic.name'), dataIndex: 'name' },
    { title: t('civic.reward.cost'), dataIndex: 'cost' },
    { title: t('civic.notice.readAt'), dataIndex: 'createdAt', render: (at: string) => formatDateTime(at, locale) },
  ];

  return (
    <>
      <PageTitle
        title={t('nav.volunteers')}
        extra={
          <>
            <Button type="primary" size="large" icon={<PlusOutlined />} onClick={() => setAdding('task')} data-testid="task-add">{t('civic.volunteer.addTask')}</Button>{' '}
            <Button size="large" icon={<PlusOutlined />} onClick={() => setAdding('reward')}>{t('civic.reward.add')}</Button>
          </>
        }
      >
        {t('nav.volunteers')}
      </PageTitle>
      <Card>
        {failureOf(restock.error) && <Alert type="error" showIcon message={failureOf(restock.error)} />}
        <Tabs
          items={[
            { key: 'tasks', label: t('civic.volunteer.tasks'), children: <Table rowKey="id" loading={tasks.isPending} dataSource={tasks.data?.items ?? []} columns={taskColumns} expandable={{ expandedRowRender: (task) => <Signups task={task} /> }} /> },
            { key: 'volunteers', label: t('civic.volunteer.volunteers'), children: <Table rowKey="userId" loading={volunteers.isPending} dataSource={volunteers.data?.items ?? []} columns={volunteerColumns} /> },
            { key: 'rewards', label: t('civic.reward.rewards'), children: <Table rowKey="id" loading={rewards.isPending} dataSource={rewards.data?.items ?? []} columns={rewardColumns} /> },
            { key: 'redemptions', label: t('civic.reward.redemptions'), children: <Table rowKey="id" loading={redemptions.isPending} dataSource={redemptions.data?.items ?? []} columns={redemptionColumns} /> },
          ]}
        />
      </Card>
      <Modal open={adding === 'task'} title={t('civic.volunteer.addTask')} confirmLoading={createTask.isPending} onOk={() => taskForm.submit()} onCancel={() => setAdding(null)} destroyOnHidden>
        {createTask.error && <Alert type="error" showIcon message={failureOf(createTask.error)} />}
        <Form form={taskForm} layout="vertical" initialValues={{ kind: 'general', capacity: 5, pointsPerHour: 10 }} onFinish={(v) => createTask.mutate(v)}>
          <Form.Item name="kind" label={t('civic.volunteer.kind')}>
            <Select options={VOLUNTEER_TASK_KINDS.map((k) => ({ value: k, label: VOLUNTEER_TASK_KIND_LABELS[k][locale] }))} />
          </Form.Item>
          <Form.Item name="title" label={t('civic.notice.title')} rules={[{ required: true, max: 80 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="description" label={t('civic.notice.body')}>
            <Input.TextArea rows={3} />
          </Form.Item>
          <Form.Item name="time" label={t('civic.volunteer.time')} rules={[{ required: true }]}>
            <DatePicker.RangePicker showTime />
          </Form.Item>
          <Form.Item name="capacity" label={t('civic.volunteer.places')} rules={[{ required: true }]}>
            <InputNumber min={1} max={1000} />
          </Form.Item>
          <Form.Item name="pointsPerHour" label={t('civic.volunteer.pointsPerHour')} rules={[{ required: true }]}>
            <InputNumber min={0} max={100} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal open={adding === 'reward'} title={t('civic.reward.add')} confirmLoading={createReward.isPending} onOk={() => rewardForm.submit()} onCancel={() => setAdding(null)} destroyOnHidden>
        {createReward.error && <Alert type="error" showIcon message={failureOf(createReward.error)} />}
        <Form form={rewardForm} layout="vertical" initialValues={{ cost: 50, stock: 10 }} onFinish={(v) => createReward.mutate(v)}>
          <Form.Item name="name" label={t('civic.reward.name')} rules={[{ required: true, max: 60 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="description" label={t('civic.notice.body')}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.Item name="cost" label={t('civic.reward.cost')} rules={[{ required: true }]}>
            <InputNumber min={1} max={100000} />
          </Form.Item>
          <Form.Item name="stock" label={t('civic.reward.stock')} rules={[{ required: true }]}>
            <InputNumber min={0} max={100000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
