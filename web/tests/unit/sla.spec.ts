import { afterEach, describe, expect, it, vi } from 'vitest'
import SlaPanel from '@/components/sla/SlaPanel.vue'
import SlaIndicator from '@/components/sla/SlaIndicator.vue'
import TicketList from '@/components/TicketList.vue'
import PolicyEditor from '@/components/sla/PolicyEditor.vue'
import { clockView, formatCountdown, mostUrgent, summaryClock, warnedPercent } from '@/utils/slaClock'
import { formToPolicy, policyErrorTarget, policySaveErrors, policyToForm } from '@/utils/policyForm'
import { calendarErrorTarget, calendarToForm, formToCalendar } from '@/utils/calendarForm'
import { ApiError } from '@/api/client'
import { errorMessage } from '@/utils/errors'
import { setLocale } from '@/i18n'
import type { SlaClock, SlaPolicy, SlaSummary, Ticket, TicketDetail } from '@/api/types'
import { useQueueStore } from '@/stores/queue'
import { flush, freshPinia, mockFetch, mountApp } from './helpers'

afterEach(() => {
  vi.unstubAllGlobals()
  vi.useRealTimers()
  setLocale('zh-CN')
})

const T0 = Date.parse('2026-11-23T02:00:00Z')
const iso = (ms: number) => new Date(ms).toISOString()

function clock(over: Partial<SlaClock> = {}): SlaClock {
  return {
    metric: 'first_response',
    ref: null,
    state: 'running',
    business: true,
    breached: false,
    started_at: iso(T0 - 600_000),
    due_at: iso(T0 + 1_200_000), // 20 minutes after T0
    breached_at: null,
    met_at: null,
    stopped_at: null,
    target_seconds: 1800,
    used_seconds: 600,
    left_seconds: 1200,
    instance: 1,
    breaches: 0,
    warnings: [
      { percent: 75, at: iso(T0 + 750_000) },
      { percent: 90, at: iso(T0 + 1_020_000) },
    ],
    ...over,
  }
}

