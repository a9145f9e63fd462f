// The agent workspace queue: saved views (mine / unassigned / team / all)
// with their filters, sort and columns, cursor paging and live merging.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { api } from '@/api'
import type { Ticket, TicketDetail, TicketQuery } from '@/api/types'
import { ACTIVE_STATES } from '@/api/types'
import { useAuthStore } from './auth'

export type ViewKey = 'mine' | 'unassigned' | 'team' | 'all'
export const VIEW_KEYS: ViewKey[] = ['mine', 'unassigned', 'team', 'all']

export type ColumnKey = 'number' | 'subject' | 'emotion' | 'sla' | 'customer' | 'state' | 'severity' | 'priority' | 'team' | 'assignee' | 'channel' | 'updated' | 'created'
export const ALL_COLUMNS: ColumnKey[] = ['number', 'subject', 'emotion', 'sla', 'customer', 'state', 'severity', 'priority', 'team', 'assignee', 'channel', 'updated', 'created']
export const DEFAULT_COLUMNS: ColumnKey[] = ['number', 'subject', 'emotion', 'sla', 'customer', 'state', 'priority', 'assignee', 'updated']

export interface ViewSettings {
  states: string[]
  q: string
  channel: string
  severity: string
  priority: string
  category: string
  sort: string
  columns: ColumnKey[]
  teamId: number | null
}

export function defaultSettings(): ViewSettings {
  return {
    states: [...ACTIVE_STATES],
    q: '',
    channel: '',
    severity: '',
    priority: '',
    category: '',
    sort: '-updated_at',
    columns: [...DEFAULT_COLUMNS],
    teamId: null,
  }
}

const STORAGE_PREFIX = 'kefu.views.v1'
export const PAGE_SIZE = 100

/** Saved views belong to the person: several may share a browser. */
function storageKey(): string {
  const id = useAuthStore().user?.id
  return id ? `${STORAGE_PREFIX}.${id}` : STORAGE_PREFIX
}

function loadSaved(): Partial<Record<ViewKey, ViewSettings>> {
  try {
    const raw = localStorage.getItem(storageKey())
    return raw ? JSON.parse(raw) : {}
  } catch {
    return {}
  }
}

/** The API query of a view, without paging. */
export function viewQuery(view: ViewKey, s: ViewSettings, opts: { ignoreSearch?: boolean } = {}): TicketQuery {
  const q: TicketQuery = { sort: s.sort || '-updated_at' }
  if (s.states.length) q.state = s.states.join(',')
  if (view === 'mine') q.assignee_id = 'me'
  if (view === 'unassigned') q.assignee_id = 'none'
  if (view === 'team' && s.teamId) q.team_id = s.teamId
  if (!opts.ignoreSearch) {
    if (s.q.trim()) q.q = s.q.trim()
    if (s.channel) q.channel = s.channel
    if (s.severity) q.severity = s.severity
    if (s.priority) q.priority = s.priority
    if (s.category) q.category = s.category
  }
  return q
}

