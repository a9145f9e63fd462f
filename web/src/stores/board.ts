// Supervisor board: per team the unassigned, open and pending counts, the
// complaints waiting longest and the agents with their load.
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api } from '@/api'
import type { Team, Ticket, User } from '@/api/types'
import { ACTIVE_STATES } from '@/api/types'
import { mapLimit } from '@/utils/limit'

export interface AgentLoad {
  user: User
  load: number | null
}

export interface TeamBoard {
  team: Team
  unassigned: number | null
  open: number | null
  pending: number | null
  oldest: Ticket[]
  agents: AgentLoad[]
}

const ACTIVE = ACTIVE_STATES.join(',')

async function count(q: Record<string, string | number>): Promise<number | null> {
  try {
    const page = await api.listTickets({ ...q, limit: 1, with_total: 1 })
    return typeof page.total === 'number' ? page.total : null
  } catch {
    return null
  }
}

export async function loadTeamBoard(team: Team, members: User[], oldestLimit = 8): Promise<TeamBoard> {
  const [unassigned, open, pending, oldestPage] = await Promise.all([
    count({ team_id: team.id, state: ACTIVE, assignee_id: 'none' }),
    count({ team_id: team.id, state: 'new,open' }),
    count({ team_id: team.id, state: 'pending_customer,pending_internal' }),
    api.listTickets({ team_id: team.id, state: ACTIVE, sort: 'created_at', limit: oldestLimit }).catch(() => ({ items: [] as Ticket[] })),
  ])
  const loads = await mapLimit(members, 4, (u) => count({ assignee_id: u.id, state: ACTIVE }))
  const agents = members.map((user, i) => ({ user, load: loads[i] })).sort((a, b) => (b.load ?? 0) - (a.load ?? 0))
  return { team, unassigned, open, pending, oldest: oldestPage.items, agents }
}

export const useBoardStore = defineStore('board', () => {
  const boards = ref<TeamBoard[]>([])
  const loading = ref(false)
  const updatedAt = ref<Date | null>(null)
  let generation = 0

  async function load(teams: Team[], membersOf: (teamId: number) => User[]) {
    const gen = ++generation
    loading.value = !boards.value.length
    try {
      const result = await mapLimit(teams, 2, (tm) => loadTeamBoard(tm, membersOf(tm.id)))
      if (gen !== generation) return
      boards.value = result
      updatedAt.value = new Date()
    } finally {
      if (gen === generation) loading.value = false
    }
  }

  return { boards, loading, updatedAt, load }
})
