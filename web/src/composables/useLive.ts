// Keep a screen fresh: react to WebSocket pushes, and poll every
// `intervalMs` while the socket is not open.
import { onBeforeUnmount, onMounted, watch } from 'vue'
import { useRealtimeStore } from '@/stores/realtime'
import type { ServerMessage } from '@/realtime/client'

export interface LiveOptions {
  /** Called (debounced) for every ticket push the filter accepts. */
  onPush?: (msg: ServerMessage) => void
  filter?: (msg: ServerMessage) => boolean
  /** Full refresh used for polling. */
  refresh: () => unknown
  intervalMs?: number
  debounceMs?: number
}

export function useLive(opts: LiveOptions) {
  const rt = useRealtimeStore()
  const interval = opts.intervalMs ?? 10000
  let poll: ReturnType<typeof setInterval> | null = null
  let debounce: ReturnType<typeof setTimeout> | null = null
  let unsub: (() => void) | null = null
  let pending: ServerMessage | null = null

  function schedule(msg: ServerMessage) {
    pending = msg
    if (debounce) return
    debounce = setTimeout(() => {
      debounce = null
      const m = pending
      pending = null
      if (m) (opts.onPush ?? (() => opts.refresh()))(m)
    }, opts.debounceMs ?? 300)
  }

  function syncPolling() {
    const needPoll = rt.status !== 'open'
    if (needPoll && !poll) poll = setInterval(() => opts.refresh(), interval)
    if (!needPoll && poll) {
      clearInterval(poll)
      poll = null
    }
  }

  onMounted(() => {
    unsub = rt.subscribe((msg) => {
      if (msg.type !== 'ticket.created' && msg.type !== 'ticket.updated') return
      if (opts.filter && !opts.filter(msg)) return
      schedule(msg)
    })
    syncPolling()
  })
  const stopWatch = watch(
    () => rt.status,
    (s, old) => {
      syncPolling()
      // after a reconnect we may have missed pushes: refresh once
      if (s === 'open' && old && old !== 'open' && old !== 'idle') opts.refresh()
    },
  )
  onBeforeUnmount(() => {
    unsub?.()
    stopWatch()
    if (poll) clearInterval(poll)
    if (debounce) clearTimeout(debounce)
  })
}
