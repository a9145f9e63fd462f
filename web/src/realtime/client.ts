// WebSocket client for /api/v1/ws: reconnects by itself with exponential
// backoff and re-announces what this screen is viewing after a reconnect.

export type RealtimeStatus = 'idle' | 'connecting' | 'open' | 'closed'

export interface TicketPush {
  type: 'ticket.created' | 'ticket.updated'
  ticket: { id: number; number?: string; team_id?: number | null; assignee_id?: number | null; state?: string; updated_at?: string }
}

export interface PresenceUser {
  id: number
  name: string
  composing: boolean
}

export interface PresencePush {
  type: 'presence'
  ticket_id: number
  users: PresenceUser[]
}

export type ServerMessage = TicketPush | PresencePush | { type: string; [k: string]: unknown }

type Handler = (msg: ServerMessage) => void
type StatusHandler = (s: RealtimeStatus) => void

interface SocketLike {
  readyState: number
  onopen: ((ev: unknown) => void) | null
  onclose: ((ev: unknown) => void) | null
  onerror: ((ev: unknown) => void) | null
  onmessage: ((ev: { data: unknown }) => void) | null
  send(data: string): void
  close(): void
}

export interface RealtimeOptions {
  url: string
  createSocket?: (url: string) => SocketLike
  minDelayMs?: number
  maxDelayMs?: number
  random?: () => number
}

const OPEN = 1

export class RealtimeClient {
  private opts: Required<RealtimeOptions>
  private socket: SocketLike | null = null
  private handlers = new Set<Handler>()
  private statusHandlers = new Set<StatusHandler>()
  private attempts = 0
  private timer: ReturnType<typeof setTimeout> | null = null
  private stopped = true
  private viewing: { ticket_id: number; composing: boolean } | null = null
  status: RealtimeStatus = 'idle'

  constructor(opts: RealtimeOptions) {
    this.opts = {
      createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      minDelayMs: 1000,
      maxDelayMs: 30000,
      random: Math.random,
      ...opts,
    }
  }

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    this.connect()
  }

  stop(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const s = this.socket
    this.socket = null
    if (s) {
      s.onclose = null
      s.onerror = null
      s.onmessage = null
      s.onopen = null
      try {
        s.close()
      } catch {
        /* ignore */
      }
    }
    this.setStatus('idle')
  }

  on(handler: Handler): () => void {
    this.handlers.add(handler)
    return () => this.handlers.delete(handler)
  }

  onStatus(handler: StatusHandler): () => void {
    this.statusHandlers.add(handler)
    return () => this.statusHandlers.delete(handler)
  }

  /** Delay before reconnect attempt number `attempt` (0-based). */
  backoffDelay(attempt: number): number {
    const base = Math.min(this.opts.maxDelayMs, this.opts.minDelayMs * 2 ** Math.min(attempt, 16))
    // up to 20 % jitter so that many screens do not reconnect in lockstep
    return Math.round(base * (0.8 + 0.2 * this.opts.random()))
  }

  setViewing(ticketId: number, composing = false): void {
    const changed = !this.viewing || this.viewing.ticket_id !== ticketId || this.viewing.composing !== composing
    this.viewing = { ticket_id: ticketId, composing }
    if (changed) this.send({ type: 'viewing', ticket_id: ticketId, composing })
  }

  leave(ticketId: number): void {
    if (this.viewing?.ticket_id === ticketId) this.viewing = null
    this.send({ type: 'left', ticket_id: ticketId })
  }

  send(msg: Record<string, unknown>): boolean {
    if (this.socket && this.socket.readyState === OPEN) {
      try {
        this.socket.send(JSON.stringify(msg))
        return true
      } catch {
        return false
      }
    }
    return false
  }

  private setStatus(s: RealtimeStatus) {
    if (this.status === s) return
    this.status = s
    for (const h of this.statusHandlers) h(s)
  }

  private connect() {
    if (this.stopped) return
    this.setStatus('connecting')
    let sock: SocketLike
    try {
      sock = this.opts.createSocket(this.opts.url)
    } catch {
      this.scheduleReconnect()
      return
    }
    this.socket = sock
    sock.onopen = () => {
      this.attempts = 0
      this.setStatus('open')
      if (this.viewing) this.send({ type: 'viewing', ...this.viewing })
    }
    sock.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return
      let msg: ServerMessage
      try {
        msg = JSON.parse(ev.data)
      } catch {
        return
      }
      if (!msg || typeof msg.type !== 'string') return
      for (const h of this.handlers) {
        try {
          h(msg)
        } catch (e) {
          console.error('realtime handler failed', e)
        }
      }
    }
    sock.onerror = () => {
      /* onclose follows */
    }
    sock.onclose = () => {
      if (this.socket !== sock) return
      this.socket = null
      this.scheduleReconnect()
    }
  }

  private scheduleReconnect() {
    if (this.stopped) return
    this.setStatus('closed')
    const delay = this.backoffDelay(this.attempts++)
    this.timer = setTimeout(() => {
      this.timer = null
      this.connect()
    }, delay)
  }
}

export function defaultSocketUrl(): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${proto}//${location.host}/api/v1/ws`
}
