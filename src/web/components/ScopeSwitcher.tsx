import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Select } from 'antd';
import { useLocation, useNavigate } from 'react-router';
import { api } from '../api.ts';
import { assignmentLabel } from '../labels.ts';
import { usePreferences } from '../preferences.tsx';
import { notMe } from '../queryClient.ts';
import { ME_QUERY_KEY, useSession } from '../session.tsx';

/** Lists every role assignment ("角色 · 区域") of a user who has several, and switches the session's active one. */
export function ScopeSwitcher() {
  const me = useSession();
  const { locale, t } = usePreferences();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const { message } = App.useApp();

  const switchScope = useMutation({
    mutationFn: api.switchScope,
    onSuccess: (next) => {
      // Everything cached belongs to the old scope. The shell remounts the page when the active
      // assignment changes, so the page fetches afresh under the new one.
      queryClient.removeQueries(notMe);
      // A region page of the old scope is most likely outside the new one: go to the new region.
      if (location.pathname.startsWith('/regions')) navigate(`/regions/${next.assignment.regionCode}`);
      queryClient.setQueryData(ME_QUERY_KEY, next);
      message.success(t('header.switched', { scope: assignmentLabel(next.assignment, locale) }));
    },
    onError: (error) => message.error(error.message),
  });

  return (
    <Select
      className="gz-scope-switcher"
      data-testid="scope-switcher"
      aria-label={t('header.switchScope')}
      value={switchScope.isPending ? switchScope.variables : me.assignment.id}
      loading={switchScope.isPending}
      disabled={switchScope.isPending}
      onChange={(assignmentId) => {
        if (assignmentId !== me.assignment.id) switchScope.mutate(assignmentId);
      }}
      options={me.assignments.map((a) => ({ value: a.id, label: assignmentLabel(a, locale) }))}
      popupMatchSelectWidth={false}
    />
  );
}
