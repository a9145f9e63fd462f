import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useQueueStore, viewQuery, defaultSettings } from '@/stores/queue'
import { freshPinia, mockFetch } from './helpers'

function ticket(id: number, extra: Record<string, unknown> = {}) {
  return { id, number: `20261123-${String(id).padStart(5, '0')}`, subject: `S${id}`, channel: 'phone', state: 'open', created_at: '2026-11-23T00:00:00Z', updated_at: '2026-11-23T00:00:00Z', ...extra }
}

describe('queue views', () => {
  it('maps saved views to API queries', () => {
    const s = defaultSettings()
    expect(viewQuery('mine', s)).toEqual({ sort: '-updated_at', state: 'new,open,pending_customer,pending_internal', assignee_id: 'me' })
    expect(viewQuery('unassigned', s).assignee_id).toBe('none')
    expect(viewQuery('team', { ...s, teamId: 3 }).team_id).toBe(3)
    expect(viewQuery('all', { ...s, states: [], q: ' 退款 ', priority: 'urgent' })).toEqual({ sort: '-updated_at', q: '退款', priority: 'urgent' })
    expect(viewQuery('all', { ...s, q: 'x' }, { ignoreSearch: true }).q).toBeUndefined()
  })
})

describe('queue store', () => {
  beforeEach(() => {
    localStorage.clear()
    freshPinia()
  })
  afterEach(() => vi.unstubAllGlobals())

  it('loads a page with total and pages on with the cursor', async () => {
    const { calls } = mockFetch((c) => {
      const u = new URL(c.url, 'http://x')
      if (u.searchParams.get('cursor') === 'c2') return { body: { items: [ticket(3), ticket(2)], next_cursor: null } }
      return { body: { items: [ticket(1), ticket(2)], next_cursor: 'c2', total: 3 } }
    })
    const q = useQueueStore()
    await q.load('mine')
    expect(q.items.map((t) => t.id)).toEqual([1, 2])
    expect(q.total).toBe(3)
    expect(q.counts.mine).toBe(3)
    const first = new URL(calls[0].url, 'http://x').searchParams
    expect(first.get('assignee_id')).toBe('me')
    expect(first.get('with_total')).toBe('1')
    expect(first.get('limit')).toBe('100')
    await q.loadMore()
    expect(q.items.map((t) => t.id)).toEqual([1, 2, 3])
    expect(q.nextCursor).toBeNull()
  })

  it('keeps filters per view in localStorage', () => {
    const q = useQueueStore()
    q.view = 'all'
    q.updateSettings({ priority: 'urgent', columns: ['number', 'subject'] })
    const saved = JSON.parse(localStorage.getItem('kefu.views.v1')!) // no user logged in here
    expect(saved.all.priority).toBe('urgent')
    freshPinia()
    const q2 = useQueueStore()
    expect(q2.settings.all.priority).toBe('urgent')
    expect(q2.settings.all.columns).toEqual(['number', 'subject'])
    expect(q2.settings.mine.priority).toBe('')
  })

  it('merges a refreshed first page on top and updates tickets in place', async () => {
    let head = [ticket(1), ticket(2)]
    mockFetch(() => ({ body: { items: head, next_cursor: null, total: head.length } }))
    const q = useQueueStore()
    await q.load('all')
    head = [ticket(9, { subject: 'new one' }), ticket(1), ticket(2)]
    await q.refreshHead()
    expect(q.items.map((t) => t.id)).toEqual([9, 1, 2])
    q.upsert(ticket(1, { subject: 'changed' }) as never)
    expect(q.items[1].subject).toBe('changed')
    expect(q.neighbour(1, 1)?.id).toBe(2)
    expect(q.neighbour(1, -1)?.id).toBe(9)
    expect(q.neighbour(2, 1)).toBeNull()
  })

  it('keeps the error and an empty list when loading fails', async () => {
    mockFetch(() => ({ status: 403, body: { error: { code: 'forbidden', message: 'no' } } }))
    const q = useQueueStore()
    await q.load('all')
    expect(q.items).toEqual([])
    expect((q.error as { code: string }).code).toBe('forbidden')
    expect(q.loading).toBe(false)
  })

  it('counts each view with with_total and limit=1', async () => {
    const { calls } = mockFetch((c) => {
      const u = new URL(c.url, 'http://x')
      const a = u.searchParams.get('assignee_id')
      return { body: { items: [], next_cursor: null, total: a === 'me' ? 5 : a === 'none' ? 2 : 40 } }
    })
    const q = useQueueStore()
    q.updateSettings({ teamId: 4 }, 'team')
    await q.refreshCounts()
    expect(q.counts).toEqual({ mine: 5, unassigned: 2, team: 40, all: 40 })
    expect(calls.every((c) => new URL(c.url, 'http://x').searchParams.get('limit') === '1')).toBe(true)
  })
})
