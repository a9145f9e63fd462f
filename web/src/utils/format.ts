// Formatting of dates, times and durations in the user's time zone and language.

export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
  } catch {
    return 'UTC'
  }
}

export function isValidTimeZone(tz: string | null | undefined): boolean {
  if (!tz) return false
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz })
    return true
  } catch {
    return false
  }
}

export function allTimeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] }
  const list = intl.supportedValuesOf ? intl.supportedValuesOf('timeZone') : []
  const base = ['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Singapore', 'Asia/Bangkok', 'Asia/Jakarta', 'Asia/Kuala_Lumpur', 'Asia/Ho_Chi_Minh', 'UTC']
  const set = new Set<string>([...base, ...list])
  return [...set]
}

const fmtCache = new Map<string, Intl.DateTimeFormat>()

function formatter(locale: string, tz: string, opts: Intl.DateTimeFormatOptions, key: string): Intl.DateTimeFormat {
  const k = `${locale}|${tz}|${key}`
  let f = fmtCache.get(k)
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale, { ...opts, timeZone: tz })
    } catch {
      f = new Intl.DateTimeFormat(locale, { ...opts, timeZone: 'UTC' })
    }
    fmtCache.set(k, f)
  }
  return f
}

export function parseTime(value: string | number | Date | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null
  const d = value instanceof Date ? value : new Date(value)
  return isNaN(d.getTime()) ? null : d
}

/** "2026-11-23 17:05" in the given zone (24-hour clock, both languages). */
export function formatDateTime(value: string | Date | null | undefined, tz: string, locale = 'zh-CN'): string {
  const d = parseTime(value)
  if (!d) return ''
  const parts = formatter(locale === 'en' ? 'en-CA' : 'zh-CN', tz, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }, 'dt').formatToParts(d)
  const get = (t: string) => parts.find((p) => p.type === t)?.value || ''
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`
}

/** Short form: time only when today (in the zone), else month-day and time. */
export function formatShort(value: string | Date | null | undefined, tz: string, now: Date = new Date()): string {
  const d = parseTime(value)
  if (!d) return ''
  const full = formatDateTime(d, tz)
  const today = formatDateTime(now, tz)
  if (full.slice(0, 10) === today.slice(0, 10)) return full.slice(11)
  if (full.slice(0, 4) === today.slice(0, 4)) return full.slice(5)
  return full.slice(0, 10)
}

export function formatTimeOnly(value: Date, tz: string): string {
  return formatDateTime(value, tz).slice(11)
}

type Translate = (key: string, args?: Record<string, unknown>) => string

/** Human duration from seconds, e.g. "2 小时 5 分钟". */
export function formatDuration(seconds: number, t: Translate): string {
  const s = Math.max(0, Math.floor(seconds))
  if (s < 60) return t('time.duration.s', { s })
  const m = Math.floor(s / 60)
  if (m < 60) {
    const rest = s % 60
    return rest && m < 10 ? t('time.duration.ms', { m, s: rest }) : t('time.duration.m', { m })
  }
  const h = Math.floor(m / 60)
  if (h < 24) return t('time.duration.hm', { h, m: m % 60 })
  return t('time.duration.dh', { d: Math.floor(h / 24), h: h % 24 })
}

export function formatRelative(value: string | Date | null | undefined, t: Translate, now: Date = new Date()): string {
  const d = parseTime(value)
  if (!d) return ''
  const diff = Math.floor((now.getTime() - d.getTime()) / 1000)
  if (diff < 60) return t('time.justNow')
  const m = Math.floor(diff / 60)
  if (m < 60) return t('time.minutesAgo', { n: m })
  const h = Math.floor(m / 60)
  if (h < 48) return t('time.hoursAgo', { n: h })
  return t('time.daysAgo', { n: Math.floor(h / 24) })
}

export function secondsSince(value: string | Date | null | undefined, now: Date = new Date()): number {
  const d = parseTime(value)
  return d ? Math.max(0, (now.getTime() - d.getTime()) / 1000) : 0
}

/** Tags as the API takes them: trimmed, no commas, at most 50 characters, 20 tags. */
export function cleanTags(tags: unknown[]): string[] {
  const out: string[] = []
  for (const t of tags) {
    const v = String(t).replace(/[,，]/g, ' ').trim().slice(0, 50)
    if (v && !out.includes(v)) out.push(v)
  }
  return out.slice(0, 20)
}
