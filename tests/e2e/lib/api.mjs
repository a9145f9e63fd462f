// A small JSON client for setting up e2e data through the kefu API, using the
// session cookie and CSRF token the same way the web app does.
export class Api {
  constructor(base) {
    this.base = base
    this.cookie = ''
    this.csrf = ''
    this.user = null
  }

  async login(username, password) {
    const res = await fetch(`${this.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password }),
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`login ${username}: HTTP ${res.status} ${text}`)
    const body = JSON.parse(text)
    const set = res.headers.getSetCookie ? res.headers.getSetCookie() : [res.headers.get('set-cookie') || '']
    const session = set.map((c) => c.split(';')[0]).find((c) => c.startsWith('kefu_session='))
    this.cookie = session || ''
    this.token = body.token
    this.csrf = body.csrf_token
    this.user = body.user
    return body
  }

  async call(method, p, body) {
    const headers = { Accept: 'application/json' }
    if (this.cookie) headers.Cookie = this.cookie
    else if (this.token) headers.Authorization = `Bearer ${this.token}`
    if (method !== 'GET') headers['X-CSRF-Token'] = this.csrf
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    const res = await fetch(`${this.base}/api/v1${p}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    const text = await res.text()
    if (!res.ok) {
      const err = new Error(`${method} ${p}: HTTP ${res.status} ${text.slice(0, 300)}`)
      err.status = res.status
      throw err
    }
    return text ? JSON.parse(text) : undefined
  }

  get(p) {
    return this.call('GET', p)
  }
  post(p, body = {}) {
    return this.call('POST', p, body)
  }
  patch(p, body) {
    return this.call('PATCH', p, body)
  }
}
