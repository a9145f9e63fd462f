// One WebSocket per tab, shared by all screens. When the socket is down the
// screens fall back to polling (see composables/useLive.ts).
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { RealtimeClient, defaultSocketUrl, type PresenceUser, type RealtimeStatus, type ServerMessage } from '@/realtime/client'

export const useRealtimeStore = defineStore('realtime', () => {
  const status = ref<RealtimeStatus>('idle')
  const presence = ref<Record<number, PresenceUser[]>>({})
  const client = shallowRef<RealtimeClient | null>(null)
  /** Bumped on every ticket push, for screens that only need "something changed". */
  const ticketVersion = ref(0)
  const lastTicketPush = shallowRef<ServerMessage | null>(null)
  const listeners = new Set<(msg: ServerMessage) => void>()

  function start(url = defaultSocketUrl()) {
    if (client.value) return
    const c = new RealtimeClient({ url })
    c.onStatus((s) => (status.value = s))
    c.on(handle)
    client.value = c
    c.start()
  }

  function stop() {
    client.value?.stop()
    client.value = null
    status.value = 'idle'
    presence.value = {}
  }

  function handle(msg: ServerMessage) {
    if (msg.type === 'presence') {
      const m = msg as { ticket_id: number; users: PresenceUser[] }
      presence.value = { ...presence.value, [m.ticket_id]: Array.isArray(m.users) ? m.users : [] }
    } else if (msg.type === 'ticket.created' || msg.type === 'ticket.updated') {
      lastTicketPush.value = msg
      ticketVersion.value++
    }
    for (const l of listeners) l(msg)
  }

  function subscribe(handler: (msg: ServerMessage) => void): () => void {
    listeners.add(handler)
    return () => listeners.delete(handler)
  }

  function viewing(ticketId: number, composing = false) {
    client.value?.setViewing(ticketId, composing)
  }

  function left(ticketId: number) {
    client.value?.leave(ticketId)
    if (presence.value[ticketId]) {
      const copy = { ...presence.value }
      delete copy[ticketId]
      presence.value = copy
    }
  }

  return { status, presence, client, ticketVersion, lastTicketPush, start, stop, handle, subscribe, viewing, left }
})
