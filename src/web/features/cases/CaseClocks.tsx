import { Flex, Progress, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { CASE_STAGE_LABELS, type CaseStage } from '../../../shared/cases.ts';
import type { Locale } from '../../../shared/i18n/locale.ts';
import { formatDateTime } from '../../format.ts';
import { usePreferences, type Translate } from '../../preferences.tsx';
import type { CaseClock } from '../../types.ts';

const MINUTE = 60_000;

/** The current time, refreshed every half minute, so countdowns move while the page is open. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** "2天3小时", "45分钟": the two largest units are enough to act on. */
export function formatSpan(ms: number, t: Translate): string {
  const minutes = Math.max(1, Math.round(Math.abs(ms) / MINUTE));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts = [days ? t('clock.days', { n: days }) : '', hours ? t('clock.hours', { n: hours }) : '', !days && rest ? t('clock.minutes', { n: rest }) : ''];
  return parts.filter(Boolean).slice(0, 2).join(' ');
}

export function clockName(clock: CaseClock, locale: Locale, t: Translate): string {
  return clock.kind === 'handling' ? t('clock.handling') : t('clock.stage', { stage: CASE_STAGE_LABELS[clock.stage as CaseStage][locale] });
}

type Tone = 'ok' | 'warned' | 'overdue' | 'paused';

function toneOf(clock: CaseClock, now: number): Tone {
  if (clock.pausedAt) return 'paused';
  const due = Date.parse(clock.dueAt);
  if (due <= now) return 'overdue';
  return Date.parse(clock.warnAt) <= now ? 'warned' : 'ok';
}

const TAG_COLOR: Record<Tone, string> = { ok: 'green', warned: 'orange', overdue: 'red', paused: 'default' };

/** The most pressing running clock of a case, as one tag: what the board sorts and colours by. */
export function NextDeadline({ clocks }: { clocks: readonly CaseClock[] }) {
  const { locale, t } = usePreferences();
  const now = useNow();
  const running = clocks.filter((c) => !c.pausedAt).sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
  const clock = running[0];
  if (!clock) return <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  const tone = toneOf(clock, now);
  const left = Date.parse(clock.dueAt) - now;
  return (
    <Tooltip title={`${clockName(clock, locale, t)} · ${formatDateTime(clock.dueAt, locale)}`}>
      <Tag color={TAG_COLOR[tone]} data-testid="next-deadline" data-tone={tone} style={{ whiteSpace: 'normal' }}>
        {tone === 'overdue' ? t('clock.overdueBy', { time: formatSpan(left, t) }) : t('clock.remaining', { time: formatSpan(left, t) })}
        {clock.escalated ? ` · ${t('clock.escalated')}` : ''}
      </Tag>
    </Tooltip>
  );
}

/** Every running clock of a case with how much of it is used. */
export function ClockList({ clocks }: { clocks: readonly CaseClock[] }) {
  const { locale, t } = usePreferences();
  const now = useNow();
  if (clocks.length === 0) return <Typography.Text type="secondary">{t('clock.none')}</Typography.Text>;
  return (
    <Flex vertical gap="middle" data-testid="case-clocks">
      {clocks.map((clock) => {
        const tone = toneOf(clock, now);
        const start = Date.parse(clock.startedAt);
        const due = Date.parse(clock.dueAt);
        const at = clock.pausedAt ? Date.parse(clock.pausedAt) : now;
        // elapsed wall time is only an approximation of a working-time clock; the colour comes from the server's instants
        const used = Math.round(Math.min(1, Math.max(0, (at - start) / Math.max(1, due - start))) * 100);
        const left = due - at;
        return (
          <div key={clock.kind} data-testid={`clock-${clock.kind}`} data-tone={tone}>
            <Flex justify="space-between" wrap gap="small">
              <Typography.Text strong>{clockName(clock, locale, t)}</Typography.Text>
              <span>
                {formatDateTime(clock.dueAt, locale)}{' '}
                <Tag color={TAG_COLOR[tone]}>
                  {tone === 'paused' ? t('clock.paused') : tone === 'overdue' ? t('clock.overdueBy', { time: formatSpan(left, t) }) : t('clock.remaining', { time: formatSpan(left, t) })}
                </Tag>
                {clock.warned && tone !== 'overdue' && <Tag color="orange">{t('clock.warned')}</Tag>}
                {clock.escalated && <Tag color="volcano">{t('clock.escalated')}</Tag>}
              </span>
            </Flex>
            <Progress percent={tone === 'overdue' ? 100 : used} showInfo={false} status={tone === 'overdue' ? 'exception' : tone === 'warned' ? 'active' : 'normal'} strokeColor={tone === 'warned' ? '#d46b08' : undefined} />
            {clock.provisional && <Typography.Text type="secondary">{t('clock.provisional')}</Typography.Text>}
          </div>
        );
      })}
    </Flex>
  );
}
