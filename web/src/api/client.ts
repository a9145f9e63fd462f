// Minimal fetch wrapper for the kefu API: JSON in and out, the session
// cookie (same origin) for authentication and the X-CSRF-Token header on
// every state-changing request.

export const API_BASE = '/api/v1'

export interface ApiErrorBody {
  code: string
  message: string
  field?: string
}

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly field?: string
  /** Seconds to wait before retrying (429 Retry-After), if given. */
  readonly retryAfter?: number

  constructor(status: number, body: Partial<ApiErrorBody>, retryAfter?: number) {
    super(body.message || body.code || `HTTP ${status}`)
    this.name = 'ApiError'
    this.status = status
    this.code = body.code || codeForStatus(status)
    this.field = body.field
    this.retryAfter = retryAfter
  }
}

function codeForStatus(status: number): string {
  switch (status) {
    case 0:
      return 'network_error'
    case 400:
      return 'bad_request'
    case 401:
      return 'unauthorized'
    case 403:
      return 'forbidden'
    case 404:
      return 'not_found'
    case 409:
      return 'conflict'
    case 413:
      return 'too_large'
    case 422:
      return 'validation_failed'
    case 429:
      return 'rate_limited'
    default:
      return status >= 500 ? 'server_error' : 'http_error'
  }
}

const CSRF_KEY = 'kefu.csrf'
let csrfToken: string | null = readStoredCsrf()
let unauthorizedHandler: ((err: ApiError) => void) | null = null

function readStoredCsrf(): string | null {
  try {
    return typeof sessionStorage !== 'undefined' ? sessionStorage.getItem(CSRF_KEY) : null
  } catch {
    return null
  }
}

export function setCsrfToken(token: string | null): void {
  csrfToken = token
  try {
    if (token) sessionStorage.setItem(CSRF_KEY, token)
    else sessionStorage.removeItem(CSRF_KEY)
  } catch {
    /* storage unavailable: keep it in memory only */
  }
}

export function getCsrfToken(): string | null {
  return csrfToken
}

/** Called for a 401 on any request other than the login itself. */
export function onUnauthorized(handler: ((err: ApiError) => void) | null): void {
  unauthorizedHandler = handler
}

export type Query = Record<string, string | number | boolean | null | undefined>

export function buildQuery(query?: Query): string {
  if (!query) return ''
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue
    params.set(k, String(v))
  }
  const s = params.toString()
  return s ? `?${s}` : ''
}

export interface RequestOptions {
  query?: Query
  body?: unknown
  /** A body sent as it is (e.g. an iCalendar file), with its content type. */
  text?: { body: string; contentType: string }
  signal?: AbortSignal
  /** Do not call the global 401 handler (used by login and the session probe). */
  quiet401?: boolean
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  const init: RequestInit = { method, headers, credentials: 'same-origin', signal: opts.signal }
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(opts.body)
  } else if (opts.text) {
    headers['Content-Type'] = opts.text.contentType
    init.body = opts.text.body
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) {
    headers['X-CSRF-Token'] = csrfToken
  }
  let res: Response
  try {
    res = await fetch(API_BASE + path + buildQuery(opts.query), init)
  } catch (e) {
    if ((e as Error)?.name === 'AbortError') throw e
    throw new ApiError(0, { code: 'network_error', message: String((e as Error)?.message || e) })
  }
  if (res.status === 204) return undefined as T
  const text = await res.text()
  let data: unknown = undefined
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = undefined
    }
  }
  if (!res.ok) {
    const body = (data as { error?: Partial<ApiErrorBody> } | undefined)?.error || {}
    const ra = res.headers.get('Retry-After')
    const retryAfter = ra !== null && ra !== '' && !isNaN(Number(ra)) ? Number(ra) : undefined
    const err = new ApiError(res.status, body, retryAfter)
    if (res.status === 401 && !opts.quiet401 && unauthorizedHandler) unauthorizedHandler(err)
    throw err
  }
  return data as T
}

export const http = {
  get: <T>(path: string, query?: Query, opts: Omit<RequestOptions, 'query'> = {}) =>
    request<T>('GET', path, { ...opts, query }),
  post: <T>(path: string, body?: unknown, opts: RequestOptions = {}) =>
    request<T>('POST', path, { ...opts, body: body ?? {} }),
  patch: <T>(path: string, body: unknown, opts: RequestOptions = {}) =>
    request<T>('PATCH', path, { ...opts, body }),
  del: <T>(path: string, opts: RequestOptions = {}) => request<T>('DELETE', path, opts),
}
