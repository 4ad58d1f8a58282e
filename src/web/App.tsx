import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUSModule from 'antd/es/locale/en_US.js';
import zhCNModule from 'antd/es/locale/zh_CN.js';
import { useMemo } from 'react';
import { RouterProvider } from 'react-router';
import { setUnauthorizedHandler } from './api.ts';
import { PreferencesProvider, usePreferences } from './preferences.tsx';
import { notMe, queryClient } from './queryClient.ts';
import { router } from './routes.tsx';
import { markSessionLost, ME_QUERY_KEY } from './session.tsx';
import { buildTheme } from './theme.ts';

type AntdLocale = typeof zhCNModule.default;

/** antd's locale files are ES modules whose typings are CommonJS: take `default` if it is there. */
function interop(module: unknown): AntdLocale {
  const value = module as { default?: AntdLocale } & AntdLocale;
  return value.default ?? value;
}

const ANTD_LOCALES = { 'zh-CN': interop(zhCNModule), en: interop(enUSModule) };

// Session gone (expired, signed out elsewhere, account disabled): forget the user; the signed-in
// area then routes to the login page, which says why.
setUnauthorizedHandler(() => {
  if (!queryClient.getQueryData(ME_QUERY_KEY)) return;
  markSessionLost(true);
  queryClient.setQueryData(ME_QUERY_KEY, null);
  queryClient.removeQueries(notMe);
});

function ThemedApp() {
  const { locale, fontSize, highContrast } = usePreferences();
  const theme = useMemo(() => buildTheme({ fontSize, highContrast }), [fontSize, highContrast]);
  return (
    <ConfigProvider locale={ANTD_LOCALES[locale]} theme={theme} componentSize="middle">
      <AntApp className="gz-app">
        <RouterProvider router={router} />
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <PreferencesProvider>
      <QueryClientProvider client={queryClient}>
        <ThemedApp />
      </QueryClientProvider>
    </PreferencesProvider>
  );
}
