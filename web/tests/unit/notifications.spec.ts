import { afterEach, describe, expect, it, vi } from 'vitest'
import NotificationBell from '@/components/NotificationBell.vue'
import { useRealtimeStore } from '@/stores/realtime'
import { useNotificationsStore } from '@/stores/notifications'
import { flush, freshPinia, mockFetch, mountApp } from './helpers'

afterEach(() => vi.unstubAllGlobals())

const note = (id: number, read = false) => ({
  id,
  kind: 'red_case',
  ticket_id: 40 + id,
  title: `红案 Red case KF-${id}`,
  body: '客户威胁曝光',
  created_at: new Date().toISOString(),
  read_at: read ? new Date().toISOString() : null,
})

describe('notification bell', () => {
  it('counts a pushed notification at once, without asking the server again', async () => {
    const { calls } = mockFetch((c) => (c.url.startsWith('/api/v1/notifications') ? { body: { items: [note(2), note(1)], unread: 2 } } : undefined))
    const pinia = freshPinia()
    const w = mountApp(NotificationBell, {}, pinia)
    await flush()
    await flush()
    const count = () => w.find('[data-test="notif-count"]').attributes('data-count')
    expect(count()).toBe('2')
    const gets = calls.length
    useRealtimeStore().handle({ type: 'notification', notification: note(3) })
    await flush()
    expect(count()).toBe('3')
    expect(useNotificationsStore().items[0].id).toBe(3)
    // the same push twice (a reconnect) counts once; a read one does not count
    useRealtimeStore().handle({ type: 'notification', notification: note(3) })
    useRealtimeStore().handle({ type: 'notification', notification: note(4, true) })
    await flush()
    expect(count()).toBe('3')
    expect(calls.length).toBe(gets)
    w.unmount()
  })

  it('marks one and then all as read', async () => {
    const { calls } = mockFetch((c) => {
      if (c.url.startsWith('/api/v1/notifications/read')) return { status: 204 }
      if (c.url.startsWith('/api/v1/notifications')) return { body: { items: [note(2), note(1)], unread: 2 } }
      return undefined
    })
    freshPinia()
    const store = useNotificationsStore()
    await store.load()
    await store.markRead([1])
    expect(store.unread).toBe(1)
    expect(calls.at(-1)?.body).toEqual({ ids: [1] })
    await store.markAllRead()
    expect(store.unread).toBe(0)
    expect(calls.at(-1)?.body).toEqual({})
    expect(store.items.every((n) => n.read_at)).toBe(true)
  })
})