export const useQueueStore = defineStore('queue', () => {
  const saved = loadSaved()
  const settings = ref<Record<ViewKey, ViewSettings>>({
    mine: { ...defaultSettings(), ...(saved.mine || {}) },
    unassigned: { ...defaultSettings(), sort: 'created_at', ...(saved.unassigned || {}) },
    team: { ...defaultSettings(), ...(saved.team || {}) },
    all: { ...defaultSettings(), ...(saved.all || {}) },
  })
  const view = ref<ViewKey>('mine')
  const items = shallowRef<Ticket[]>([])
  const nextCursor = ref<string | null>(null)
  const total = ref<number | null>(null)
  const loading = ref(false)
  const loadingMore = ref(false)
  const error = ref<unknown>(null)
  const counts = ref<Partial<Record<ViewKey, number>>>({})
  const selectedIndex = ref(0)
  let generation = 0
  let abort: AbortController | null = null

  const current = computed(() => settings.value[view.value])

  function persist() {
    try {
      localStorage.setItem(storageKey(), JSON.stringify(settings.value))
    } catch {
      /* ignore */
    }
  }

  function updateSettings(patch: Partial<ViewSettings>, v: ViewKey = view.value) {
    settings.value = { ...settings.value, [v]: { ...settings.value[v], ...patch } }
    persist()
  }

  function resetSettings(v: ViewKey = view.value) {
    const teamId = settings.value[v].teamId
    settings.value = { ...settings.value, [v]: { ...defaultSettings(), teamId } }
    persist()
  }

  function query(): TicketQuery {
    return viewQuery(view.value, current.value)
  }

  async function load(v: ViewKey = view.value) {
    view.value = v
    const gen = ++generation
    abort?.abort()
    abort = new AbortController()
    loading.value = true
    error.value = null
    try {
      const page = await api.listTickets({ ...query(), limit: PAGE_SIZE, with_total: 1 }, abort.signal)
      if (gen !== generation) return
      items.value = page.items
      nextCursor.value = page.next_cursor || null
      total.value = typeof page.total === 'number' ? page.total : null
      if (total.value !== null && !current.value.q && !hasExtraFilters()) counts.value = { ...counts.value, [v]: total.value }
      if (selectedIndex.value >= items.value.length) selectedIndex.value = Math.max(0, items.value.length - 1)
    } catch (e) {
      if ((e as Error)?.name === 'AbortError') return
      if (gen === generation) {
        error.value = e
        items.value = []
        nextCursor.value = null
      }
    } finally {
      if (gen === generation) loading.value = false
    }
  }

  function hasExtraFilters(): boolean {
    const s = current.value
    const d = defaultSettings()
    return !!(s.channel || s.severity || s.priority || s.category) || s.states.join(',') !== d.states.join(',')
  }

  async function loadMore() {
    if (!nextCursor.value || loadingMore.value || loading.value) return
    const gen = generation
    loadingMore.value = true
    try {
      const page = await api.listTickets({ ...query(), limit: PAGE_SIZE, cursor: nextCursor.value })
      if (gen !== generation) return
      const seen = new Set(items.value.map((t) => t.id))
      items.value = [...items.value, ...page.items.filter((t) => !seen.has(t.id))]
      nextCursor.value = page.next_cursor || null
    } catch (e) {
      error.value = e
    } finally {
      loadingMore.value = false
    }
  }

  /** Re-read the first page and merge it on top, keeping what was scrolled in. */
  async function refreshHead() {
    if (loading.value) return
    const gen = generation
    try {
      const page = await api.listTickets({ ...query(), limit: PAGE_SIZE, with_total: 1 })
      if (gen !== generation) return
      const head = page.items
      const headIds = new Set(head.map((t) => t.id))
      const tail = items.value.slice(Math.min(items.value.length, PAGE_SIZE)).filter((t) => !headIds.has(t.id))
      items.value = items.value.length <= PAGE_SIZE ? head : [...head, ...tail]
      if (items.value.length <= PAGE_SIZE) nextCursor.value = page.next_cursor || null
      if (typeof page.total === 'number') {
        total.value = page.total
        if (!current.value.q && !hasExtraFilters()) counts.value = { ...counts.value, [view.value]: page.total }
      }
    } catch {
      /* keep what we have; the next push or poll tries again */
    }
  }

  /** Replace one ticket in place (after an edit or a push). */
  function upsert(t: Ticket | TicketDetail) {
    const idx = items.value.findIndex((x) => x.id === t.id)
    if (idx >= 0) {
      const copy = items.value.slice()
      // A complaint as GET /tickets/{id} gives it: the list shows the summary of its clocks, not the clocks.
      const { sla, ...rest } = t as TicketDetail
      copy[idx] = { ...copy[idx], ...rest, ...(sla?.summary !== undefined ? { sla_summary: sla.summary } : {}) }
      items.value = copy
    }
  }

  async function refreshCounts() {
    const results = await Promise.allSettled(
      VIEW_KEYS.map(async (v) => {
        const s = settings.value[v]
        if (v === 'team' && !s.teamId) return [v, undefined] as const
        const page = await api.listTickets({ ...viewQuery(v, { ...s, states: [...ACTIVE_STATES] }, { ignoreSearch: true }), limit: 1, with_total: 1 })
        return [v, page.total] as const
      }),
    )
    const next = { ...counts.value }
    for (const r of results) {
      if (r.status === 'fulfilled' && typeof r.value[1] === 'number') next[r.value[0]] = r.value[1]
    }
    counts.value = next
  }

  function neighbour(id: number, delta: number): Ticket | null {
    const idx = items.value.findIndex((t) => t.id === id)
    if (idx < 0) return null
    return items.value[idx + delta] || null
  }

  return {
    settings,
    view,
    current,
    items,
    nextCursor,
    total,
    loading,
    loadingMore,
    error,
    counts,
    selectedIndex,
    updateSettings,
    resetSettings,
    query,
    load,
    loadMore,
    refreshHead,
    upsert,
    refreshCounts,
    neighbour,
  }
})
