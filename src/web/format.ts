import type { Locale } from '../shared/i18n/locale.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Shanghai date and time, e.g. 2025/11/30 14:03:27 or 11/30/2025, 2:03:27 PM. */
export function formatDateTime(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let formatter = formatters.get(locale);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hour12: locale !== 'zh-CN',
      // the platform serves Shanghai: times read the same on every screen, wherever the browser is set
      timeZone: 'Asia/Shanghai',
    });
    formatters.set(locale, formatter);
  }
  return formatter.format(date);
}
