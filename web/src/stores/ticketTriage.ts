// The triage of the complaint that is open: its grade history and red cases
// (GET /tickets/{id}/triage), reloaded with the complaint.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { TicketTriage } from '@/api/types'
import { triageApi } from '@/api/triage'

export const useTicketTriageStore = defineStore('ticketTriage', () => {
  const ticketId = ref<number | null>(null)
  const data = ref<TicketTriage | null>(null)
  const error = ref<unknown>(null)
  let generation = 0

  const openRedCase = computed(() => data.value?.red_cases.find((r) => r.state !== 'closed') ?? null)
  /** Grade history, newest first. */
  const history = computed(() => [...(data.value?.history ?? [])].sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || b.id - a.id))

  async function load(id: number) {
    const gen = ++generation
    if (ticketId.value !== id) data.value = null
    ticketId.value = id
    error.value = null
    try {
      const d = await triageApi.ticketTriage(id)
      if (gen === generation) data.value = { history: d.history || [], red_cases: d.red_cases || [] }
    } catch (e) {
      if (gen === generation) error.value = e
    }
  }

  async function markRedCase(reason: string) {
    const id = ticketId.value!
    await triageApi.openRedCase(id, reason)
    await load(id)
  }

  return { ticketId, data, error, openRedCase, history, load, markRedCase }
})
