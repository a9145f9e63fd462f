import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { RealtimeClient } from '@/realtime/client'
import { useRealtimeStore } from '@/stores/realtime'
import { freshPinia } from './helpers'

class FakeSocket {
  static all: FakeSocket[] = []
  readyState = 0
  sent: string[] = []
  onopen: ((ev: unknown) => void) | null = null
  onclose: ((ev: unknown) => void) | null = null
  onerror: ((ev: unknown) => void) | null = null
  onmessage: ((ev: { data: unknown }) => void) | null = null
  constructor(public url: string) {
    FakeSocket.all.push(this)
  }
  send(d: string) {
    this.sent.push(d)
  }
  close() {
    this.readyState = 3
  }
  open() {
    this.readyState = 1
    this.onopen?.({})
  }
  drop() {
    this.readyState = 3
    this.onclose?.({})
  }
  push(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) })
  }
}

describe('realtime client', () => {
  beforeEach(() => {
    FakeSocket.all = []
    vi.useFakeTimers()
  })
  afterEach(() => vi.useRealTimers())

  function client() {
    return new RealtimeClient({ url: 'ws://x/api/v1/ws', createSocket: (u) => new FakeSocket(u), random: () => 1, minDelayMs: 1000, maxDelayMs: 30000 })
  }

  it('backs off exponentially up to the maximum', () => {
    const c = client()
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => c.backoffDelay(n))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000])
  })

  it('reconnects by itself and announces what it is viewing again', () => {
    const c = client()
    const statuses: string[] = []
    c.onStatus((s) => statuses.push(s))
    c.start()
    FakeSocket.all[0].open()
    c.setViewing(42)
    expect(JSON.parse(FakeSocket.all[0].sent[0])).toEqual({ type: 'viewing', ticket_id: 42, composing: false })
    FakeSocket.all[0].drop()
    expect(c.status).toBe('closed')
    vi.advanceTimersByTime(999)
    expect(FakeSocket.all.length).toBe(1)
    vi.advanceTimersByTime(1)
    expect(FakeSocket.all.length).toBe(2)
    FakeSocket.all[1].open()
    expect(JSON.parse(FakeSocket.all[1].sent[0])).toEqual({ type: 'viewing', ticket_id: 42, composing: false })
    expect(statuses).toEqual(['connecting', 'open', 'closed', 'connecting', 'open'])
    // a second failure in a row waits longer; success resets the counter
    FakeSocket.all[1].drop()
    vi.advanceTimersByTime(1000)
    expect(FakeSocket.all.length).toBe(3)
    FakeSocket.all[2].drop()
    vi.advanceTimersByTime(1999)
    expect(FakeSocket.all.length).toBe(3)
    vi.advanceTimersByTime(1)
    expect(FakeSocket.all.length).toBe(4)
    c.stop()
  })

  it('dispatches messages, ignores garbage and stops cleanly', () => {
    const c = client()
    const got: unknown[] = []
    c.on((m) => got.push(m))
    c.start()
    const s = FakeSocket.all[0]
    s.open()
    s.push({ type: 'ticket.updated', ticket: { id: 1 } })
    s.onmessage?.({ data: 'not json' })
    s.onmessage?.({ data: JSON.stringify({ nope: 1 }) })
    expect(got).toEqual([{ type: 'ticket.updated', ticket: { id: 1 } }])
    c.stop()
    expect(c.status).toBe('idle')
    vi.advanceTimersByTime(60000)
    expect(FakeSocket.all.length).toBe(1)
  })

  it('sends composing changes and left', () => {
    const c = client()
    c.start()
    const s = FakeSocket.all[0]
    s.open()
    c.setViewing(5)
    c.setViewing(5)
    c.setViewing(5, true)
    c.leave(5)
    expect(s.sent.map((x) => JSON.parse(x))).toEqual([
      { type: 'viewing', ticket_id: 5, composing: false },
      { type: 'viewing', ticket_id: 5, composing: true },
      { type: 'left', ticket_id: 5 },
    ])
    c.stop()
  })
})

describe('realtime store', () => {
  it('keeps presence per ticket and forwards ticket pushes', () => {
    freshPinia()
    const rt = useRealtimeStore()
    const seen: unknown[] = []
    const off = rt.subscribe((m) => seen.push(m))
    rt.handle({ type: 'presence', ticket_id: 3, users: [{ id: 1, name: '王芳', composing: true }] })
    expect(rt.presence[3][0].name).toBe('王芳')
    rt.handle({ type: 'ticket.created', ticket: { id: 9 } })
    expect(rt.ticketVersion).toBe(1)
    expect(seen.length).toBe(2)
    off()
    rt.handle({ type: 'ticket.updated', ticket: { id: 9 } })
    expect(seen.length).toBe(2)
    rt.left(3)
    expect(rt.presence[3]).toBeUndefined()
  })
})
