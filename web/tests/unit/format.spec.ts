import { describe, expect, it } from 'vitest'
import { formatDateTime, formatDuration, formatShort, isValidTimeZone, formatRelative } from '@/utils/format'
import { i18n, setLocale } from '@/i18n'

const t = (k: string, a?: Record<string, unknown>) => (a ? i18n.global.t(k, a) : i18n.global.t(k))

describe('format', () => {
  it('shows times in the user time zone', () => {
    expect(formatDateTime('2026-11-23T01:05:00Z', 'Asia/Shanghai')).toBe('2026-11-23 09:05')
    expect(formatDateTime('2026-11-23T01:05:00Z', 'UTC')).toBe('2026-11-23 01:05')
    expect(formatDateTime('2026-11-23T01:05:00Z', 'America/New_York')).toBe('2026-11-22 20:05')
    expect(formatDateTime(null, 'UTC')).toBe('')
    expect(formatDateTime('garbage', 'UTC')).toBe('')
  })

  it('short form drops the date for today', () => {
    const now = new Date('2026-11-23T10:00:00Z')
    expect(formatShort('2026-11-23T08:00:00Z', 'Asia/Shanghai', now)).toBe('16:00')
    expect(formatShort('2026-11-20T08:00:00Z', 'Asia/Shanghai', now)).toBe('11-20 16:00')
    expect(formatShort('2025-11-20T08:00:00Z', 'Asia/Shanghai', now)).toBe('2025-11-20')
  })

  it('validates time zones', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true)
    expect(isValidTimeZone('Mars/Olympus')).toBe(false)
    expect(isValidTimeZone('')).toBe(false)
  })

  it('formats durations in both languages', () => {
    setLocale('zh-CN')
    expect(formatDuration(45, t)).toBe('45 秒')
    expect(formatDuration(3 * 60 + 5, t)).toBe('3 分 5 秒')
    expect(formatDuration(2 * 3600 + 5 * 60, t)).toBe('2 小时 5 分钟')
    expect(formatDuration(3 * 86400 + 4 * 3600, t)).toBe('3 天 4 小时')
    setLocale('en')
    expect(formatDuration(2 * 3600 + 5 * 60, t)).toBe('2 h 5 min')
    setLocale('zh-CN')
  })

  it('relative times', () => {
    const now = new Date('2026-11-23T10:00:00Z')
    expect(formatRelative('2026-11-23T09:59:30Z', t, now)).toBe('刚刚')
    expect(formatRelative('2026-11-23T09:30:00Z', t, now)).toBe('30 分钟前')
  })
})

import { cleanTags } from '@/utils/format'
describe('tags', () => {
  it('are cleaned the way the API wants them', () => {
    expect(cleanTags([' 退款 ', 'a,b', '退款', '', 'x'.repeat(60)])).toEqual(['退款', 'a b', 'x'.repeat(50)])
  })
})
