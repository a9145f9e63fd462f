import { afterEach, describe, expect, it, vi } from 'vitest'
import NewTicketView from '@/views/NewTicketView.vue'
import { useAuthStore } from '@/stores/auth'
import { flush, freshPinia, mockFetch, mountApp } from './helpers'

const customer = { id: 31, name: '周刚', phone: '13800001111', tier: 'vip', region: '上海' }

describe('new complaint form', () => {
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  it('finds the caller by phone as it is typed and creates the complaint for them', async () => {
    const { calls } = mockFetch((c) => {
      if (c.url.startsWith('/api/v1/customers?')) return { body: { items: [customer], next_cursor: null } }
      if (c.url.startsWith('/api/v1/customers/31/tickets')) return { body: { items: [{ id: 3, number: 'N3', subject: '旧投诉', state: 'open', channel: 'phone', created_at: '2026-11-01T00:00:00Z', updated_at: '2026-11-01T00:00:00Z' }], next_cursor: null } }
      if (c.url === '/api/v1/teams' || c.url === '/api/v1/categories') return { body: { items: [], next_cursor: null } }
      if (c.method === 'POST' && c.url === '/api/v1/tickets') return { status: 201, body: { id: 77, number: '20261123-00077' } }
      return undefined
    })
    const pinia = freshPinia()
    useAuthStore().setSession({ id: 5, username: 'a', display_name: 'A', role: 'agent', team_ids: [], department_id: null, language: 'zh-CN', time_zone: 'UTC', permissions: ['tickets.create'] }, 'c')
    const w = mountApp(NewTicketView, {}, pinia)
    vi.useFakeTimers()
    await w.find('input[data-test="nt-phone"]').setValue('138 0000 1111')
    vi.advanceTimersByTime(300)
    vi.useRealTimers()
    await flush()
    await flush()
    await flush()
    const lookup = calls.find((c) => c.url.startsWith('/api/v1/customers?'))!
    expect(new URL(lookup.url, 'http://x').searchParams.get('q')).toBe('13800001111')
    // exactly one customer with that number: chosen at once
    expect(w.find('[data-test="nt-selected"]').text()).toContain('周刚')
    expect(w.text()).toContain('该客户有 1 条未结投诉')
    await w.find('input[data-test="nt-subject"]').setValue('冰箱不制冷')
    await w.find('form[data-test="nt-form"]').trigger('submit')
    await flush()
    const post = calls.find((c) => c.method === 'POST')!
    expect(post.body).toMatchObject({ subject: '冰箱不制冷', channel: 'phone', customer: { id: 31 }, assignee_id: 5, severity: 'normal', priority: 'normal' })
  })

  it('asks for a subject before sending anything', async () => {
    const { calls } = mockFetch(() => ({ body: { items: [], next_cursor: null } }))
    const w = mountApp(NewTicketView)
    await w.find('form[data-test="nt-form"]').trigger('submit')
    expect(w.find('[data-test="nt-error"]').text()).toContain('请填写主题')
    expect(calls.some((c) => c.method === 'POST')).toBe(false)
  })
})
