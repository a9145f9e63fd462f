import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError, buildQuery, http, onUnauthorized, setCsrfToken, getCsrfToken } from '@/api/client'
import { mockFetch } from './helpers'

describe('api client', () => {
  beforeEach(() => {
    setCsrfToken('csrf-123')
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    onUnauthorized(null)
    setCsrfToken(null)
  })

  it('sends the CSRF token on writes only', async () => {
    const { calls } = mockFetch(() => ({ body: { ok: true } }))
    await http.get('/tickets', { state: 'new,open', limit: 5, q: '' })
    await http.post('/tickets', { subject: 'x' })
    await http.patch('/tickets/1', { priority: 'high' })
    expect(calls[0].url).toBe('/api/v1/tickets?state=new%2Copen&limit=5')
    expect(calls[0].headers['X-CSRF-Token']).toBeUndefined()
    expect(calls[1].headers['X-CSRF-Token']).toBe('csrf-123')
    expect(calls[1].headers['Content-Type']).toBe('application/json')
    expect(calls[1].body).toEqual({ subject: 'x' })
    expect(calls[2].method).toBe('PATCH')
    expect(calls[2].headers['X-CSRF-Token']).toBe('csrf-123')
  })

  it('keeps the CSRF token in sessionStorage for reloads', () => {
    setCsrfToken('abc')
    expect(sessionStorage.getItem('kefu.csrf')).toBe('abc')
    expect(getCsrfToken()).toBe('abc')
    setCsrfToken(null)
    expect(sessionStorage.getItem('kefu.csrf')).toBeNull()
  })

  it('turns error bodies into ApiError with code and field', async () => {
    mockFetch(() => ({ status: 422, body: { error: { code: 'validation_failed', message: 'subject is required', field: 'subject' } } }))
    const err = await http.post('/tickets', {}).catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(422)
    expect(err.code).toBe('validation_failed')
    expect(err.field).toBe('subject')
    expect(err.message).toBe('subject is required')
  })

  it('reads Retry-After on 429', async () => {
    mockFetch(() => ({ status: 429, body: { error: { code: 'rate_limited', message: 'slow down' } }, headers: { 'Retry-After': '42' } }))
    const err = await http.post('/auth/login', {}, { quiet401: true }).catch((e) => e)
    expect(err.code).toBe('rate_limited')
    expect(err.retryAfter).toBe(42)
  })

  it('calls the 401 handler except for quiet requests', async () => {
    mockFetch(() => ({ status: 401, body: { error: { code: 'unauthorized', message: 'no session' } } }))
    const handler = vi.fn()
    onUnauthorized(handler)
    await http.get('/tickets').catch(() => {})
    expect(handler).toHaveBeenCalledTimes(1)
    await http.post('/auth/login', {}, { quiet401: true }).catch(() => {})
    expect(handler).toHaveBeenCalledTimes(1)
  })

  it('maps a body without error JSON to a code by status', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response('oops', { status: 503 })))
    const err = await http.get('/x').catch((e) => e)
    expect(err.code).toBe('server_error')
  })

  it('reports network failures as status 0', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch') }))
    const err = await http.get('/x').catch((e) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err.status).toBe(0)
    expect(err.code).toBe('network_error')
  })

  it('handles 204 without a body', async () => {
    mockFetch(() => ({ status: 204 }))
    await expect(http.post('/auth/logout')).resolves.toBeUndefined()
  })

  it('builds queries without empty values', () => {
    expect(buildQuery({ a: 1, b: '', c: null, d: undefined, e: 'x y' })).toBe('?a=1&e=x+y')
    expect(buildQuery({})).toBe('')
  })
})
