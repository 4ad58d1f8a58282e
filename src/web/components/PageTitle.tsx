import { Flex, Typography } from 'antd';
import { useEffect, type ReactNode } from 'react';
import { useT } from '../preferences.tsx';

/** The page's <h1>, also used as the browser tab title. */
export function PageTitle({ children, title, extra }: { children: ReactNode; title: string; extra?: ReactNode }) {
  const t = useT();
  useEffect(() => {
    document.title = `${title} · ${t('app.fullName')}`;
    return () => {
      document.title = t('app.fullName');
    };
  }, [title, t]);
  return (
    <Flex className="gz-page-title" justify="space-between" align="center" wrap gap="middle">
      <Typography.Title level={1}>{children}</Typography.Title>
      {extra}
    </Flex>
  );
}
