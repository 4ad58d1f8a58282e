import { GlobalOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { usePreferences } from '../preferences.tsx';

/** One button that names the other language in that language ("English" / "中文"). */
export function LanguageSwitch({ dark = false }: { dark?: boolean }) {
  const { locale, update, t } = usePreferences();
  const next = locale === 'zh-CN' ? 'en' : 'zh-CN';
  return (
    <Button
      className={dark ? 'gz-header-button' : undefined}
      type={dark ? 'text' : 'default'}
      icon={<GlobalOutlined />}
      aria-label={t('lang.switchToLabel')}
      lang={next}
      data-testid="language-switch"
      onClick={() => update({ locale: next })}
    >
      {t('lang.switchTo')}
    </Button>
  );
}
