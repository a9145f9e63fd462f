import { createI18n } from 'vue-i18n'
import zhCN from './locales/zh-CN'
import en from './locales/en'

export type AppLocale = 'zh-CN' | 'en'
export const LOCALES: { value: AppLocale; label: string }[] = [
  { value: 'zh-CN', label: '简体中文' },
  { value: 'en', label: 'English' },
]

const LOCALE_KEY = 'kefu.locale'

export function normalizeLocale(lang: string | null | undefined): AppLocale {
  if (!lang) return 'zh-CN'
  return lang.toLowerCase().startsWith('en') ? 'en' : 'zh-CN'
}

function initialLocale(): AppLocale {
  try {
    const saved = localStorage.getItem(LOCALE_KEY)
    if (saved) return normalizeLocale(saved)
  } catch {
    /* ignore */
  }
  // Chinese is the default whatever the browser says; the user's setting wins after login.
  return 'zh-CN'
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
  missingWarn: false,
  fallbackWarn: false,
})

export function setLocale(lang: string): AppLocale {
  const loc = normalizeLocale(lang)
  i18n.global.locale.value = loc
  try {
    localStorage.setItem(LOCALE_KEY, loc)
  } catch {
    /* ignore */
  }
  if (typeof document !== 'undefined') document.documentElement.lang = loc
  return loc
}

export function currentLocale(): AppLocale {
  return i18n.global.locale.value as AppLocale
}

export const t = (key: string, args?: Record<string, unknown>): string =>
  args ? i18n.global.t(key, args) : i18n.global.t(key)
