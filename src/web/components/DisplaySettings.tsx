import { EyeOutlined } from '@ant-design/icons';
import { Button, Divider, Flex, Popover, Segmented, Switch, Typography } from 'antd';
import { FONT_SIZES, usePreferences, type FontSize } from '../preferences.tsx';

/** 长者模式: text size and high contrast, available before and after sign-in. */
export function DisplaySettings({ dark = false }: { dark?: boolean }) {
  const { fontSize, highContrast, update, t } = usePreferences();
  const active = fontSize !== 'standard' || highContrast;

  const content = (
    <Flex vertical gap="middle" className="gz-display-settings">
      <Button type="primary" block onClick={() => update({ fontSize: 'xlarge', highContrast: true })} disabled={fontSize === 'xlarge' && highContrast}>
        {t('display.elderPreset')}
      </Button>
      <Divider style={{ margin: 0 }} />
      <div>
        <Typography.Text strong id="gz-font-size-label">
          {t('display.fontSize')}
        </Typography.Text>
        <Segmented<FontSize>
          block
          aria-labelledby="gz-font-size-label"
          value={fontSize}
          onChange={(value) => update({ fontSize: value })}
          options={FONT_SIZES.map((size) => ({ value: size, label: t(`display.font.${size}`) }))}
          style={{ marginTop: 8 }}
        />
      </div>
      <Flex justify="space-between" align="center" gap="middle">
        <Typography.Text strong id="gz-contrast-label">
          {t('display.highContrast')}
        </Typography.Text>
        <Switch aria-labelledby="gz-contrast-label" checked={highContrast} onChange={(checked) => update({ highContrast: checked })} />
      </Flex>
      <Button onClick={() => update({ fontSize: 'standard', highContrast: false })} disabled={!active}>
        {t('display.reset')}
      </Button>
    </Flex>
  );

  return (
    <Popover content={content} title={t('display.title')} trigger="click" placement="bottomRight">
      <Button
        className={dark ? 'gz-header-button' : undefined}
        type={dark ? (active ? 'primary' : 'text') : active ? 'primary' : 'default'}
        icon={<EyeOutlined />}
        aria-pressed={active}
        data-testid="display-settings"
      >
        {t('display.button')}
      </Button>
    </Popover>
  );
}