describe('SLA countdown', () => {
  it('formats time left as h:mm:ss, with days', () => {
    expect(formatCountdown(0)).toBe('0:00:00')
    expect(formatCountdown(65)).toBe('0:01:05')
    expect(formatCountdown(3600 * 12)).toBe('12:00:00')
    expect(formatCountdown(86400 * 2 + 3 * 3600 + 4 * 60 + 5, (d) => `${d}天`)).toBe('2天 03:04:05')
    expect(formatCountdown(-5)).toBe('0:00:00')
  })

  it('counts a running clock down to its due time, green, then amber from the first warning', () => {
    const c = clock()
    expect(clockView(c, T0)).toEqual({ status: 'running', tone: 'ok', seconds: 1200, overdue: false, warned: null })
    expect(clockView(c, T0 + 1_000).seconds).toBe(1199)
    expect(clockView(c, T0 + 749_999).tone).toBe('ok')
    const at75 = clockView(c, T0 + 750_000)
    expect(at75.tone).toBe('warning')
    expect(at75.warned).toBe(75)
    expect(warnedPercent(c, T0 + 1_100_000)).toBe(90)
  })

  it('turns red and counts up once the due time has passed, or when the server says breached', () => {
    const c = clock()
    expect(clockView(c, T0 + 1_200_000).overdue).toBe(false) // exactly at the due instant: in time
    const late = clockView(c, T0 + 1_265_000)
    expect(late).toMatchObject({ status: 'breached', tone: 'danger', overdue: true, seconds: 65 })
    const b = clockView(clock({ state: 'breached', breached: true, breached_at: iso(T0 + 1_200_001) }), T0 + 1_500_000)
    expect(b).toMatchObject({ status: 'breached', tone: 'danger', overdue: true, seconds: 300 })
  })

  it('shows a paused clock frozen at its time left', () => {
    const c = clock({ state: 'paused', due_at: null, left_seconds: 900, warnings: [{ percent: 75, at: null }] })
    const a = clockView(c, T0)
    const b = clockView(c, T0 + 3_600_000)
    expect(a).toEqual(b)
    expect(a).toMatchObject({ status: 'paused', tone: 'muted', seconds: 900, overdue: false })
    const warned = clockView(clock({ state: 'paused', due_at: null, left_seconds: 100, warnings: [{ percent: 75, at: iso(T0 - 1) }] }), T0)
    expect(warned.tone).toBe('warning')
  })

  it('shows met, met late (breached then met) and stopped', () => {
    expect(clockView(clock({ state: 'met', met_at: iso(T0) }), T0)).toMatchObject({ status: 'met', tone: 'ok', seconds: null })
    expect(clockView(clock({ state: 'met', breached: true, met_at: iso(T0) }), T0)).toMatchObject({ status: 'met_late', tone: 'danger' })
    expect(clockView(clock({ state: 'stopped' }), T0)).toMatchObject({ status: 'stopped', tone: 'muted' })
  })

  it('picks the most urgent clock: a late one, else the one due first', () => {
    const soon = clock({ metric: 'resolution', due_at: iso(T0 + 60_000) })
    const later = clock({ metric: 'first_response' })
    expect(mostUrgent([later, soon], T0)?.metric).toBe('resolution')
    const late = clock({ metric: 'handoff', state: 'breached', breached: true, due_at: iso(T0 - 1000) })
    expect(mostUrgent([later, soon, late], T0)?.metric).toBe('handoff')
    expect(mostUrgent([clock({ state: 'met' })], T0)).toBeNull()
  })

  it('the panel ticks every second and labels the clocks in Chinese', async () => {
    vi.useFakeTimers({ now: T0, toFake: ['setInterval', 'clearInterval', 'Date'] })
    const sla = {
      policy: { id: 3, version: 2, name: '邮件 5 分钟' },
      calendar: 'cn-2026',
      clocks: [clock(), clock({ metric: 'resolution', state: 'paused', due_at: null, left_seconds: 3600 }), clock({ metric: 'handoff', ref: 7, state: 'met', breached: true, met_at: iso(T0) })],
    }
    const w = mountApp(SlaPanel, { props: { sla } })
    await flush()
    const texts = () => w.findAll('[data-test="sla-clock-text"]').map((x) => x.text())
    expect(w.text()).toContain('首次响应')
    expect(w.text()).toContain('部门协办 #7')
    expect(w.find('[data-test="sla-policy"]').text()).toBe('邮件 5 分钟 · v2')
    expect(texts()).toEqual(['剩余 0:20:00', '已暂停 · 剩余 1:00:00', '超时后达成'])
    vi.advanceTimersByTime(3000)
    await flush()
    expect(texts()).toEqual(['剩余 0:19:57', '已暂停 · 剩余 1:00:00', '超时后达成'])
    vi.advanceTimersByTime(1_300_000)
    await flush()
    expect(w.find('[data-test="sla-clock-text"]').attributes('data-tone')).toBe('danger')
    w.unmount()
  }, 30000)
})

function summary(over: Partial<SlaSummary> = {}): SlaSummary {
  return {
    next_metric: 'first_response',
    next_ref: null,
    next_due_at: iso(T0 + 1_200_000), // 20 minutes after T0
    warning: false,
    warning_at: iso(T0 + 750_000), // 75 % of a 30-minute target that started 10 minutes before T0
    breached: false,
    breached_metric: null,
    breached_ref: null,
    breached_at: null,
    ...over,
  }
}

