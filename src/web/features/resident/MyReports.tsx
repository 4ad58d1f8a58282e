import { RightOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Spin } from 'antd';
import { Link, useNavigate } from 'react-router';
import type { Locale } from '../../../shared/i18n/locale.ts';
import { api } from '../../api.ts';
import { ErrorResult } from '../../components/StatusPages.tsx';
import { usePreferences } from '../../preferences.tsx';
import type { CaseView } from '../../types.ts';
import { ResidentScreen } from './ResidentRoot.tsx';
import { residentStatus, shortDateTime } from './residentLabels.ts';

/** 我的反映: the resident's own cases (the server shows residents only theirs), newest first. */
export function MyReports() {
  const { locale, t } = usePreferences();
  const navigate = useNavigate();
  const cases = useQuery({ queryKey: ['cases', 'mine'], queryFn: () => api.cases({ limit: 50, offset: 0 }) });

  return (
    <ResidentScreen
      title={t('resident.mine.title')}
      back="/m"
      testId="m-mine"
      footer={
        <Button type="primary" block size="large" onClick={() => void navigate('/m/report')} data-testid="m-mine-report">
          {t('resident.home.report')}
        </Button>
      }
    >
      {cases.isPending ? (
        <div className="gz-m-center">
          <Spin size="large" />
        </div>
      ) : cases.isError ? (
        <ErrorResult error={cases.error} onRetry={() => void cases.refetch()} />
      ) : cases.data.items.length === 0 ? (
        <p className="gz-m-lead gz-m-empty">{t('resident.mine.empty')}</p>
      ) : (
        <ul className="gz-m-list" data-testid="m-case-list">
          {cases.data.items.map((c) => (
            <li key={c.id}>
              <CaseCard kase={c} locale={locale} sentAt={t('resident.mine.sentAt', { time: shortDateTime(c.createdAt, locale) })} />
            </li>
          ))}
        </ul>
      )}
    </ResidentScreen>
  );
}

function CaseCard({ kase, locale, sentAt }: { kase: CaseView; locale: Locale; sentAt: string }) {
  const status = residentStatus(kase, locale);
  return (
    <Link to={`/m/reports/${kase.id}`} className={`gz-m-card gz-m-card-link gz-m-tone-${status.tone}`} data-testid="m-case-card" data-number={kase.number}>
      <span className="gz-m-card-head">
        <span className={`gz-m-status gz-m-status-${status.tone}`} data-testid="m-case-status">
          {status.text}
        </span>
        <RightOutlined aria-hidden className="gz-m-chevron" />
      </span>
      <span className="gz-m-card-text">{kase.description}</span>
      <span className="gz-m-muted gz-m-card-meta">
        {kase.categoryName ? `${kase.categoryName} · ` : ''}
        {sentAt}
      </span>
      <span className="gz-m-muted gz-m-card-meta gz-m-code">{kase.number}</span>
    </Link>
  );
}
