import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { LEDGER_FIELD_LABELS, type LedgerField } from '../../../shared/ledger.ts';
import { api } from '../../api.ts';
import { usePreferences } from '../../preferences.tsx';
import type { LedgerTagList } from '../../types.ts';

export type Locale = ReturnType<typeof usePreferences>['locale'];

/** A field's label: the ledger's own fields by name, tags `tag.<code>` by the tag's name. */
export function fieldLabel(field: string, locale: Locale, tags: LedgerTagList['items']): string {
  if (field.startsWith('tag.')) {
    const tag = tags.find((x) => x.code === field.slice(4));
    return tag ? (locale === 'en' ? tag.nameEn : tag.name) : field;
  }
  const label = (LEDGER_FIELD_LABELS as Record<string, Record<Locale, string> | undefined>)[field as LedgerField];
  return label ? label[locale] : field;
}

export function fieldValue(field: string, value: string | null, t: ReturnType<typeof usePreferences>['t']): string {
  if (value === null) return t('common.none');
  if (field.startsWith('tag.')) return value === 'yes' ? '✓' : '✗';
  if (field === 'sex' && (value === 'male' || value === 'female')) return t(`ledger.sex.${value}`);
  return value;
}

/** Date and time in Shanghai, in the console's language. */
export function useShanghaiTime(): (iso: string) => string {
  const { locale } = usePreferences();
  return (iso: string) => new Date(iso).toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai' });
}

/** Asks for the reason, then shows one full value once; the server audits the read. */
export function RevealButton({ personId, field }: { personId: string; field: 'id_number' | 'phone' }) {
  const { t } = usePreferences();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const reveal = useMutation({ mutationFn: (reason: string) => api.ledgerReveal(personId, field, reason) });
  const close = () => {
    setOpen(false);
    reveal.reset();
    form.resetFields();
  };
  return (
    <>
      <Button size="small" type="link" onClick={() => setOpen(true)}>
        {t('ledger.reveal')}
      </Button>
      <Modal open={open} title={t('ledger.reveal')} onCancel={close} onOk={() => (reveal.data ? close() : form.submit())} confirmLoading={reveal.isPending} destroyOnHidden>
        {reveal.data ? (
          <Typography.Paragraph className="gz-revealed" copyable={reveal.data.value ? { text: reveal.data.value } : false}>
            {reveal.data.value ?? t('common.none')}
          </Typography.Paragraph>
        ) : (
          <Form form={form} layout="vertical" onFinish={({ reason }) => reveal.mutate(reason.trim())}>
            {reveal.error && <Alert type="error" showIcon title={reveal.error.message} style={{ marginBottom: 16 }} />}
            <Form.Item name="reason" label={t('ledger.revealReason')} rules={[{ required: true, whitespace: true, min: 2, message: t('ledger.revealReasonRequired') }]}>
              <Input.TextArea maxLength={200} autoSize={{ minRows: 2 }} />
            </Form.Item>
          </Form>
        )}
      </Modal>
    </>
  );
}
