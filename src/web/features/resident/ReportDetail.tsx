import { AudioOutlined, StarFilled } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Image, Input, Spin } from 'antd';
import { useState } from 'react';
import { useParams } from 'react-router';
import type { Locale } from '../../../shared/i18n/locale.ts';
import { ApiError, api, type TransitionInput } from '../../api.ts';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { usePreferences } from '../../preferences.tsx';
import { useSession } from '../../session.tsx';
import type { CaseDetail } from '../../types.ts';
import { ResidentScreen } from './ResidentRoot.tsx';
import { residentStatus, shortDateTime, timelineLabel } from './residentLabels.ts';

/** One of my reports: where it stands, what I can do now, and everything that happened so far. */
export function ReportDetail() {
  const { id = '' } = useParams();
  const { locale, t } = usePreferences();
  const detail = useQuery({ queryKey: ['case', id], queryFn: () => api.case(id) });

  let body;
  if (detail.isPending) {
    body = (
      <div className="gz-m-center">
        <Spin size="large" />
      </div>
    );
  } else if (detail.isError) {
    const error = detail.error;
    body =
      error instanceof ApiError && error.status >= 400 && error.status < 500 ? (
        <p className="gz-m-lead gz-m-empty" data-testid="m-not-found">
          {t('resident.detail.notFound')}
        </p>
      ) : (
        <ErrorResult error={error} onRetry={() => void detail.refetch()} />
      );
  } else {
    body = <CaseBody kase={detail.data} locale={locale} />;
  }

  return (
    <ResidentScreen title={t('resident.detail.title')} back="/m/reports" testId="m-detail">
      {body}
    </ResidentScreen>
  );
}

