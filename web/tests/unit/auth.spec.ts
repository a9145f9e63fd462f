import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { useAuthStore } from '@/stores/auth'
import { getCsrfToken, setCsrfToken } from '@/api/client'
import { i18n, setLocale } from '@/i18n'
import { freshPinia, mockFetch } from './helpers'

const user = {
  id: 7,
  username: 'li.na',
  display_name: '李娜',
  role: 'agent',
  team_ids: [1],
  department_id: null,
  language: 'en',
  time_zone: 'Asia/Shanghai',
  permissions: ['tickets.read', 'tickets.reply'],
}

describe('auth store', () => {
  beforeEach(() => {
    freshPinia()
    setLocale('zh-CN')
    setCsrfToken(null)
  })
  afterEach(() => vi.unstubAllGlobals())

  it('logs in, keeps the CSRF token and follows the user language', async () => {
    const { calls } = mockFetch((c) => (c.url === '/api/v1/auth/login' ? { body: { token: 'tok', csrf_token: 'csrf-1', user } } : undefined))
    const auth = useAuthStore()
    await auth.login('li.na', 'secret')
    expect(calls[0].body).toEqual({ username: 'li.na', password: 'secret' })
    expect(auth.isLoggedIn).toBe(true)
    expect(getCsrfToken()).toBe('csrf-1')
    expect(i18n.global.locale.value).toBe('en')
    expect(auth.timeZone).toBe('Asia/Shanghai')
    expect(auth.can('tickets.reply')).toBe(true)
    expect(auth.can('users.manage')).toBe(false)
    expect(auth.can(['users.manage', 'tickets.read'])).toBe(true)
  })

  it('restores the session from /auth/me after a reload', async () => {
    mockFetch((c) => (c.url === '/api/v1/auth/me' ? { body: { user: { ...user, language: 'zh-CN' }, csrf_token: 'csrf-2' } } : undefined))
    const auth = useAuthStore()
    expect(await auth.restore()).toBe(true)
    expect(auth.user?.display_name).toBe('李娜')
    expect(getCsrfToken()).toBe('csrf-2')
  })

  it('treats 401 from /auth/me as logged out', async () => {
    mockFetch(() => ({ status: 401, body: { error: { code: 'unauthorized', message: 'no session' } } }))
    const auth = useAuthStore()
    expect(await auth.restore()).toBe(false)
    expect(auth.checked).toBe(true)
    expect(auth.isLoggedIn).toBe(false)
  })

  it('shows wrong passwords as ApiError invalid_credentials', async () => {
    mockFetch(() => ({ status: 401, body: { error: { code: 'invalid_credentials', message: 'wrong username or password' } } }))
    const auth = useAuthStore()
    const err = await auth.login('x', 'y').catch((e) => e)
    expect(err.code).toBe('invalid_credentials')
    expect(auth.isLoggedIn).toBe(false)
  })

  it('falls back to role permissions when the server sends none', () => {
    const auth = useAuthStore()
    auth.setSession({ ...user, role: 'admin', permissions: [] } as never, 'c')
    expect(auth.can('users.manage')).toBe(true)
    auth.setSession({ ...user, role: 'agent', permissions: undefined } as never, 'c')
    expect(auth.can('users.manage')).toBe(false)
    expect(auth.can('tickets.reply')).toBe(true)
  })

  it('logout clears the session even when the server fails', async () => {
    mockFetch((c) => (c.url.endsWith('/auth/login') ? { body: { csrf_token: 'c', user } } : { status: 500, body: {} }))
    const auth = useAuthStore()
    await auth.login('a', 'b')
    await auth.logout()
    expect(auth.isLoggedIn).toBe(false)
    expect(getCsrfToken()).toBeNull()
  })

  it('saves the profile and switches language', async () => {
    const { calls } = mockFetch((c) => {
      if (c.url.endsWith('/auth/login')) return { body: { csrf_token: 'c', user: { ...user, language: 'zh-CN' } } }
      if (c.method === 'PATCH') return { body: { user: { ...user, display_name: 'Lina', language: 'en', time_zone: 'UTC' } } }
      return undefined
    })
    const auth = useAuthStore()
    await auth.login('a', 'b')
    await auth.updateProfile({ display_name: 'Lina', language: 'en', time_zone: 'UTC' })
    expect(calls[1].url).toBe('/api/v1/auth/me')
    expect(calls[1].headers['X-CSRF-Token']).toBe('c')
    expect(auth.user?.display_name).toBe('Lina')
    expect(auth.timeZone).toBe('UTC')
    expect(i18n.global.locale.value).toBe('en')
    setLocale('zh-CN')
  })
})

import { createAppRouter } from '@/router'
describe('landing page', () => {
  beforeEach(() => freshPinia())
  afterEach(() => vi.unstubAllGlobals())
  const as = async (role: string, permissions: string[]) => {
    mockFetch((c) => (c.url === '/api/v1/auth/me' ? { body: { user: { ...user, role, permissions }, csrf_token: 'c' } } : { body: { items: [] } }))
    const router = createAppRouter()
    await router.push('/')
    return router.currentRoute.value.fullPath
  }
  it('depends on what the role is for', async () => {
    expect(await as('agent', ['tickets.read', 'tickets.create'])).toBe('/queue/mine')
    freshPinia()
    expect(await as('department_liaison', ['tickets.read', 'tickets.note', 'handoffs.answer'])).toBe('/handoffs')
    freshPinia()
    expect(await as('qa', ['tickets.read', 'tickets.read_all', 'tickets.note'])).toBe('/queue/all')
    freshPinia()
    mockFetch(() => ({ status: 401, body: { error: { code: 'unauthenticated', message: 'x' } } }))
    const router = createAppRouter()
    await router.push('/tickets/5')
    expect(router.currentRoute.value.fullPath).toBe('/login?redirect=/tickets/5')
  })
})
