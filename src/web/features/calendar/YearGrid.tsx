import { useMemo } from 'react';
import { usePreferences } from '../../preferences.tsx';
import type { CalendarDay } from '../../types.ts';
import { daysInMonth, isoDate, isWeekend, mondayIndex } from './calendarDates.ts';

/** A year as 12 month grids, Monday first, with public holidays (休) and 调休 working weekends (班). */
export function YearGrid({ year, days, today }: { year: number; days: readonly CalendarDay[]; today: string }) {
  const { locale, t } = usePreferences();
  const byDate = useMemo(() => new Map(days.map((d) => [d.date, d])), [days]);
  const weekdays = t('cal.weekdays').split(',');
  const monthName = useMemo(() => new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' }), [locale]);

  return (
    <div className="gz-cal-months" data-testid="calendar-year" data-year={year}>
      {Array.from({ length: 12 }, (_, month) => {
        const first = isoDate(year, month, 1);
        const blanks = mondayIndex(first);
        const count = daysInMonth(year, month);
        const cells: (string | null)[] = [...Array<null>(blanks).fill(null), ...Array.from({ length: count }, (_, i) => isoDate(year, month, i + 1))];
        while (cells.length % 7 !== 0) cells.push(null);
        const weeks = Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
        const title = monthName.format(new Date(Date.UTC(year, month, 1)));
        return (
          <table key={month} className="gz-cal-month" data-testid={`calendar-month-${month + 1}`}>
            <caption>{title}</caption>
            <thead>
              <tr>
                {weekdays.map((w, i) => (
                  <th key={w} scope="col" className={i >= 5 ? 'gz-cal-weekend-head' : undefined}>
                    {w}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {weeks.map((week, w) => (
                <tr key={w}>
                  {week.map((date, i) => {
                    if (!date) return <td key={i} className="gz-cal-empty" />;
                    const special = byDate.get(date);
                    const kind = special?.kind ?? (isWeekend(date) ? 'weekend' : 'working');
                    const mark = special ? t(special.kind === 'holiday' ? 'cal.holiday' : 'cal.workday') : '';
                    const label = [date, special?.name, mark].filter(Boolean).join(' ');
                    return (
                      <td
                        key={date}
                        className={`gz-cal-day gz-cal-${kind}${date === today ? ' gz-cal-today' : ''}`}
                        data-date={date}
                        data-kind={kind}
                        title={label}
                        aria-label={label}
                      >
                        <span className="gz-cal-num">{Number(date.slice(8))}</span>
                        {mark && <span className="gz-cal-mark">{mark}</span>}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        );
      })}
    </div>
  );
}
