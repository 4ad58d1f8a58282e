import { SearchOutlined } from '@ant-design/icons';
import { Select, Spin } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { levelLabel } from '../../labels.ts';
import { usePreferences } from '../../preferences.tsx';
import { useRegionSearch } from './queries.ts';

/** Type a name or code; choose a result to open that region. */
export function RegionSearch() {
  const { locale, t } = usePreferences();
  const navigate = useNavigate();
  const [input, setInput] = useState('');
  const [query, setQuery] = useState('');

  useEffect(() => {
    const timer = window.setTimeout(() => setQuery(input), 250);
    return () => window.clearTimeout(timer);
  }, [input]);

  const search = useRegionSearch(query);
  const results = query.trim() ? (search.data ?? []) : [];

  return (
    <Select
      className="gz-region-search"
      data-testid="region-search"
      showSearch={{ filterOption: false, onSearch: setInput, searchValue: input }}
      value={null}
      placeholder={
        <span>
          <SearchOutlined aria-hidden /> {t('region.search')}
        </span>
      }
      aria-label={t('region.search')}
      notFoundContent={search.isFetching ? <Spin size="small" /> : query.trim() ? t('region.searchEmpty') : null}
      options={results.map((r) => ({
        value: r.code,
        label: (
          <span className="gz-search-option">
            <span>{r.name}</span>
            <span className="gz-muted">
              {levelLabel(r.level, locale)} · {r.code}
            </span>
          </span>
        ),
      }))}
      onChange={(code: string | null) => {
        if (!code) return;
        setInput('');
        setQuery('');
        navigate(`/regions/${code}`);
      }}
      suffixIcon={null}
      popupMatchSelectWidth={360}
    />
  );
}