describe('SLA indicator of a list row', () => {
  it('stands for the running clock due first: green, amber from the warning, red once due', () => {
    const c = summaryClock(summary())!
    expect(c.metric).toBe('first_response')
    expect(clockView(c, T0)).toMatchObject({ status: 'running', tone: 'ok', seconds: 1200 })
    expect(clockView(c, T0 + 750_000)).toMatchObject({ status: 'running', tone: 'warning', seconds: 450 })
    expect(clockView(c, T0 + 1_200_000)).toMatchObject({ tone: 'warning', seconds: 0 })
    expect(clockView(c, T0 + 1_205_000)).toMatchObject({ status: 'breached', tone: 'danger', seconds: 5, overdue: true })
    // no warning instant (a policy without warnings): green until due
    expect(clockView(summaryClock(summary({ warning_at: null }))!, T0 + 1_100_000).tone).toBe('ok')
  })

  it('stands for the late clock when one is late, counting up from its breach', () => {
    const late = summaryClock(summary({ breached: true, breached_metric: 'handoff', breached_ref: 4, breached_at: iso(T0 - 60_000) }))!
    expect(late).toMatchObject({ metric: 'handoff', ref: 4, state: 'breached' })
    expect(clockView(late, T0)).toMatchObject({ status: 'breached', tone: 'danger', seconds: 60, overdue: true })
  })

  it('shows nothing without a summary or a running clock', () => {
    expect(summaryClock(null)).toBeNull()
    expect(summaryClock(undefined)).toBeNull()
    expect(summaryClock(summary({ next_metric: null, next_due_at: null, warning_at: null }))).toBeNull()
  })

  it('counts down every second, turns amber then red, and names the clock in its tooltip', async () => {
    vi.useFakeTimers({ now: T0, toFake: ['setInterval', 'clearInterval', 'Date'] })
    const w = mountApp(SlaIndicator, { props: { summary: summary() } })
    await flush()
    const el = () => w.find('[data-test="sla-indicator"]')
    const text = () => w.find('[data-test="sla-clock-text"]')
    expect(el().attributes('data-metric')).toBe('first_response')
    expect(el().attributes('title')).toContain('首次响应')
    expect(el().attributes('title')).toContain('到期')
    expect(text().text()).toBe('剩余 0:20:00')
    expect(text().attributes('data-tone')).toBe('ok')
    vi.advanceTimersByTime(750_000)
    await flush()
    expect(text().text()).toBe('剩余 0:07:30')
    expect(text().attributes('data-tone')).toBe('warning')
    vi.advanceTimersByTime(460_000)
    await flush()
    expect(text().text()).toBe('超时 0:00:10')
    expect(text().attributes('data-tone')).toBe('danger')
    setLocale('en')
    await w.setProps({ summary: summary({ breached: true, breached_metric: 'resolution', breached_at: iso(T0) }) })
    expect(el().attributes('title')).toMatch(/^Resolution · late since /)
    w.unmount()
  }, 30000)

  it('the workspace list shows it per row from the list items, without a request per row', () => {
    const { calls } = mockFetch(() => undefined)
    const row = (id: number, over: Partial<Ticket> = {}): Ticket => ({
      id,
      number: `N${id}`,
      subject: `投诉 ${id}`,
      channel: 'phone',
      state: 'open',
      created_at: '2026-11-23T00:00:00Z',
      updated_at: '2026-11-23T00:00:00Z',
      ...over,
    })
    const items = [
      row(1, { sla_summary: summary() }),
      row(2, { sla_summary: summary({ next_metric: 'resolution', next_due_at: iso(Date.now() + 3_600_000), warning_at: iso(Date.now() - 1000), warning: true }) }),
      row(3, { sla_summary: summary({ breached: true, breached_metric: 'next_response', breached_at: iso(Date.now() - 1000) }) }),
      row(4, { sla_summary: null }),
    ]
    const w = mountApp(TicketList, { props: { items, columns: ['number', 'sla', 'subject'] } })
    const marks = w.findAll('[data-test="sla-indicator"]')
    expect(marks.map((m) => m.attributes('data-metric'))).toEqual(['first_response', 'resolution', 'next_response'])
    const tones = w.findAll('[data-test="sla-clock-text"]').map((x) => x.attributes('data-tone'))
    expect(tones.slice(1)).toEqual(['warning', 'danger'])
    expect(w.find('.row.head').text()).toContain('时限')
    expect(calls.length).toBe(0)
    w.unmount()
  })

  it('a complaint read in full updates its row with the summary of its clocks', () => {
    freshPinia()
    const queue = useQueueStore()
    queue.items = [{ id: 9, number: 'N9', subject: 's', channel: 'web', state: 'open', created_at: iso(T0), updated_at: iso(T0), sla_summary: summary() }]
    const later = summary({ next_metric: 'resolution' })
    queue.upsert({ ...queue.items[0], state: 'pending_customer', sla: { clocks: [], summary: later } } as TicketDetail)
    expect(queue.items[0].sla_summary).toEqual(later)
    expect(queue.items[0].state).toBe('pending_customer')
    expect('sla' in queue.items[0]).toBe(false)
    queue.upsert({ ...queue.items[0], subject: 't' })
    expect(queue.items[0].sla_summary).toEqual(later)
  })
})

const policy: SlaPolicy = {
  id: 5,
  name: '邮件',
  position: 10,
  enabled: true,
  version: 1,
  when: { all: [{ field: 'channel', op: 'eq', value: 'email' }] },
  targets: { first_response: { minutes: 5, business: false } },
  escalation: [{ on: 'breach', after_minutes: 30, notify: ['supervisor'], reassign: true }],
}

