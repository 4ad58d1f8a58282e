import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, ConfigProvider, type ThemeConfig } from 'antd';
import { useEffect, useMemo, type ReactNode } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { ErrorResult, FullPageSpin } from '../../components/StatusPages.tsx';
import { usePreferences, type FontSize } from '../../preferences.tsx';
import { SessionProvider, useMeQuery, wasSessionLost } from '../../session.tsx';
import './resident.css';

/**
 * The resident app (/m): a phone-first shell of its own, inside the same SPA and session as the
 * console. Text and targets are larger than the console's: 17 px text and 48 px targets at the
 * standard size, 22/24 px text and 56/64 px targets in elder mode.
 */
const SIZES: Record<FontSize, { fontSize: number; controlHeight: number }> = {
  standard: { fontSize: 17, controlHeight: 48 },
  large: { fontSize: 22, controlHeight: 56 },
  xlarge: { fontSize: 24, controlHeight: 64 },
};

export function isElder(preferences: { fontSize: FontSize; highContrast: boolean }): boolean {
  return preferences.fontSize !== 'standard' || preferences.highContrast;
}

export function ResidentRoot() {
  const me = useMeQuery();
  const location = useLocation();
  const { fontSize } = usePreferences();
  const theme = useMemo<ThemeConfig>(() => {
    const size = SIZES[fontSize];
    return {
      token: { fontSize: size.fontSize, controlHeight: size.controlHeight, controlHeightLG: size.controlHeight + 8, fontSizeLG: size.fontSize + 2, borderRadius: 10 },
    };
  }, [fontSize]);

  if (me.isPending) return <FullPageSpin />;
  if (me.isError) return <ErrorResult error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) return <Navigate to="/login" replace state={{ from: location.pathname + location.search, expired: wasSessionLost() }} />;
  return (
    <SessionProvider me={me.data}>
      <ConfigProvider theme={theme}>
        <div className="gz-m">
          <Outlet />
        </div>
      </ConfigProvider>
    </SessionProvider>
  );
}

/**
 * One screen of the resident app: a top bar with a back button and the title, the content, and
 * an optional footer pinned to the bottom for the screen's one primary action.
 */
export function ResidentScreen({ title, back, footer, children, testId }: { title: string; back?: string | (() => void); footer?: ReactNode; children: ReactNode; testId?: string }) {
  const { t } = usePreferences();
  const navigate = useNavigate();
  useEffect(() => {
    document.title = `${title} · ${t('resident.title')}`;
  }, [title, t]);
  const goBack = () => {
    if (typeof back === 'function') back();
    else if (back) void navigate(back);
  };
  return (
    <div className="gz-m-screen" data-testid={testId}>
      <header className="gz-m-bar">
        {back !== undefined && (
          <Button type="text" className="gz-m-back" icon={<ArrowLeftOutlined aria-hidden />} onClick={goBack} data-testid="m-back">
            {t('resident.back')}
          </Button>
        )}
        <h1 className="gz-m-title">{title}</h1>
      </header>
      <main className="gz-m-body">{children}</main>
      {footer && <footer className="gz-m-footer">{footer}</footer>}
    </div>
  );
}
