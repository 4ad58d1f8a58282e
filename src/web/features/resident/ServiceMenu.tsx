import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Input, Spin } from 'antd';
import { useState } from 'react';
import { ApiError } from '../../api.ts';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { usePreferences } from '../../preferences.tsx';
import { useSession } from '../../session.tsx';
import { servicesApi, type MenuItem } from '../services/servicesApi.ts';
import { isElder, ResidentScreen } from './ResidentRoot.tsx';

/**
 * 我可以享受的服务 (递菜单): the services the platform found for the resident, each with why, how to
 * get it, what to bring, and one button — 申请, or 确认享受 for 免申即享 — and 不需要 with a reason
 * chosen from a few. Before the first use the resident checks their identity against the committee's
 * ledger (实名核验). A verified resident may authorise a family member's account (家人代办); an
 * account authorised by someone chooses whom it acts for, and every step is then recorded as 代办.
 */
export function ServiceMenu() {
  const preferences = usePreferences();
  const { t } = preferences;
  const elder = isElder(preferences);
  const resident = useSession().assignment.role === 'resident';
  const link = useQuery({ queryKey: ['services', 'link'], queryFn: servicesApi.link });
  const [forId, setForId] = useState<string | null>(null);
  const actingFor = link.data?.actingFor ?? [];
  const represented = forId ? actingFor.find((a) => a.personId === forId) : undefined;
  const menu = useQuery({ queryKey: ['services', 'menu', forId], queryFn: () => servicesApi.menu(forId), enabled: link.data?.linked === true || represented !== undefined });

  let body;
  if (link.isPending) {
    body = (
      <div className="gz-m-center">
        <Spin size="large" />
      </div>
    );
  } else if (link.isError) {
    body = <ErrorResult error={link.error} onRetry={() => void link.refetch()} />;
  } else {
    let list;
    if (!represented && !link.data.linked) {
      // only a resident verifies themselves; an agent from the staff (a social worker) chooses whom they act for
      list = resident ? <VerifyForm /> : <p className="gz-m-lead gz-m-empty">{actingFor.length ? t('resident.actingFor.choose') : t('resident.services.residentsOnly')}</p>;
    } else if (menu.isPending) {
      list = (
        <div className="gz-m-center">
          <Spin size="large" />
        </div>
      );
    } else if (menu.isError) {
      list = <ErrorResult error={menu.error} onRetry={() => void menu.refetch()} />;
    } else if (menu.data.length === 0) {
      list = <p className="gz-m-lead gz-m-empty">{t('resident.services.empty')}</p>;
    } else {
      list = (
        <>
          <p className="gz-m-lead">{t('resident.services.lead')}</p>
          <ul className="gz-m-list" data-testid="m-service-list">
            {menu.data.map((item) => (
              <li key={item.serviceId}>
                <ServiceCard item={item} elder={elder} forId={represented ? forId : null} />
              </li>
            ))}
          </ul>
        </>
      );
    }
    body = (
      <>
        {actingFor.length > 0 && (
          <section className="gz-m-section" data-testid="m-acting-for">
            <h2 className="gz-m-h2">{t('resident.actingFor.title')}</h2>
            <div className="gz-m-choices">
              {[{ personId: null, label: t('resident.actingFor.me') }, ...actingFor.map((a) => ({ personId: a.personId, label: `${a.name}（${a.relation}）` }))].map((o) => (
                <Button key={o.personId ?? 'me'} block size="large" className={forId === o.personId ? 'gz-m-choice gz-m-choice-on' : 'gz-m-choice'} aria-pressed={forId === o.personId} onClick={() => setForId(o.personId)}>
                  {o.label}
                </Button>
              ))}
            </div>
            {represented && (
              <p className="gz-m-note" role="status" data-testid="m-acting-note">
                {t('resident.actingFor.note', { name: represented.name })}
              </p>
            )}
          </section>
        )}
        {!represented && link.data.linked && (
          <p className="gz-m-ok" data-testid="m-verified">
            {t('resident.services.verified')}
          </p>
        )}
        {list}
        {!represented && link.data.linked && <ProxySection />}
      </>
    );
  }
  return (
    <ResidentScreen title={t('resident.services.title')} back="/m" testId="m-services">
      {body}
    </ResidentScreen>
  );
}

