import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Input, Spin } from 'antd';
import { useState } from 'react';
import { ApiError } from '../../api.ts';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { usePreferences } from '../../preferences.tsx';
import { servicesApi, type MenuItem } from '../services/servicesApi.ts';
import { isElder, ResidentScreen } from './ResidentRoot.tsx';

/**
 * 我可以享受的服务 (递菜单): the services the platform found for the resident, each with why, how to
 * get it, what to bring, and one button — 申请, or 确认享受 for 免申即享. Before the first use the
 * resident checks their identity against the committee's ledger (实名核验).
 */
export function ServiceMenu() {
  const preferences = usePreferences();
  const { t } = preferences;
  const elder = isElder(preferences);
  const link = useQuery({ queryKey: ['services', 'link'], queryFn: servicesApi.link });
  const menu = useQuery({ queryKey: ['services', 'menu'], queryFn: servicesApi.menu, enabled: link.data?.linked === true });

  let body;
  if (link.isPending || (link.data?.linked && menu.isPending)) {
    body = (
      <div className="gz-m-center">
        <Spin size="large" />
      </div>
    );
  } else if (link.isError || menu.isError) {
    body = <ErrorResult error={link.error ?? menu.error} onRetry={() => void (link.isError ? link.refetch() : menu.refetch())} />;
  } else if (!link.data.linked) {
    body = <VerifyForm />;
  } else if (!menu.data || menu.data.length === 0) {
    body = <p className="gz-m-lead gz-m-empty">{t('resident.services.empty')}</p>;
  } else {
    body = (
      <>
        <p className="gz-m-lead">{t('resident.services.lead')}</p>
        <ul className="gz-m-list" data-testid="m-service-list">
          {menu.data.map((item) => (
            <li key={item.serviceId}>
              <ServiceCard item={item} elder={elder} />
            </li>
          ))}
        </ul>
      </>
    );
  }
  return (
    <ResidentScreen title={t('resident.services.title')} back="/m" testId="m-services">
      {body}
    </ResidentScreen>
  );
}

function ServiceCard({ item, elder }: { item: MenuItem; elder: boolean }) {
  const { t } = usePreferences();
  const client = useQueryClient();
  const apply = useMutation({ mutationFn: () => servicesApi.apply(item.serviceId), onSuccess: () => void client.invalidateQueries({ queryKey: ['services', 'menu'] }) });
  const done = item.status === 'applied' ? t('resident.services.applied') : item.status === 'received' ? t('resident.services.received') : item.status === 'declined' ? t('resident.services.declined') : null;
  return (
    <article className="gz-m-card" data-testid="m-service-card" data-status={item.status}>
      <h2 className="gz-m-card-text">
        <strong>{item.name}</strong>
      </h2>
      {item.autoGrant && <p className="gz-m-note">{t('resident.services.autoGrant')}</p>}
      <h3 className="gz-m-muted">{t('resident.services.why')}</h3>
      <ul data-testid="m-service-reasons">
        {item.reasons.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
      {/* elder mode: fewer words — the why and the button; the details stay one tap away on the worker's visit */}
      {!elder && (
        <>
          <h3 className="gz-m-muted">{t('resident.services.how')}</h3>
          <p>{item.howToApply}</p>
          {item.documents.length > 0 && (
            <p>
              {t('resident.services.documents')}：{item.documents.join('、')}
            </p>
          )}
          <p className="gz-m-muted">{t('resident.services.department', { name: item.department })}</p>
        </>
      )}
      {apply.isError && <Alert type="error" showIcon message={apply.error.message} />}
      {done ? (
        <p className="gz-m-lead" data-testid="m-service-done">
          {done}
        </p>
      ) : (
        <Button type="primary" size="large" block loading={apply.isPending} onClick={() => apply.mutate()} data-testid="m-service-apply">
          {item.autoGrant ? t('resident.services.confirm') : t('resident.services.apply')}
        </Button>
      )}
    </article>
  );
}

function VerifyForm() {
  const { t } = usePreferences();
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [idNumber, setIdNumber] = useState('');
  const verify = useMutation({ mutationFn: () => servicesApi.verify(name.trim(), idNumber.trim().toUpperCase()), onSuccess: () => void client.invalidateQueries({ queryKey: ['services'] }) });
  return (
    <form
      data-testid="m-verify"
      onSubmit={(e) => {
        e.preventDefault();
        verify.mutate();
      }}
    >
      <h2 className="gz-m-lead">{t('resident.verify.title')}</h2>
      <p>{t('resident.verify.lead')}</p>
      <label className="gz-m-field">
        {t('resident.verify.name')}
        <Input size="large" value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" data-testid="m-verify-name" />
      </label>
      <label className="gz-m-field">
        {t('resident.verify.idNumber')}
        <Input size="large" value={idNumber} onChange={(e) => setIdNumber(e.target.value)} maxLength={18} inputMode="text" data-testid="m-verify-id" />
      </label>
      {verify.isError && <Alert type="error" showIcon message={verify.error instanceof ApiError ? verify.error.message : String(verify.error)} />}
      <Button type="primary" htmlType="submit" size="large" block loading={verify.isPending} disabled={!name.trim() || idNumber.trim().length !== 18} data-testid="m-verify-submit">
        {t('resident.verify.submit')}
      </Button>
      <p className="gz-m-muted">{t('resident.verify.help')}</p>
    </form>
  );
}
