import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { api } from '@/api'
import type { User } from '@/api/types'
import { ApiError, setCsrfToken } from '@/api/client'
import { setLocale } from '@/i18n'
import { browserTimeZone, isValidTimeZone } from '@/utils/format'

// What each role may do when the server does not send `permissions`
// (the server's list always wins).
const AGENT = ['tickets.read', 'tickets.create', 'tickets.update', 'tickets.reply', 'tickets.note', 'handoffs.create', 'customers.read', 'customers.write', 'customers.pii', 'users.read']
const LEAD = [...AGENT, 'tickets.assign', 'tickets.merge', 'triage.read', 'redcases.open']
const SUPERVISOR = [...LEAD, 'tickets.read_all', 'audit.read', 'triage.manage', 'redcases.manage', 'risk.read', 'sla.manage']
const ROLE_PERMISSIONS: Record<string, string[]> = {
  agent: AGENT,
  team_lead: LEAD,
  supervisor: SUPERVISOR,
  director: [...SUPERVISOR, 'data.export'],
  qa: ['tickets.read', 'tickets.read_all', 'tickets.note', 'customers.read', 'users.read', 'triage.read', 'risk.read'],
  department_liaison: ['tickets.read', 'tickets.note', 'handoffs.answer', 'customers.read', 'users.read'],
  admin: [...SUPERVISOR, 'handoffs.answer', 'users.manage', 'teams.manage', 'departments.manage', 'categories.manage', 'data.export'],
}

export const useAuthStore = defineStore('auth', () => {
  const user = ref<User | null>(null)
  const csrfToken = ref<string | null>(null)
  /** True once we asked the server whether a session exists. */
  const checked = ref(false)
  /** Who was logged in before the session expired (their data may still be in the stores). */
  const previousUserId = ref<number | null>(null)

  const isLoggedIn = computed(() => user.value !== null)
  const permissions = computed<Set<string>>(() => {
    const u = user.value
    if (!u) return new Set()
    const list = Array.isArray(u.permissions) && u.permissions.length ? u.permissions : ROLE_PERMISSIONS[u.role] || []
    return new Set(list)
  })
  const timeZone = computed(() => {
    const tz = user.value?.time_zone
    return isValidTimeZone(tz) ? (tz as string) : browserTimeZone()
  })

  function can(perm: string | string[]): boolean {
    const list = Array.isArray(perm) ? perm : [perm]
    return list.some((p) => permissions.value.has(p))
  }

  function setSession(u: User, csrf: string | null | undefined) {
    user.value = u
    if (csrf) {
      csrfToken.value = csrf
      setCsrfToken(csrf)
    }
    if (u.language) setLocale(u.language)
  }

  async function login(username: string, password: string) {
    const res = await api.login(username, password)
    setSession(res.user, res.csrf_token)
    checked.value = true
    return res.user
  }

  /** Recover the session after a reload (cookie) — false when there is none. */
  async function restore(): Promise<boolean> {
    if (checked.value) return isLoggedIn.value
    try {
      const res = await api.me()
      const u = (res as { user?: User }).user ?? (res as unknown as User)
      setSession(u, (res as { csrf_token?: string }).csrf_token)
    } catch (e) {
      if (!(e instanceof ApiError) || (e.status !== 401 && e.status !== 403)) {
        checked.value = true
        throw e
      }
      clear()
    }
    checked.value = true
    return isLoggedIn.value
  }

  async function logout() {
    try {
      await api.logout()
    } catch {
      /* the session is dropped locally anyway */
    }
    clear()
  }

  function clear() {
    user.value = null
    csrfToken.value = null
    setCsrfToken(null)
  }

  /** The server said 401: the session is gone. */
  function expire() {
    previousUserId.value = user.value?.id ?? null
    clear()
    checked.value = true
  }

  async function updateProfile(patch: { display_name?: string; language?: string; time_zone?: string }) {
    const res = await api.updateMe(patch)
    const u = (res as { user?: User }).user ?? (res as User)
    if (u && u.id) {
      user.value = { ...user.value!, ...u }
    } else if (user.value) {
      user.value = { ...user.value, ...patch } as User
    }
    if (patch.language) setLocale(patch.language)
    return user.value
  }

  return { user, csrfToken, checked, previousUserId, isLoggedIn, permissions, timeZone, can, login, restore, logout, clear, expire, updateProfile, setSession }
})
