// How an SLA clock looks at an instant: time left or overdue, counted down
// in the browser from the clock the server computed (docs/sla.md). A running
// clock counts down to its `due_at`; a paused one shows the time it will have
// when it resumes (`left_seconds`, frozen); a late one counts up from its due
// time; finished ones show their outcome. Pure: `now` is passed in.
import type { SlaClock, SlaMetric, SlaSummary } from '@/api/types'

export type ClockStatus = 'running' | 'paused' | 'breached' | 'met' | 'met_late' | 'stopped'
/** ok: green, warning: amber (a warning percent reached), danger: red (late), muted: grey. */
export type ClockTone = 'ok' | 'warning' | 'danger' | 'muted'

export interface ClockView {
  status: ClockStatus
  tone: ClockTone
  /** Whole seconds left, or overdue when `overdue`; null for finished clocks or when there is no due time. */
  seconds: number | null
  overdue: boolean
  /** The highest warning percent reached by `now`, or null. */
  warned: number | null
}

function ms(value: string | null | undefined): number | null {
  if (!value) return null
  const t = Date.parse(value)
  return Number.isNaN(t) ? null : t
}

/** The highest warning percent whose instant has come. */
export function warnedPercent(c: SlaClock, now: number): number | null {
  let best: number | null = null
  for (const w of c.warnings || []) {
    const at = ms(w.at)
    if (at !== null && at <= now && (best === null || w.percent > best)) best = w.percent
  }
  return best
}

export function clockView(c: SlaClock, now: number): ClockView {
  if (c.state === 'met') {
    return { status: c.breached ? 'met_late' : 'met', tone: c.breached ? 'danger' : 'ok', seconds: null, overdue: false, warned: null }
  }
  if (c.state === 'stopped') return { status: 'stopped', tone: 'muted', seconds: null, overdue: false, warned: null }
  const warned = warnedPercent(c, now)
  const due = ms(c.due_at)
  if (c.state === 'paused') {
    const left = c.left_seconds
    const late = c.breached || left < 0
    return { status: 'paused', tone: late ? 'danger' : warned !== null ? 'warning' : 'muted', seconds: Math.abs(left), overdue: late, warned }
  }
  // running or breached (a breached clock may also be paused: it has no due time then)
  if (due !== null && due >= now && c.state !== 'breached') {
    return { status: 'running', tone: warned !== null ? 'warning' : 'ok', seconds: Math.ceil((due - now) / 1000), overdue: false, warned }
  }
  const since = due ?? ms(c.breached_at)
  if (since === null && c.state === 'running') {
    // never due (a calendar without hours): show the business time left
    return { status: 'running', tone: warned !== null ? 'warning' : 'ok', seconds: null, overdue: false, warned }
  }
  const overdue = since !== null ? Math.max(0, Math.floor((now - since) / 1000)) : Math.max(0, -c.left_seconds)
  return { status: 'breached', tone: 'danger', seconds: overdue, overdue: true, warned }
}

/** "0:04:05", "12:00:00", or with days "2d 03:04:05" (the day label from `days`). */
export function formatCountdown(seconds: number, days: (d: number) => string = (d) => `${d}d`): string {
  const s = Math.max(0, Math.floor(seconds))
  const d = Math.floor(s / 86400)
  const h = Math.floor((s % 86400) / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = s % 60
  const two = (n: number) => String(n).padStart(2, '0')
  const hms = `${d ? two(h) : h}:${two(m)}:${two(sec)}`
  return d ? `${days(d)} ${hms}` : hms
}

/** The clock whose state matters most: a late one, else the one due first. */
export function mostUrgent(clocks: SlaClock[], now: number): SlaClock | null {
  let best: SlaClock | null = null
  let bestKey = Infinity
  for (const c of clocks) {
    const v = clockView(c, now)
    if (v.status !== 'running' && v.status !== 'breached') continue
    const key = v.overdue ? -1e12 - (v.seconds ?? 0) : v.seconds ?? 1e12
    if (key < bestKey) {
      best = c
      bestKey = key
    }
  }
  return best
}

/** A clock's name: 首次响应, or 部门协办 #12 for a hand-off; `t` is vue-i18n's. */
export function clockLabel(t: (key: string, values?: Record<string, unknown>) => string, metric: SlaMetric, ref: number | null | undefined): string {
  const name = t(`sla.metrics.${metric}`)
  return ref ? `${name} ${t('sla.handoffRef', { id: ref })}` : name
}

/**
 * The one clock a list summary stands for, in the shape `clockView` reads, so
 * that the list counts down and changes colour exactly like the complaint's
 * SLA panel: the late clock if there is one (counting up from its breach),
 * else the running clock due first, amber from the first warning instant and
 * red once its due time has passed. Null when there is nothing to show.
 */
export function summaryClock(s: SlaSummary | null | undefined): SlaClock | null {
  if (!s) return null
  const base = { business: false, started_at: null, met_at: null, stopped_at: null, target_seconds: 0, used_seconds: 0, left_seconds: 0, instance: 1, breaches: 0 }
  if (s.breached && s.breached_metric) {
    return { ...base, metric: s.breached_metric, ref: s.breached_ref, state: 'breached', breached: true, due_at: null, breached_at: s.breached_at, breaches: 1, warnings: [] }
  }
  if (!s.next_metric || !s.next_due_at) return null
  // The summary has the instant of the first warning, not its percent: 0 stands for "a warning".
  const warnings = s.warning_at ? [{ percent: 0, at: s.warning_at }] : []
  return { ...base, metric: s.next_metric, ref: s.next_ref, state: 'running', breached: false, due_at: s.next_due_at, breached_at: null, warnings }
}
