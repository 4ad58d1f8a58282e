import { CheckCircleFilled } from '@ant-design/icons';
import { Alert, Button } from 'antd';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { usePreferences } from '../../preferences.tsx';
import type { ReportOutcome } from './ReportFlow.tsx';
import { ResidentScreen } from './ResidentRoot.tsx';

function readOutcome(state: unknown): ReportOutcome | null {
  if (typeof state !== 'object' || state === null) return null;
  const value = state as Partial<Record<keyof ReportOutcome, unknown>>;
  if ((value.kind !== 'reported' && value.kind !== 'followed') || typeof value.id !== 'string' || typeof value.number !== 'string') return null;
  return { kind: value.kind, id: value.id, number: value.number, ...(typeof value.photoError === 'string' ? { photoError: value.photoError } : {}) };
}

/** After a report (or following an existing case): the number, and what happens next. */
export function ReportDone() {
  const { t } = usePreferences();
  const navigate = useNavigate();
  const outcome = readOutcome(useLocation().state);
  if (!outcome) return <Navigate to="/m" replace />;
  const followed = outcome.kind === 'followed';

  return (
    <ResidentScreen
      title={followed ? t('resident.report.followedTitle') : t('resident.report.doneTitle')}
      back="/m"
      testId="m-done"
      footer={
        <Button type="primary" block size="large" onClick={() => void navigate(`/m/reports/${outcome.id}`)} data-testid="m-view-report">
          {t('resident.report.viewMine')}
        </Button>
      }
    >
      <div className="gz-m-done">
        <CheckCircleFilled className="gz-m-done-icon" aria-hidden />
        <p className="gz-m-done-title">{followed ? t('resident.report.followedTitle') : t('resident.report.doneTitle')}</p>
        <p className="gz-m-muted">{t('resident.report.doneNumber')}</p>
        <p className="gz-m-number" data-testid="m-case-number">
          {outcome.number}
        </p>
      </div>
      <p className="gz-m-lead">{followed ? t('resident.report.followedText') : t('resident.report.doneNext')}</p>
      {outcome.photoError && <Alert type="warning" showIcon title={t('resident.report.photoFailed', { reason: outcome.photoError })} data-testid="m-photo-error" />}
      <Button block size="large" onClick={() => void navigate('/m')} data-testid="m-back-home">
        {t('resident.report.backHome')}
      </Button>
    </ResidentScreen>
  );
}
