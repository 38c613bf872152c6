/**
 * Typed message catalogues, zh-CN first. `t()` fills `{name}` placeholders.
 * No i18next: two flat dictionaries whose keys the compiler checks.
 */
import { zhCN } from './zh-CN';
import { en } from './en';

export type MessageKey = keyof typeof zhCN;
export type Messages = Record<MessageKey, string>;
export type Locale = 'zh-CN' | 'en';

export const DEFAULT_LOCALE: Locale = 'zh-CN';
const catalogues: Record<Locale, Messages> = { 'zh-CN': zhCN, en };

/** Accepts what browsers send ('en-US', 'zh') and falls back to zh-CN. */
export function resolveLocale(requested: string | undefined | null): Locale {
  return requested?.toLowerCase().startsWith('en') ? 'en' : DEFAULT_LOCALE;
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(zhCN, key);
}

export function t(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  return catalogues[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? formatParam(locale, params[name]!) : whole,
  );
}

function formatParam(locale: Locale, value: string | number): string {
  return typeof value === 'number' ? value.toLocaleString(locale === 'en' ? 'en-US' : 'zh-CN') : value;
}
