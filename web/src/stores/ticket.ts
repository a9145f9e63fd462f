// The complaint currently open in the complaint view.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api } from '@/api'
import type { Handoff, Message, MessageKind, Ticket, TicketDetail } from '@/api/types'
import { useQueueStore } from './queue'

export type TimelineEntry =
  | { kind: 'message'; id: string; at: string; message: Message }
  | { kind: 'event'; id: string; at: string; event: TicketDetail['events'][number] }
  | { kind: 'handoff'; id: string; at: string; handoff: Handoff }

/** Messages, events and hand-offs in one list, newest first. */
export function buildTimeline(d: Pick<TicketDetail, 'messages' | 'events' | 'handoffs'> | null): TimelineEntry[] {
  if (!d) return []
  const out: TimelineEntry[] = []
  for (const m of d.messages || []) out.push({ kind: 'message', id: `m${m.id}`, at: m.created_at, message: m })
  // message_added events only repeat what the message itself shows
  for (const e of (d.events || []).filter((x) => x.type !== 'message_added')) out.push({ kind: 'event', id: `e${e.id}`, at: e.at, event: e })
  for (const h of d.handoffs || []) out.push({ kind: 'handoff', id: `h${h.id}`, at: h.created_at, handoff: h })
  const rank = { message: 0, handoff: 1, event: 2 }
  return out.sort((a, b) => {
    const ta = Date.parse(a.at) || 0
    const tb = Date.parse(b.at) || 0
    if (ta !== tb) return tb - ta
    if (a.kind !== b.kind) return rank[a.kind] - rank[b.kind]
    return b.id.localeCompare(a.id, 'en', { numeric: true })
  })
}

export const useTicketStore = defineStore('ticket', () => {
  const detail = ref<TicketDetail | null>(null)
  const loading = ref(false)
  const error = ref<unknown>(null)
  let generation = 0

  const timeline = computed(() => buildTimeline(detail.value))

  async function load(id: number, quiet = false) {
    const gen = ++generation
    if (!quiet || detail.value?.id !== id) {
      loading.value = true
      if (detail.value?.id !== id) detail.value = null
    }
    error.value = null
    try {
      const d = await api.getTicket(id)
      if (gen !== generation) return
      detail.value = normalize(d)
      useQueueStore().upsert(d)
    } catch (e) {
      if (gen === generation) error.value = e
    } finally {
      if (gen === generation) loading.value = false
    }
  }

  function normalize(d: TicketDetail): TicketDetail {
    return { ...d, messages: d.messages || [], events: d.events || [], handoffs: d.handoffs || [], links: d.links || [], tags: d.tags || [] }
  }

  /** True when `t` is a full detail (the server answers writes with one). */
  function isDetail(t: Ticket | TicketDetail): t is TicketDetail {
    return Array.isArray((t as TicketDetail).messages) && Array.isArray((t as TicketDetail).events)
  }

  /** Merge a ticket returned by a write; returns false when a re-read is needed. */
  function applyTicket(t: Ticket | TicketDetail): boolean {
    useQueueStore().upsert(t)
    if (!detail.value || detail.value.id !== t.id) return true
    if (isDetail(t)) {
      generation++
      detail.value = normalize(t)
      return true
    }
    detail.value = { ...detail.value, ...t }
    return false
  }

  async function update(patch: Record<string, unknown>) {
    const id = detail.value!.id
    const t = await api.updateTicket(id, patch)
    if (!applyTicket(t)) await load(id, true)
  }

  async function transition(stateId: number | undefined, state?: string) {
    const id = detail.value!.id
    const t = await api.transition(id, stateId !== undefined ? { state_id: stateId } : { state: state! })
    if (!applyTicket(t)) await load(id, true)
  }

  async function addMessage(kind: MessageKind, body: string, extra: Record<string, unknown> = {}) {
    const id = detail.value!.id
    const m = await api.addMessage(id, { kind, body, ...extra })
    if (detail.value && detail.value.id === id && m && m.id) {
      detail.value = { ...detail.value, messages: [...detail.value.messages.filter((x) => x.id !== m.id), m] }
    }
    // the message shows at once; state, events and first response come with the re-read
    void load(id, true)
    return m
  }

  async function handoff(h: { department: string; question: string; due_at?: string; owner_id?: number }) {
    const id = detail.value!.id
    const res = await api.createHandoff(id, h)
    await load(id, true)
    return res
  }

  async function link(kind: string, targetId: number) {
    const id = detail.value!.id
    await api.addLink(id, kind, targetId)
    await load(id, true)
  }

  async function unlink(linkId: number) {
    const id = detail.value!.id
    await api.removeLink(id, linkId)
    await load(id, true)
  }

  async function merge(intoId: number) {
    const id = detail.value!.id
    const t = await api.merge(id, intoId)
    if (!t || !t.id || t.id !== id || !applyTicket(t)) await load(id, true)
  }

  function clear() {
    generation++
    detail.value = null
    error.value = null
  }

  return { detail, loading, error, timeline, load, update, transition, addMessage, handoff, link, unlink, merge, clear, applyTicket }
})