const DECLINE_REASONS = ['elsewhere', 'notNow', 'notWanted'] as const;

function ServiceCard({ item, elder, forId }: { item: MenuItem; elder: boolean; forId: string | null }) {
  const { t } = usePreferences();
  const client = useQueryClient();
  const [declining, setDeclining] = useState(false);
  const [other, setOther] = useState('');
  const refresh = () => void client.invalidateQueries({ queryKey: ['services', 'menu'] });
  const apply = useMutation({ mutationFn: () => servicesApi.apply(item.serviceId, forId), onSuccess: refresh });
  const decline = useMutation({
    mutationFn: (reason: string) => servicesApi.decline(item.serviceId, reason, forId),
    onSuccess: () => {
      setDeclining(false);
      refresh();
    },
  });
  const done = item.status === 'applied' ? t('resident.services.applied') : item.status === 'received' ? t('resident.services.received') : item.status === 'declined' ? t('resident.services.declined') : null;
  const mayApply = item.status === 'matched' || item.status === 'informed' || item.status === 'declined';
  const mayDecline = item.status === 'matched' || item.status === 'informed' || item.status === 'applied';
  const failure = apply.error ?? decline.error;
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
      {/* elder mode: fewer words — the why and the buttons; the details stay one tap away on the worker's visit */}
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
      {failure && <Alert type="error" showIcon message={failure instanceof ApiError ? failure.message : String(failure)} />}
      {done && (
        <p className="gz-m-lead" data-testid="m-service-done">
          {done}
        </p>
      )}
      {declining ? (
        <section className="gz-m-action" data-testid="m-decline">
          <p className="gz-m-question">{t('resident.services.declineAsk')}</p>
          <div className="gz-m-choices">
            {DECLINE_REASONS.map((r) => {
              const label = t(`resident.services.declineReason.${r}`);
              return (
                <Button key={r} block size="large" className="gz-m-choice" loading={decline.isPending && decline.variables === label} disabled={decline.isPending} onClick={() => decline.mutate(label)} data-testid="m-decline-reason">
                  {label}
                </Button>
              );
            })}
          </div>
          <label className="gz-m-field">
            {t('resident.services.declineOther')}
            <Input size="large" value={other} maxLength={200} placeholder={t('resident.services.declineOtherPlaceholder')} onChange={(e) => setOther(e.target.value)} data-testid="m-decline-other" />
          </label>
          {other.trim() && (
            <Button block size="large" danger loading={decline.isPending && decline.variables === other.trim()} onClick={() => decline.mutate(other.trim())} data-testid="m-decline-send">
              {t('resident.services.declineSend')}
            </Button>
          )}
          <Button block size="large" onClick={() => setDeclining(false)}>
            {t('common.cancel')}
          </Button>
        </section>
      ) : (
        <>
          {mayApply && (
            <Button type="primary" size="large" block loading={apply.isPending} onClick={() => apply.mutate()} data-testid="m-service-apply">
              {item.autoGrant ? t('resident.services.confirm') : t('resident.services.apply')}
            </Button>
          )}
          {mayDecline && (
            <Button size="large" block onClick={() => setDeclining(true)} data-testid="m-service-decline">
              {t('resident.services.decline')}
            </Button>
          )}
        </>
      )}
    </article>
  );
}

const RELATIONS = ['child', 'spouse', 'relative', 'worker'] as const;

