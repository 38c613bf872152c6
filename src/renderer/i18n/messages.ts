/**
 * UI text: typed dictionaries per screen area, zh-CN first. `defineMessages` makes the English
 * side list exactly the Chinese keys, so nothing is left untranslated; `useMessages` picks the
 * current locale. No i18next.
 */
import { createContext, useCallback, useContext } from 'react';
import { t as serverT, type Locale, type MessageKey } from '../../shared/i18n';

export type Dict<K extends string> = Record<K, string>;
export interface MessageSet<K extends string> {
  'zh-CN': Dict<K>;
  en: Dict<K>;
}

export function defineMessages<const Z extends Record<string, string>>(
  zh: Z,
  en: Dict<keyof Z & string>,
): MessageSet<keyof Z & string> {
  return { 'zh-CN': zh, en };
}

export interface LocaleState {
  locale: Locale;
  setLocale(locale: Locale): void;
}

export const LocaleContext = createContext<LocaleState>({ locale: 'zh-CN', setLocale: () => undefined });

export function useLocale(): LocaleState {
  return useContext(LocaleContext);
}

function fill(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export type Translate<K extends string> = (key: K, params?: Record<string, string | number>) => string;

export function useMessages<K extends string>(set: MessageSet<K>): Translate<K> {
  const { locale } = useLocale();
  return useCallback(
    (key: K, params?: Record<string, string | number>) => fill(set[locale][key], params),
    [locale, set],
  );
}

/** The shared catalogue (roles, levels, movement types, field names) that the server also uses. */
export function useTerms(): (key: MessageKey, params?: Record<string, string | number>) => string {
  const { locale } = useLocale();
  return useCallback(
    (key: MessageKey, params?: Record<string, string | number>) => serverT(locale, key, params),
    [locale],
  );
}
