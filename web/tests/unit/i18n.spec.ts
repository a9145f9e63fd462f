import { describe, expect, it } from 'vitest'
import zh from '@/i18n/locales/zh-CN'
import en from '@/i18n/locales/en'
import { i18n, normalizeLocale, setLocale } from '@/i18n'

function keys(o: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]))
}

function placeholders(s: string): string[] {
  return [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
}

describe('i18n', () => {
  it('zh-CN is the default language', () => {
    expect(i18n.global.fallbackLocale.value).toBe('zh-CN')
    expect(normalizeLocale(undefined)).toBe('zh-CN')
    expect(normalizeLocale('en-US')).toBe('en')
    expect(normalizeLocale('zh')).toBe('zh-CN')
  })

  it('English has exactly the keys of Chinese, with the same placeholders', () => {
    const zk = keys(zh)
    const ek = keys(en as unknown as Record<string, unknown>)
    expect(ek.sort()).toEqual(zk.sort())
    const get = (o: unknown, path: string) => path.split('.').reduce((a: unknown, k) => (a as Record<string, unknown>)[k], o) as string
    for (const k of zk) {
      expect(placeholders(get(en, k)), k).toEqual(placeholders(get(zh, k)))
      expect(get(zh, k).length, k).toBeGreaterThan(0)
    }
  })

  it('no message uses characters vue-i18n would parse as syntax', () => {
    for (const [name, msgs] of [['zh', zh], ['en', en]] as const) {
      for (const k of keys(msgs as unknown as Record<string, unknown>)) {
        const v = k.split('.').reduce((a: unknown, p) => (a as Record<string, unknown>)[p], msgs) as string
        expect(/[|@]/.test(v), `${name}:${k}`).toBe(false)
      }
    }
  })

  it('switches language', () => {
    setLocale('en')
    expect(i18n.global.t('nav.workspace')).toBe('Workspace')
    setLocale('zh-CN')
    expect(i18n.global.t('nav.workspace')).toBe('工作台')
    expect(i18n.global.t('login.rateLimited', { seconds: 30 })).toBe('登录尝试次数过多，请在 30 秒后重试')
  })
})