/** 家人代办: who may act for me; authorise an account by its username and the relation, withdraw at any time. */
function ProxySection() {
  const { t } = usePreferences();
  const client = useQueryClient();
  const proxies = useQuery({ queryKey: ['services', 'proxies'], queryFn: servicesApi.proxies });
  const [adding, setAdding] = useState(false);
  const [username, setUsername] = useState('');
  const [relation, setRelation] = useState<string | null>(null);
  const refresh = () => void client.invalidateQueries({ queryKey: ['services', 'proxies'] });
  const grant = useMutation({
    mutationFn: () => servicesApi.grantProxy(username.trim(), relation!),
    onSuccess: () => {
      setAdding(false);
      setUsername('');
      setRelation(null);
      refresh();
    },
  });
  const revoke = useMutation({ mutationFn: servicesApi.revokeProxy, onSuccess: (d) => client.setQueryData(['services', 'proxies'], d) });
  const failure = grant.error ?? revoke.error;
  return (
    <section className="gz-m-section" data-testid="m-proxies">
      <h2 className="gz-m-h2">{t('resident.proxy.title')}</h2>
      <p className="gz-m-muted">{t('resident.proxy.lead')}</p>
      {proxies.isError ? (
        <ErrorResult error={proxies.error} onRetry={() => void proxies.refetch()} />
      ) : proxies.data && proxies.data.items.length === 0 ? (
        <p>{t('resident.proxy.none')}</p>
      ) : (
        <ul className="gz-m-list">
          {proxies.data?.items.map((p) => (
            <li key={p.id} className="gz-m-card" data-testid="m-proxy">
              <p className="gz-m-lead">
                {p.agentName}（{p.relation}）{p.basis === 'written' && <span className="gz-m-muted"> · {t('resident.proxy.written')}</span>}
              </p>
              <Button size="large" block danger loading={revoke.isPending && revoke.variables === p.id} onClick={() => revoke.mutate(p.id)} data-testid="m-proxy-revoke">
                {t('resident.proxy.revoke')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      {failure && <Alert type="error" showIcon message={failure instanceof ApiError ? failure.message : String(failure)} />}
      {adding ? (
        <form
          className="gz-m-action"
          data-testid="m-proxy-form"
          onSubmit={(e) => {
            e.preventDefault();
            grant.mutate();
          }}
        >
          <label className="gz-m-field">
            {t('resident.proxy.username')}
            <Input size="large" value={username} maxLength={60} autoCapitalize="none" onChange={(e) => setUsername(e.target.value)} data-testid="m-proxy-username" />
          </label>
          <p className="gz-m-question">{t('resident.proxy.relation')}</p>
          <div className="gz-m-choices">
            {RELATIONS.map((r) => {
              const label = t(`resident.proxy.relation.${r}`);
              return (
                <Button key={r} block size="large" className={relation === label ? 'gz-m-choice gz-m-choice-on' : 'gz-m-choice'} aria-pressed={relation === label} onClick={() => setRelation(label)} data-testid="m-proxy-relation">
                  {label}
                </Button>
              );
            })}
          </div>
          <Button type="primary" htmlType="submit" size="large" block loading={grant.isPending} disabled={!username.trim() || !relation} data-testid="m-proxy-submit">
            {t('resident.proxy.submit')}
          </Button>
          <Button block size="large" onClick={() => setAdding(false)}>
            {t('common.cancel')}
          </Button>
        </form>
      ) : (
        <Button block size="large" onClick={() => setAdding(true)} data-testid="m-proxy-add">
          {t('resident.proxy.add')}
        </Button>
      )}
    </section>
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
        <Input size="large" value={idNumber} onChange={(e) => setIdNumber(e.target.value.replace(/\s+/g, ''))} maxLength={18} inputMode="text" autoComplete="off" aria-describedby="m-verify-count" data-testid="m-verify-id" />
        {/* an elder typing 18 digits wants to know how far they are */}
        <span id="m-verify-count" className="gz-m-muted" aria-live="polite" data-testid="m-verify-count">
          {t('resident.verify.count', { n: idNumber.trim().length })}
        </span>
      </label>
      {verify.isError && <Alert type="error" showIcon message={verify.error instanceof ApiError ? verify.error.message : String(verify.error)} />}
      <Button type="primary" htmlType="submit" size="large" block loading={verify.isPending} disabled={!name.trim() || idNumber.trim().length !== 18} data-testid="m-verify-submit">
        {t('resident.verify.submit')}
      </Button>
      <p className={verify.isError ? 'gz-m-note' : 'gz-m-muted'}>{t('resident.verify.help')}</p>
    </form>
  );
}