function CaseBody({ kase, locale }: { kase: CaseDetail; locale: Locale }) {
  const { t } = usePreferences();
  const me = useSession();
  const status = residentStatus(kase, locale);
  const photos = useQuery({ queryKey: ['case', kase.id, 'photos'], queryFn: () => api.casePhotos(kase.id) });
  const place = kase.address ? `${kase.regionName} · ${kase.address}` : kase.regionName;

  return (
    <>
      <p className={`gz-m-status gz-m-status-big gz-m-status-${status.tone}`} data-testid="m-detail-status">
        {status.text}
      </p>
      {kase.rating !== null && (
        <p className="gz-m-rated" data-testid="m-rating">
          <span aria-hidden className="gz-m-rated-stars">
            {'★'.repeat(kase.rating)}
            {'☆'.repeat(5 - kase.rating)}
          </span>{' '}
          {t('resident.rate.yours', { n: kase.rating })}
        </p>
      )}
      <ResidentActions kase={kase} />
      <section className="gz-m-section">
        <h2 className="gz-m-h2">{t('resident.detail.what')}</h2>
        <p className="gz-m-card-text gz-m-pre" data-testid="m-detail-description">
          {kase.description}
        </p>
        <dl className="gz-m-facts">
          <dt>{t('resident.detail.where')}</dt>
          <dd data-testid="m-detail-place">{place}</dd>
          {kase.mainUnit && (
            <>
              <dt>{t('resident.detail.unit')}</dt>
              <dd>{kase.mainUnit.name}</dd>
            </>
          )}
          <dt>{t('resident.detail.number')}</dt>
          <dd className="gz-m-code" data-testid="m-detail-number">
            {kase.number}
          </dd>
        </dl>
      </section>
      {photos.data && photos.data.items.length > 0 && (
        <section className="gz-m-section">
          <h2 className="gz-m-h2">{t('resident.detail.photos')}</h2>
          <Image.PreviewGroup>
            <div className="gz-m-thumbs" data-testid="m-detail-photos">
              {photos.data.items.map((p, index) => (
                <Image key={p.id} src={p.thumbnailUrl} preview={{ src: p.url }} alt={`${t('resident.detail.photos')} ${index + 1}`} width={96} height={96} style={{ objectFit: 'cover', borderRadius: 8 }} />
              ))}
            </div>
          </Image.PreviewGroup>
        </section>
      )}
      <section className="gz-m-section">
        <h2 className="gz-m-h2">{t('resident.detail.progress')}</h2>
        <ol className="gz-m-timeline" data-testid="m-timeline">
          {[...kase.timeline].reverse().map((entry, index) => (
            <li key={`${entry.at}-${index}`} className={index === 0 ? 'gz-m-tl gz-m-tl-latest' : 'gz-m-tl'}>
              <span className="gz-m-tl-what">{timelineLabel(entry, locale)}</span>
              <span className="gz-m-muted gz-m-tl-meta">
                {shortDateTime(entry.at, locale)}
                {' · '}
                {entry.actorRole === 'resident' && entry.actorName === me.user.displayName ? t('resident.detail.you') : entry.actorName}
              </span>
              {entry.note && <span className="gz-m-tl-note">{entry.note}</span>}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}

type Panel = 'main' | 'notSolved' | 'reopen';

/** The resident's part of the loop: confirm the fix (or say it is not fixed), rate, reopen. */
function ResidentActions({ kase }: { kase: CaseDetail }) {
  const { t } = usePreferences();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [panel, setPanel] = useState<Panel>('main');
  const [reason, setReason] = useState('');
  const [reasonMissing, setReasonMissing] = useState(false);
  const [score, setScore] = useState(0);
  const [scoreMissing, setScoreMissing] = useState(false);
  const [comment, setComment] = useState('');
  const can = (action: string) => kase.allowedActions.includes(action);

  const act = useMutation({
    mutationFn: (input: TransitionInput) => api.transitionCase(kase.id, input),
    onSuccess: async (updated) => {
      queryClient.setQueryData(['case', kase.id], updated);
      await queryClient.invalidateQueries({ queryKey: ['cases'] });
      setPanel('main');
      setReason('');
      void message.success(t('resident.sent'));
    },
  });

  const withReason = (send: (text: string) => void) => {
    const text = reason.trim();
    if (!text) {
      setReasonMissing(true);
      return;
    }
    send(text);
  };

  const reasonField = (label: string, testId: string) => (
    <label className="gz-m-field">
      <span className="gz-m-label">{label}</span>
      <Input.TextArea
        value={reason}
        onChange={(e) => {
          setReason(e.target.value);
          if (e.target.value.trim()) setReasonMissing(false);
        }}
        autoSize={{ minRows: 3, maxRows: 8 }}
        maxLength={1000}
        status={reasonMissing ? 'error' : undefined}
        data-testid={testId}
      />
      <span className="gz-m-muted gz-m-voice">
        <AudioOutlined aria-hidden /> {t('resident.report.voiceHint')}
      </span>
    </label>
  );
  const error = act.isError && <Alert type="error" showIcon role="alert" title={act.error.message} data-testid="m-action-error" />;
  const cancel = (
    <Button block size="large" type="text" onClick={() => setPanel('main')} disabled={act.isPending}>
      {t('resident.cancel')}
    </Button>
  );

  if (can('verify')) {
    return (
      <section className="gz-m-action" data-testid="m-verify">
        <p className="gz-m-question">{t('resident.verify.question')}</p>
        {panel === 'notSolved' ? (
          <>
            {reasonField(t('resident.verify.reason'), 'm-verify-reason')}
            {reasonMissing && <p className="gz-m-error" role="alert">{t('resident.verify.reasonRequired')}</p>}
            <Button type="primary" danger block size="large" loading={act.isPending} onClick={() => withReason((text) => act.mutate({ action: 'verify', passed: false, reason: text }))} data-testid="m-verify-send-no">
              {t('resident.verify.send')}
            </Button>
            {cancel}
          </>
        ) : (
          <>
            <Button type="primary" block size="large" loading={act.isPending} onClick={() => act.mutate({ action: 'verify', passed: true })} data-testid="m-verify-yes">
              {t('resident.verify.yes')}
            </Button>
            <Button block size="large" disabled={act.isPending} onClick={() => setPanel('notSolved')} data-testid="m-verify-no">
              {t('resident.verify.no')}
            </Button>
          </>
        )}
        {error}
      </section>
    );
  }

  const rateBlock = can('rate') && panel === 'main' && (
    <section className="gz-m-action" data-testid="m-rate">
      <p className="gz-m-question" id="gz-m-rate-question">
        {t('resident.rate.question')}
      </p>
      <div className="gz-m-stars" role="radiogroup" aria-labelledby="gz-m-rate-question">
        {[1, 2, 3, 4, 5].map((n) => (
          <button
            key={n}
            type="button"
            role="radio"
            aria-checked={score === n}
            aria-label={t('resident.rate.star', { n })}
            className={n <= score ? 'gz-m-star gz-m-star-on' : 'gz-m-star'}
            onClick={() => {
              setScore(n);
              setScoreMissing(false);
            }}
            data-testid={`m-star-${n}`}
          >
            <StarFilled aria-hidden />
          </button>
        ))}
      </div>
      {score > 0 && <p className="gz-m-muted gz-m-center-text">{t('resident.rate.star', { n: score })}</p>}
      {scoreMissing && <p className="gz-m-error" role="alert">{t('resident.rate.required')}</p>}
      <label className="gz-m-field">
        <span className="gz-m-label">{t('resident.rate.comment')}</span>
        <Input.TextArea value={comment} onChange={(e) => setComment(e.target.value)} autoSize={{ minRows: 2, maxRows: 6 }} maxLength={500} data-testid="m-rate-comment" />
      </label>
      <Button
        type="primary"
        block
        size="large"
        loading={act.isPending}
        onClick={() => (score === 0 ? setScoreMissing(true) : act.mutate({ action: 'rate', score, comment: comment.trim() || undefined }))}
        data-testid="m-rate-submit"
      >
        {t('resident.rate.submit')}
      </Button>
      {error}
    </section>
  );

  const reopenBlock = can('reopen') && (
    <section className="gz-m-action gz-m-action-quiet" data-testid="m-reopen">
      {panel === 'reopen' ? (
        <>
          {reasonField(t('resident.reopen.reason'), 'm-reopen-reason')}
          {reasonMissing && <p className="gz-m-error" role="alert">{t('resident.reopen.reasonRequired')}</p>}
          <Button type="primary" block size="large" loading={act.isPending} onClick={() => withReason((text) => act.mutate({ action: 'reopen', reason: text }))} data-testid="m-reopen-send">
            {t('resident.reopen.send')}
          </Button>
          {cancel}
          {error}
        </>
      ) : (
        <>
          <p className="gz-m-muted">{t('resident.reopen.question')}</p>
          <Button block size="large" onClick={() => setPanel('reopen')} data-testid="m-reopen-open">
            {t('resident.reopen.button')}
          </Button>
          {!rateBlock && error}
        </>
      )}
    </section>
  );

  return (
    <>
      {rateBlock}
      {reopenBlock}
    </>
  );
}
