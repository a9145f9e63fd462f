// The in-app notification inbox: the newest notifications, the unread count,
// and the ones the server pushes over the WebSocket ({"type":"notification"}).
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { AppNotification } from '@/api/types'
import { triageApi } from '@/api/triage'
import type { ServerMessage } from '@/realtime/client'
import { useRealtimeStore } from './realtime'

const PAGE = 30

export const useNotificationsStore = defineStore('notifications', () => {
  const items = ref<AppNotification[]>([])
  const unread = ref(0)
  const loaded = ref(false)
  let unsubscribe: (() => void) | null = null

  async function load() {
    const res = await triageApi.notifications({ limit: PAGE })
    items.value = res.items
    unread.value = res.unread
    loaded.value = true
  }

  /** A notification the server pushed: first in the list, counted when unread. */
  function receive(n: AppNotification) {
    if (!n || typeof n.id !== 'number' || items.value.some((x) => x.id === n.id)) return
    items.value = [n, ...items.value].slice(0, PAGE * 2)
    if (!n.read_at) unread.value++
  }

  function handle(msg: ServerMessage) {
    if (msg.type === 'notification') receive((msg as unknown as { notification: AppNotification }).notification)
  }

  /** Listen to the shared WebSocket (idempotent). */
  function listen() {
    if (!unsubscribe) unsubscribe = useRealtimeStore().subscribe(handle)
  }

  function stop() {
    unsubscribe?.()
    unsubscribe = null
  }

  async function markRead(ids: number[]) {
    if (!ids.length) return
    await triageApi.markRead(ids)
    const now = new Date().toISOString()
    let changed = 0
    items.value = items.value.map((n) => {
      if (!ids.includes(n.id) || n.read_at) return n
      changed++
      return { ...n, read_at: now }
    })
    unread.value = Math.max(0, unread.value - changed)
  }

  async function markAllRead() {
    await triageApi.markRead()
    const now = new Date().toISOString()
    items.value = items.value.map((n) => (n.read_at ? n : { ...n, read_at: now }))
    unread.value = 0
  }

  return { items, unread, loaded, load, receive, handle, listen, stop, markRead, markAllRead }
})