describe('SLA policy form', () => {
  it('round-trips a policy through the form', () => {
    const f = policyToForm(policy)
    expect(f.whenMode).toBe('form')
    expect(f.targets.find((t) => t.metric === 'first_response')).toMatchObject({ on: true, minutes: 5, business: false })
    expect(f.targets.find((t) => t.metric === 'resolution')?.on).toBe(false)
    const body = formToPolicy(f)
    expect(body).toMatchObject({ name: '邮件', when: policy.when, calendar: null, targets: policy.targets, warnings: [75, 90] })
    expect(body.escalation).toEqual([{ on: 'breach', after_minutes: 30, notify: ['supervisor'], reassign: true }])
    expect(formToPolicy(policyToForm({ ...policy, escalation: undefined })).escalation).toBeUndefined()
    const nested = policyToForm({ ...policy, when: { not: { field: 'channel', op: 'eq', value: 'phone' } } })
    expect(nested.whenMode).toBe('json')
    expect(formToPolicy(nested).when).toEqual({ not: { field: 'channel', op: 'eq', value: 'phone' } })
  })

  it('maps the server’s error paths to the parts of the form', () => {
    const f = { match: 'all' as const, whenMode: 'form' as const }
    expect(policyErrorTarget('targets.resolution.minutes', f)).toBe('target.resolution')
    expect(policyErrorTarget('targets', f)).toBe('targets')
    expect(policyErrorTarget('targets.bogus', f)).toBe('targets')
    expect(policyErrorTarget('warnings[1]', f)).toBe('warnings')
    expect(policyErrorTarget('pause.resolution[0]', f)).toBe('pause.resolution')
    expect(policyErrorTarget('escalation[1].notify[0]', f)).toBe('step.1.notify')
    expect(policyErrorTarget('escalation[0]', f)).toBe('step.0')
    expect(policyErrorTarget('when.all[0].value', f)).toBe('cond.0.value')
    expect(policyErrorTarget('when.all[0].value', { match: 'all', whenMode: 'json' })).toBe('when')
    expect(policyErrorTarget('calendar', f)).toBe('calendar')
    expect(policyErrorTarget('frobnicate', f)).toBe('form')
    const err = new ApiError(400, { code: 'validation_failed', field: 'targets.first_response.minutes', message: 'targets.first_response.minutes: must be a whole number of minutes 1–525600' })
    expect(policySaveErrors(err, f)).toEqual({ errors: { 'target.first_response': 'must be a whole number of minutes 1–525600' }, general: '' })
    const boom = new ApiError(500, { code: 'server_error', message: 'boom' })
    expect(policySaveErrors(boom, f)).toEqual({ errors: {}, general: errorMessage(boom) })
  })

  it('the editor shows a server error at the target it names', async () => {
    mockFetch((call) =>
      call.url.includes('/sla/policies')
        ? { status: 400, body: { error: { code: 'validation_failed', field: 'targets.first_response.minutes', message: 'targets.first_response.minutes: must be a whole number of minutes 1–525600' } } }
        : { body: { items: [] } },
    )
    const w = mountApp(PolicyEditor, { props: { modelValue: true, policy, calendars: [] }, attachTo: document.body })
    await flush()
    ;(document.querySelector('[data-test="policy-save"]') as HTMLElement).click()
    await flush()
    await flush()
    expect(document.querySelector('[data-test="err-target-first_response"]')?.textContent).toBe('must be a whole number of minutes 1–525600')
    expect(document.querySelector('[data-test="err-target-resolution"]')).toBeNull()
    w.unmount()
  }, 30000)
})

describe('calendar form', () => {
  it('round-trips hours, holiday runs and adjusted working days', () => {
    const doc = {
      id: 'cn-2026',
      name: '中国大陆 2026',
      time_zone: 'Asia/Shanghai',
      weekly: { monday: ['09:00-12:00', '13:30-18:00'], saturday: [] },
      holidays: [{ from: '2026-10-01', to: '2026-10-07', name: '国庆节' }, { date: '2026-06-19', name: '端午节' }],
      working_days: [{ date: '2026-10-10', name: '国庆调休', works_like: 'monday' as const }],
    }
    const f = calendarToForm(doc)
    expect(f.weekly.monday).toBe('09:00-12:00, 13:30-18:00')
    f.weekly.saturday = '10:00-16:00'
    const back = formToCalendar(f)
    expect(back.weekly.saturday).toEqual(['10:00-16:00'])
    expect(back.holidays).toEqual(doc.holidays)
    expect(back.working_days).toEqual(doc.working_days)
    expect(calendarErrorTarget('weekly.tuesday[1]')).toBe('weekly.tuesday')
    expect(calendarErrorTarget('holidays[3].date')).toBe('holidays.3')
    expect(calendarErrorTarget('time_zone')).toBe('time_zone')
  })
})
