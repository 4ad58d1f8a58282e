import { theme, type ThemeConfig } from 'antd';
import type { FontSize, Preferences } from './preferences.tsx';

/** Text size and target size per setting. Even "standard" is a little larger than antd's default. */
const SIZES: Record<FontSize, { fontSize: number; controlHeight: number }> = {
  standard: { fontSize: 15, controlHeight: 36 },
  large: { fontSize: 18, controlHeight: 44 },
  xlarge: { fontSize: 21, controlHeight: 52 },
};

/** Primary blue one step darker than antd's default, so text on white passes WCAG AA. */
const PRIMARY = '#0958d9';

const HIGH_CONTRAST: ThemeConfig['token'] = {
  colorPrimary: '#002c8c',
  colorLink: '#002c8c',
  colorText: '#000000',
  colorTextHeading: '#000000',
  colorTextSecondary: '#1f1f1f',
  colorTextTertiary: '#262626',
  colorTextQuaternary: '#434343',
  colorTextDescription: '#262626',
  colorTextPlaceholder: '#434343',
  colorTextDisabled: '#595959',
  colorBorder: '#000000',
  colorBorderSecondary: '#595959',
  colorSplit: '#595959',
  colorBgLayout: '#ffffff',
  colorBgContainer: '#ffffff',
  colorError: '#a8071a',
  colorSuccess: '#135200',
  colorWarning: '#874d00',
  colorInfo: '#002c8c',
  lineWidth: 2,
  controlOutlineWidth: 3,
};

export function buildTheme({ fontSize, highContrast }: Pick<Preferences, 'fontSize' | 'highContrast'>): ThemeConfig {
  const size = SIZES[fontSize];
  return {
    algorithm: theme.defaultAlgorithm,
    token: {
      colorPrimary: PRIMARY,
      fontSize: size.fontSize,
      controlHeight: size.controlHeight,
      borderRadius: 6,
      fontFamily:
        "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', 'Helvetica Neue', Arial, sans-serif",
      ...(highContrast ? HIGH_CONTRAST : {}),
    },
    components: {
      Layout: highContrast
        ? { headerBg: '#000000', siderBg: '#000000', headerHeight: size.controlHeight + 28, headerPadding: '0 16px' }
        : { headerBg: '#0b2545', siderBg: '#0b2545', headerHeight: size.controlHeight + 28, headerPadding: '0 16px' },
      Menu: highContrast
        ? { darkItemBg: '#000000', darkSubMenuItemBg: '#000000', darkItemSelectedBg: '#ffd666', darkItemSelectedColor: '#000000', darkItemColor: '#ffffff', itemHeight: size.controlHeight + 8 }
        : { darkItemBg: '#0b2545', darkSubMenuItemBg: '#0b2545', darkItemSelectedBg: PRIMARY, itemHeight: size.controlHeight + 8 },
      Table: { cellPaddingBlock: Math.round(size.fontSize * 0.8) },
    },
  };
}
