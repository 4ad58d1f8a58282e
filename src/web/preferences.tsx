import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn.js';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { DEFAULT_LOCALE, LOCALES, type Locale } from '../shared/i18n/locale.ts';
import { translate, type UiKey, type UiParams } from '../shared/i18n/ui.ts';
import { setApiLocale } from './api.ts';

/** Display preferences kept in this browser: language and the elder-mode settings. */
export const FONT_SIZES = ['standard', 'large', 'xlarge'] as const;
export type FontSize = (typeof FONT_SIZES)[number];

export interface Preferences {
  locale: Locale;
  fontSize: FontSize;
  highContrast: boolean;
}

const STORAGE_KEY = 'gongzhi.preferences';
const DEFAULTS: Preferences = { locale: DEFAULT_LOCALE, fontSize: 'standard', highContrast: false };

function load(): Preferences {
  try {
    const raw: unknown = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (typeof raw !== 'object' || raw === null) return DEFAULTS;
    const value = raw as Partial<Record<keyof Preferences, unknown>>;
    return {
      locale: (LOCALES as readonly unknown[]).includes(value.locale) ? (value.locale as Locale) : DEFAULTS.locale,
      fontSize: (FONT_SIZES as readonly unknown[]).includes(value.fontSize) ? (value.fontSize as FontSize) : DEFAULTS.fontSize,
      highContrast: value.highContrast === true,
    };
  } catch {
    return DEFAULTS;
  }
}

function save(preferences: Preferences): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(preferences));
  } catch {
    // Private mode or full storage: the choice lasts for this page only.
  }
}

/** Applies what lives outside React: the API language, <html lang>, body classes, dayjs locale. */
function applyToDocument(preferences: Preferences): void {
  setApiLocale(preferences.locale);
  dayjs.locale(preferences.locale === 'zh-CN' ? 'zh-cn' : 'en');
  document.documentElement.lang = preferences.locale;
  const body = document.body.classList;
  for (const size of FONT_SIZES) body.toggle(`gz-font-${size}`, preferences.fontSize === size);
  body.toggle('gz-high-contrast', preferences.highContrast);
  body.toggle('gz-elder', preferences.fontSize !== 'standard' || preferences.highContrast);
}

export type Translate = (key: UiKey, params?: UiParams) => string;

interface PreferencesContextValue extends Preferences {
  update(patch: Partial<Preferences>): void;
  t: Translate;
  /** Picks this language's text from a `{ 'zh-CN', en }` label (roles, levels, kinds). */
  pick(label: Record<Locale, string>): string;
}

const PreferencesContext = createContext<PreferencesContextValue | null>(null);

export function PreferencesProvider({ children }: { children: ReactNode }) {
  const [preferences, setPreferences] = useState<Preferences>(() => {
    const initial = load();
    applyToDocument(initial);
    return initial;
  });

  useEffect(() => {
    applyToDocument(preferences);
    save(preferences);
  }, [preferences]);

  const update = useCallback((patch: Partial<Preferences>) => setPreferences((current) => ({ ...current, ...patch })), []);

  const value = useMemo<PreferencesContextValue>(() => {
    const { locale } = preferences;
    return {
      ...preferences,
      update,
      t: (key, params) => translate(locale, key, params),
      pick: (label) => label[locale],
    };
  }, [preferences, update]);

  return <PreferencesContext.Provider value={value}>{children}</PreferencesContext.Provider>;
}

export function usePreferences(): PreferencesContextValue {
  const value = useContext(PreferencesContext);
  if (!value) throw new Error('usePreferences outside <PreferencesProvider>');
  return value;
}

/** The translate function of the current UI language. */
export function useT(): Translate {
  return usePreferences().t;
}
