import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { useTicketStore } from '@/stores/ticket'
import { useQueueStore } from '@/stores/queue'
import { loadTeamBoard } from '@/stores/board'
import { useRealtimeStore } from '@/stores/realtime'
import { useLive } from '@/composables/useLive'
import { freshPinia, mockFetch, mountApp } from './helpers'

const detail = (extra: Record<string, unknown> = {}) => ({
  id: 7,
  number: '20261123-00007',
  subject: '空调异响',
  channel: 'phone',
  state: 'open',
  created_at: '2026-11-23T01:00:00Z',
  updated_at: '2026-11-23T01:00:00Z',
  messages: [],
  events: [],
  handoffs: [],
  links: [],
  ...extra,
})

describe('ticket store', () => {
  beforeEach(() => freshPinia())
  afterEach(() => vi.unstubAllGlobals())

  it('uses the detail a write returns instead of reading again', async () => {
    const { calls } = mockFetch((c) => {
      if (c.method === 'GET') return { body: detail() }
      if (c.method === 'PATCH') return { body: detail({ priority: 'urgent', events: [{ id: 1, at: '2026-11-23T02:00:00Z', type: 'field_changed', field: 'priority', from: 'normal', to: 'urgent' }] }) }
      return undefined
    })
    const s = useTicketStore()
    await s.load(7)
    expect(s.detail?.subject).toBe('空调异响')
    await s.update({ priority: 'urgent' })
    expect(s.detail?.priority).toBe('urgent')
    expect(s.timeline.length).toBe(1)
    expect(calls.map((c) => c.method)).toEqual(['GET', 'PATCH'])
  })

  it('reads again when a write returns only the ticket', async () => {
    let gets = 0
    mockFetch((c) => {
      if (c.method === 'GET') return { body: detail({ state: gets++ ? 'resolved' : 'open' }) }
      if (c.url.endsWith('/transitions')) return { body: { id: 7, state: 'resolved' } }
      return undefined
    })
    const s = useTicketStore()
    await s.load(7)
    await s.transition(5)
    expect(gets).toBe(2)
    expect(s.detail?.state).toBe('resolved')
  })

  it('passes a refused transition on to the caller and keeps the complaint', async () => {
    mockFetch((c) => (c.method === 'GET' ? { body: detail() } : { status: 409, body: { error: { code: 'invalid_transition', message: 'no', field: '' } } }))
    const s = useTicketStore()
    await s.load(7)
    await expect(s.transition(99)).rejects.toMatchObject({ code: 'invalid_transition' })
    expect(s.detail?.state).toBe('open')
  })

  it('keeps the queue row in step with the complaint', async () => {
    mockFetch((c) => {
      if (c.url.startsWith('/api/v1/tickets?')) return { body: { items: [detail()], next_cursor: null, total: 1 } }
      if (c.method === 'GET') return { body: detail({ subject: '新主题' }) }
      return undefined
    })
    const q = useQueueStore()
    await q.load('all')
    await useTicketStore().load(7)
    expect(q.items[0].subject).toBe('新主题')
  })

  it('adds a message and shows it at once', async () => {
    const { calls } = mockFetch((c) => {
      if (c.method === 'POST') return { status: 201, body: { id: 50, kind: 'note', author_kind: 'agent', body: '备注', created_at: '2026-11-23T03:00:00Z' } }
      return { body: detail() }
    })
    const s = useTicketStore()
    await s.load(7)
    await s.addMessage('note', '备注')
    expect(calls[1].body).toEqual({ kind: 'note', body: '备注' })
    expect(calls[1].url).toBe('/api/v1/tickets/7/messages')
  })
})

describe('board', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('counts per team and sorts agents by load', async () => {
    mockFetch((c) => {
      const u = new URL(c.url, 'http://x')
      const p = u.searchParams
      if (p.get('with_total') !== '1') return { body: { items: [detail({ id: 1 })], next_cursor: null } }
      if (p.get('assignee_id') === 'none') return { body: { items: [], next_cursor: null, total: 3 } }
      if (p.get('assignee_id') === '11') return { body: { items: [], next_cursor: null, total: 2 } }
      if (p.get('assignee_id') === '12') return { body: { items: [], next_cursor: null, total: 9 } }
      if (p.get('state') === 'new,open') return { body: { items: [], next_cursor: null, total: 20 } }
      return { body: { items: [], next_cursor: null, total: 5 } }
    })
    const members = [11, 12].map((id) => ({ id, username: `u${id}`, display_name: `U${id}`, role: 'agent', team_ids: [1], department_id: null, language: 'zh-CN', time_zone: 'UTC', permissions: [] }))
    const b = await loadTeamBoard({ id: 1, name: '华东' }, members as never)
    expect([b.unassigned, b.open, b.pending]).toEqual([3, 20, 5])
    expect(b.agents.map((a) => [a.user.id, a.load])).toEqual([[12, 9], [11, 2]])
    expect(b.oldest.length).toBe(1)
  })
})

describe('useLive', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  function mountLive(refresh: () => void, filter?: (m: unknown) => boolean) {
    const pinia = freshPinia()
    const C = defineComponent({
      setup() {
        useLive({ refresh, filter: filter as never, intervalMs: 10000, debounceMs: 300 })
        return () => h('div')
      },
    })
    const w = mountApp(C, {}, pinia)
    return { w, rt: useRealtimeStore() }
  }

  it('polls every 10 s while the socket is not open, and stops when it is', async () => {
    const refresh = vi.fn()
    const { rt } = mountLive(refresh)
    vi.advanceTimersByTime(10000)
    expect(refresh).toHaveBeenCalledTimes(1)
    rt.status = 'open'
    await Promise.resolve()
    vi.advanceTimersByTime(30000)
    expect(refresh).toHaveBeenCalledTimes(1)
  })

  it('refreshes once after a burst of pushes, and after a reconnect', async () => {
    const refresh = vi.fn()
    const { rt } = mountLive(refresh, (m) => (m as { ticket: { id: number } }).ticket.id !== 99)
    rt.status = 'open'
    await Promise.resolve()
    for (let i = 0; i < 5; i++) rt.handle({ type: 'ticket.updated', ticket: { id: i } })
    rt.handle({ type: 'ticket.updated', ticket: { id: 99 } })
    vi.advanceTimersByTime(300)
    expect(refresh).toHaveBeenCalledTimes(1)
    rt.handle({ type: 'ticket.updated', ticket: { id: 99 } })
    vi.advanceTimersByTime(1000)
    expect(refresh).toHaveBeenCalledTimes(1)
    rt.status = 'closed'
    await Promise.resolve()
    rt.status = 'open'
    await Promise.resolve()
    expect(refresh).toHaveBeenCalledTimes(2)
  })
})
