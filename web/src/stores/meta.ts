// Reference data shared by many screens: states, teams, departments,
// categories and users. Loaded once, refreshed on demand.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api } from '@/api'
import type { Category, Department, StateDef, Team, User } from '@/api/types'
import { currentLocale } from '@/i18n'

async function collectUsers(): Promise<User[]> {
  const out: User[] = []
  let cursor: string | undefined
  for (let i = 0; i < 20; i++) {
    const page = await api.users({ limit: 500, cursor })
    out.push(...page.items)
    if (!page.next_cursor) break
    cursor = page.next_cursor
  }
  return out
}

export const useMetaStore = defineStore('meta', () => {
  const states = ref<StateDef[]>([])
  const teams = ref<Team[]>([])
  const departments = ref<Department[]>([])
  const categories = ref<Category[]>([])
  const users = ref<User[]>([])
  const loaded = ref<Record<string, boolean>>({})
  const inflight: Record<string, Promise<void> | undefined> = {}

  function once(key: string, fn: () => Promise<void>, force = false): Promise<void> {
    if (!force && loaded.value[key]) return Promise.resolve()
    if (!force && inflight[key]) return inflight[key]!
    const p = fn()
      .then(() => {
        loaded.value = { ...loaded.value, [key]: true }
      })
      .catch(() => {
        /* a screen without the permission simply gets an empty list */
      })
      .finally(() => {
        inflight[key] = undefined
      })
    inflight[key] = p
    return p
  }

  const loadStates = (force = false) => once('states', async () => { states.value = (await api.states()).items }, force)
  const loadTeams = (force = false) => once('teams', async () => { teams.value = (await api.teams()).items }, force)
  const loadDepartments = (force = false) =>
    once('departments', async () => { departments.value = (await api.departments()).items }, force)
  const loadCategories = (force = false) =>
    once('categories', async () => { categories.value = (await api.categories()).items }, force)
  const loadUsers = (force = false) => once('users', async () => { users.value = await collectUsers() }, force)

  function loadAll() {
    return Promise.all([loadStates(), loadTeams(), loadDepartments(), loadCategories(), loadUsers()])
  }

  const teamById = computed(() => new Map(teams.value.map((t) => [t.id, t])))
  const userById = computed(() => new Map(users.value.map((u) => [u.id, u])))
  const categoryByKey = computed(() => new Map(categories.value.map((c) => [c.key, c])))
  const departmentByKey = computed(() => new Map(departments.value.map((d) => [d.key, d])))

  function localName(o: { name: string; name_en?: string | null } | undefined | null): string {
    if (!o) return ''
    return currentLocale() === 'en' && o.name_en ? o.name_en : o.name
  }

  function categoryName(key: string | null | undefined): string {
    if (!key) return ''
    const c = categoryByKey.value.get(key)
    return c ? localName(c) : key
  }

  function departmentName(key: string | null | undefined, fallback?: string | null): string {
    if (!key) return fallback || ''
    const d = departmentByKey.value.get(key)
    return d ? localName(d) : fallback || key
  }

  function teamName(id: number | null | undefined, fallback?: string | null): string {
    if (id === null || id === undefined) return fallback || ''
    return teamById.value.get(id)?.name || fallback || `#${id}`
  }

  function userName(id: number | null | undefined, fallback?: string | null): string {
    if (id === null || id === undefined) return fallback || ''
    const u = userById.value.get(id)
    return u ? u.display_name || u.username : fallback || `#${id}`
  }

  function usersOfTeam(teamId: number): User[] {
    return users.value.filter((u) => !u.disabled && (u.team_ids || []).includes(teamId))
  }

  return {
    states,
    teams,
    departments,
    categories,
    users,
    loaded,
    loadStates,
    loadTeams,
    loadDepartments,
    loadCategories,
    loadUsers,
    loadAll,
    teamById,
    userById,
    categoryByKey,
    localName,
    categoryName,
    departmentName,
    teamName,
    userName,
    usersOfTeam,
  }
})
