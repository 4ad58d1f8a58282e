import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { CalendarDayKind } from './deadline.ts';

/**
 * Mainland China's public holidays and adjusted working days (调休) as published by the State
 * Council, from the npm package `chinese-days` (its bundled `dist/chinese-days.json`). The
 * package holds the years up to the last schedule published when it was released; later years
 * are entered by administrators.
 */

export interface ScheduleDay {
  date: string;
  kind: CalendarDayKind;
  name: string | null;
}

export interface BundledSchedule {
  /** e.g. chinese-days@1.5.7 */
  source: string;
  /** Each covered year with its holidays and 调休 working days, by date. */
  years: Map<number, ScheduleDay[]>;
}

interface ChineseDaysFile {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

const packages = createRequire(import.meta.url);

function readPackageFile(specifier: string): unknown {
  return JSON.parse(readFileSync(packages.resolve(specifier), 'utf8'));
}

function isEntries(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');
}

/** "National Day,国庆节,3" → 国庆节 (English name, Chinese name, length in days). */
function chineseName(value: string): string | null {
  const name = value.split(',')[1]?.trim();
  return name ? name.slice(0, 50) : null;
}

export function loadBundledSchedule(): BundledSchedule {
  const { version } = readPackageFile('chinese-days/package.json') as { version: string };
  const file = readPackageFile('chinese-days/dist/chinese-days.json') as Partial<ChineseDaysFile>;
  if (!isEntries(file.holidays) || !isEntries(file.workdays)) throw new Error(`chinese-days@${version}: unexpected data layout`);
  const years = new Map<number, ScheduleDay[]>();
  const add = (date: string, kind: CalendarDayKind, value: string) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error(`chinese-days@${version}: bad date ${date}`);
    const year = Number(date.slice(0, 4));
    const list = years.get(year) ?? [];
    list.push({ date, kind, name: chineseName(value) });
    years.set(year, list);
  };
  for (const [date, value] of Object.entries(file.holidays)) add(date, 'holiday', value);
  for (const [date, value] of Object.entries(file.workdays)) add(date, 'workday', value);
  for (const list of years.values()) list.sort((a, b) => a.date.localeCompare(b.date));
  return { source: `chinese-days@${version}`, years };
}
