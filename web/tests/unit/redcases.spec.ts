import { afterEach, describe, expect, it, vi } from 'vitest'
import RedCasesView from '@/views/RedCasesView.vue'
import { isOverdue } from '@/utils/redcase'
import type { RedCase } from '@/api/types'
import { flush, mockFetch, mountApp } from './helpers'

afterEach(() => vi.unstubAllGlobals())

function redCase(id: number, due: string, extra: Partial<RedCase> = {}): RedCase {
  return {
    id,
    ticket_id: 100 + id,
    state: 'open',
    reason: '客户威胁曝光',
    source: 'rule',
    owner_id: 3,
    owner_name: '李主管',
    members: [{ id: 3, name: '李主管' }],
    cadence_minutes: 1440,
    opened_at: '2026-11-20T01:00:00Z',
    next_update_due: due,
    missed_updates: 0,
    ticket: { id: 100 + id, number: `KF-${id}`, subject: `<b>投诉 ${id}</b>`, channel: 'phone', state: 'open', emotion: 4, threats: ['media'], created_at: '', updated_at: '' },
    last_update: null,
    ...extra,
  }
}

describe('red cases', () => {
  it('is overdue once the next update was due, never when closed', () => {
    const now = new Date('2026-11-23T12:00:00Z')
    expect(isOverdue({ state: 'open', next_update_due: '2026-11-23T11:59:00Z' }, now)).toBe(true)
    expect(isOverdue({ state: 'open', next_update_due: '2026-11-23T12:01:00Z' }, now)).toBe(false)
    expect(isOverdue({ state: 'closed', next_update_due: '2026-11-23T11:00:00Z' }, now)).toBe(false)
  })

  it('the board highlights the overdue red case in red and shows customer text literally', async () => {
    const past = new Date(Date.now() - 3600_000).toISOString()
    const future = new Date(Date.now() + 3600_000).toISOString()
    mockFetch((c) => (c.url.startsWith('/api/v1/red-cases') ? { body: { items: [redCase(1, past, { missed_updates: 1 }), redCase(2, future)] } } : undefined))
    const w = mountApp(RedCasesView)
    await flush()
    await flush()
    const rows = w.findAll('[data-test="red-case-row"]')
    expect(rows.length).toBe(2)
    expect(rows[0].classes()).toContain('overdue')
    expect(rows[0].text()).toContain('已逾期')
    expect(rows[0].text()).toContain('漏报 1 次')
    expect(rows[1].classes()).not.toContain('overdue')
    expect(rows[1].text()).not.toContain('已逾期')
    expect(w.find('[data-test="red-case-count"]').text()).toBe('2')
    expect(w.find('.board b').exists()).toBe(false)
    expect(rows[0].text()).toContain('<b>投诉 1</b>')
    w.unmount()
  })
})
