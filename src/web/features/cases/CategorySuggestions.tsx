import { useQuery } from '@tanstack/react-query';
import { Flex, Radio, Typography } from 'antd';
import { useEffect } from 'react';
import { api } from '../../api.ts';
import { usePreferences } from '../../preferences.tsx';
import { useDebounced } from './useDebounced.ts';

/**
 * The top three categories the classifier suggests for a description as it is typed, and "leave
 * it to the system" (''): the desk confirms or corrects the category at registration anyway.
 */
export function CategorySuggestions({ description, value, onChange, testId }: { description: string; value: string; onChange: (code: string) => void; testId: string }) {
  const { t } = usePreferences();
  const text = useDebounced(description.trim(), 500);
  const suggestions = useQuery({ queryKey: ['classify', text], queryFn: () => api.classify(text), enabled: text.length >= 2, staleTime: 60_000 });
  const top = (suggestions.data?.suggestions ?? []).slice(0, 3);
  const stale = value !== '' && suggestions.data !== undefined && !top.some((s) => s.categoryCode === value);
  useEffect(() => {
    // a choice the new text no longer suggests is dropped rather than silently kept
    if (stale) onChange('');
  }, [stale, onChange]);

  if (top.length === 0) return suggestions.isFetching ? <Typography.Text type="secondary">{t('case.categoryThinking')}</Typography.Text> : null;
  return (
    <Radio.Group value={value} onChange={(e) => onChange(e.target.value as string)} data-testid={testId}>
      <Flex vertical gap="small">
        <Radio value="">{t('case.categoryAuto')}</Radio>
        {top.map((s) => (
          <Radio key={s.categoryCode} value={s.categoryCode}>
            {s.name}
          </Radio>
        ))}
      </Flex>
    </Radio.Group>
  );
}
