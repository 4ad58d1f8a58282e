import { Button, Result, Spin } from 'antd';
import { Link } from 'react-router';
import { ApiError } from '../api.ts';
import { useT } from '../preferences.tsx';

export function FullPageSpin() {
  const t = useT();
  return (
    <div className="gz-center" role="status">
      <Spin size="large" />
      <span className="gz-loading-text">{t('app.loading')}</span>
    </div>
  );
}

function StatusPage({ status, title, subTitle }: { status: '404' | '403'; title: string; subTitle: string }) {
  const t = useT();
  return (
    <Result
      status={status}
      title={title}
      subTitle={subTitle}
      extra={
        <Link to="/">
          <Button type="primary" size="large">
            {t('common.backHome')}
          </Button>
        </Link>
      }
    />
  );
}

export function NotFoundPage() {
  const t = useT();
  return <StatusPage status="404" title={t('notFound.title')} subTitle={t('notFound.subtitle')} />;
}

export function ForbiddenPage() {
  const t = useT();
  return <StatusPage status="403" title={t('forbidden.title')} subTitle={t('forbidden.subtitle')} />;
}

/** A failed request as a page section: the server's message and a retry button. */
export function ErrorResult({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT();
  const message = error instanceof ApiError || error instanceof Error ? error.message : String(error);
  return (
    <Result
      status="error"
      title={t('common.loadFailed')}
      subTitle={message}
      extra={
        onRetry ? (
          <Button size="large" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}
