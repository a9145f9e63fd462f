#!/usr/bin/env node
// A small in-memory stand-in for the kefu API, for developing the web app and
// its e2e runner while the C++ server is not at hand. It follows the API
// described in src/api/openapi.yaml closely enough for the screens; the real
// tests run against kefu itself.
//
//   node tests/e2e/mock-server.mjs --listen 127.0.0.1:18090 --web web/dist --tickets 2000
//   (admin / admin-pass-123)
import http from 'node:http'
import crypto from 'node:crypto'
import { readFileSync, existsSync, statSync } from 'node:fs'
import path from 'node:path'

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
)
const [host, port] = (args.listen || '127.0.0.1:18090').split(':')
const WEB = args.web ? path.resolve(args.web) : ''
const N = Number(args.tickets || 300)

// ---------------------------------------------------------------- data
const now = () => new Date()
const iso = (d) => (d ? new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z') : null)
let seq = 1000
const nextId = () => ++seq

// Role permissions as in docs/permissions.md.
const AGENT = ['tickets.read', 'tickets.create', 'tickets.update', 'tickets.reply', 'tickets.note', 'handoffs.create', 'customers.read', 'customers.write', 'customers.pii', 'users.read']
const LEAD = [...AGENT, 'tickets.assign', 'tickets.merge']
const SUPERVISOR = [...LEAD, 'tickets.read_all', 'audit.read']
const PERMS = {
  agent: AGENT,
  team_lead: LEAD,
  supervisor: SUPERVISOR,
  director: [...SUPERVISOR, 'data.export'],
  qa: ['tickets.read', 'tickets.read_all', 'tickets.note', 'customers.read', 'users.read'],
  department_liaison: ['tickets.read', 'tickets.note', 'handoffs.answer', 'customers.read', 'users.read'],
  admin: [...SUPERVISOR, 'handoffs.answer', 'users.manage', 'teams.manage', 'departments.manage', 'categories.manage', 'data.export'],
}
const STATES = [
  { id: 1, name: '新建', name_en: 'New', type: 'new' },
  { id: 2, name: '处理中', name_en: 'Open', type: 'open' },
  { id: 3, name: '待客户回复', name_en: 'Waiting on customer', type: 'pending_customer' },
  { id: 4, name: '待内部处理', name_en: 'Waiting internally', type: 'pending_internal' },
  { id: 5, name: '已解决', name_en: 'Resolved', type: 'resolved' },
  { id: 6, name: '已关闭', name_en: 'Closed', type: 'closed' },
  { id: 7, name: '已合并', name_en: 'Merged', type: 'merged' },
]
const FLOW = { new: ['open', 'pending_customer', 'pending_internal', 'resolved', 'closed'], open: ['pending_customer', 'pending_internal', 'resolved', 'closed'], pending_customer: ['open', 'resolved', 'closed'], pending_internal: ['open', 'resolved', 'closed'], resolved: ['open', 'closed'], closed: [], merged: [] }

const db = { users: [], teams: [], departments: [], categories: [], customers: [], tickets: [], audit: [], sessions: new Map() }
const pw = new Map()

function addUser(u, password) {
  const user = { id: nextId(), department_id: null, team_ids: [], language: 'zh-CN', time_zone: 'Asia/Shanghai', disabled: false, created_at: iso(now()), ...u }
  db.users.push(user)
  pw.set(user.username, password)
  return user
}

function seed() {
  db.teams = [
    { id: 1, name: '华东一组', region: '华东' },
    { id: 2, name: '华南组', region: '华南' },
    { id: 3, name: '东南亚组', region: 'SEA' },
  ]
  db.departments = [
    { id: 1, key: 'product', name: '产品部', name_en: 'Product' },
    { id: 2, key: 'logistics', name: '物流部', name_en: 'Logistics' },
    { id: 3, key: 'tech', name: '技术部', name_en: 'Technology' },
    { id: 4, key: 'sales', name: '销售部', name_en: 'Sales' },
  ]
  db.categories = [
    { id: 1, key: 'product', name: '产品问题', name_en: 'Product issue', parent_id: null, active: true },
    { id: 2, key: 'product.quality', name: '质量缺陷', name_en: 'Quality defect', parent_id: 1, active: true },
    { id: 3, key: 'service', name: '服务态度', name_en: 'Service attitude', parent_id: null, active: true },
    { id: 4, key: 'process', name: '流程障碍', name_en: 'Process obstacle', parent_id: null, active: true },
    { id: 5, key: 'delivery', name: '物流配送', name_en: 'Delivery', parent_id: null, active: true },
    { id: 6, key: 'billing', name: '计费退款', name_en: 'Billing & refunds', parent_id: null, active: true },
  ]
  addUser({ username: 'admin', display_name: '系统管理员', role: 'admin' }, 'admin-pass-123')
  const names = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨磊', '赵敏', '黄强', '周婷']
  names.forEach((n, i) => addUser({ username: `agent${i + 1}`, display_name: n, role: i % 4 === 3 ? 'team_lead' : 'agent', team_ids: [(i % 3) + 1] }, 'agent-pass-123'))
  addUser({ username: 'sup1', display_name: '孙主管', role: 'supervisor', team_ids: [1, 2, 3] }, 'sup-pass-123')
  addUser({ username: 'wuliu', display_name: '物流对接人', role: 'department_liaison', department_id: 2 }, 'liaison-pass-123')
  const surnames = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨'
  for (let i = 0; i < 400; i++) {
    db.customers.push({ id: i + 1, name: `${surnames[i % surnames.length]}${['先生', '女士'][i % 2]}${i}`, phone: `1380000${String(i).padStart(4, '0')}`, email: `c${i}@example.com`, external_id: null, tier: i % 11 === 0 ? 'vip' : i % 7 === 0 ? 'enterprise' : 'regular', region: ['上海', '广州', '曼谷', '雅加达'][i % 4], language: i % 4 > 1 ? 'en' : 'zh-CN', time_zone: 'Asia/Shanghai', organization: null, created_at: iso(now()) })
  }
  const subjects = ['快递三天未送达', '收到的商品有破损', '退款迟迟未到账', '客服态度恶劣', '无法取消订单', '发票开错了', '会员积分丢失', 'App 登录一直失败', '安装师傅迟到两小时', '价格与宣传不符']
  const channels = ['phone', 'email', 'web', 'chat', 'social', 'messaging', 'app']
  const agents = db.users.filter((u) => u.role === 'agent' || u.role === 'team_lead')
  for (let i = 0; i < N; i++) {
    const created = new Date(Date.now() - (N - i) * 9 * 60000)
    const st = STATES[[0, 1, 1, 2, 3, 4, 5][i % 7]]
    const team = (i % 3) + 1
    const members = agents.filter((a) => a.team_ids.includes(team))
    const t = newTicket({
      subject: `${subjects[i % subjects.length]}（${i + 1}）`,
      description: '客户来电反映问题，需要尽快处理。',
      channel: channels[i % channels.length],
      customer_id: db.customers[i % db.customers.length].id,
      category: db.categories[i % db.categories.length].key,
      severity: ['normal', 'severe', 'normal', 'suggestion'][i % 4],
      priority: ['normal', 'high', 'urgent', 'low', 'normal'][i % 5],
      team_id: team,
      assignee_id: i % 5 === 0 ? null : members[i % members.length].id,
      created_at: iso(created),
    })
    t.state = st.type
    t.state_id = st.id
    t.messages.push({ id: nextId(), kind: 'reply', author_kind: 'customer', author_id: null, author_name: db.customers.find((c) => c.id === t.customer_id).name, channel: t.channel, body: t.description, call_direction: null, call_duration_seconds: null, created_at: t.created_at })
  }
}

function newTicket(f) {
  const id = db.tickets.length + 1
  const created = f.created_at || iso(now())
  const d = created.slice(0, 10).replace(/-/g, '')
  const t = {
    id,
    number: `${d}-${String(id).padStart(5, '0')}`,
    subject: f.subject,
    description: f.description || '',
    channel: f.channel || 'phone',
    source_ref: f.source_ref || null,
    state: 'new',
    state_id: 1,
    customer_id: f.customer_id,
    category: f.category || null,
    severity: f.severity || 'normal',
    priority: f.priority || 'normal',
    team_id: f.team_id ?? null,
    assignee_id: f.assignee_id ?? null,
    tags: f.tags || [],
    collaborator_ids: [],
    reopen_count: 0,
    merged_into_id: null,
    created_at: created,
    updated_at: created,
    first_response_at: null,
    resolved_at: null,
    closed_at: null,
    messages: [],
    events: [{ id: nextId(), at: created, actor_id: null, actor_name: null, type: 'created', field: '', from: '', to: '' }],
    handoffs: [],
    links: [],
  }
  db.tickets.push(t)
  return t
}

const userById = (id) => db.users.find((u) => u.id === id)
const stateName = (type) => STATES.find((s) => s.type === type)

function ticketJson(t) {
  const s = STATES.find((x) => x.id === t.state_id)
  const c = db.customers.find((x) => x.id === t.customer_id)
  const team = db.teams.find((x) => x.id === t.team_id)
  const { messages, events, handoffs, links, ...rest } = t
  return {
    ...rest,
    state_name: s.name,
    state_name_en: s.name_en,
    customer: c || null,
    team_name: team ? team.name : null,
    assignee_name: t.assignee_id ? userById(t.assignee_id)?.display_name : null,
    waiting_on: handoffs.filter((h) => h.state === 'open').map((h) => ({ handoff_id: h.id, department: h.department, department_name: h.department_name, owner_id: h.owner_id, due_at: h.due_at })),
    allowed_transitions: FLOW[t.state].map((ty) => {
      const x = stateName(ty)
      return { state_id: x.id, state: x.type, name: x.name, name_en: x.name_en }
    }),
  }
}
const detailJson = (t) => ({ ...ticketJson(t), messages: t.messages, events: t.events, handoffs: t.handoffs, links: t.links })

function event(t, user, type, field = '', from = '', to = '') {
  t.events.push({ id: nextId(), at: iso(now()), actor_id: user?.id ?? null, actor_name: user?.display_name ?? null, type, field, from: String(from ?? ''), to: String(to ?? '') })
}

// ---------------------------------------------------------------- realtime
const sockets = new Set()
function wsSend(sock, obj) {
  const data = Buffer.from(JSON.stringify(obj))
  let header
  if (data.length < 126) header = Buffer.from([0x81, data.length])
  else if (data.length < 65536) {
    header = Buffer.alloc(4)
    header[0] = 0x81
    header[1] = 126
    header.writeUInt16BE(data.length, 2)
  } else {
    header = Buffer.alloc(10)
    header[0] = 0x81
    header[1] = 127
    header.writeBigUInt64BE(BigInt(data.length), 2)
  }
  try {
    sock.write(Buffer.concat([header, data]))
  } catch {
    /* closed */
  }
}
function broadcast(type, t) {
  const msg = { type, ticket: { id: t.id, number: t.number, team_id: t.team_id, assignee_id: t.assignee_id, state: t.state, updated_at: t.updated_at } }
  for (const s of sockets) wsSend(s, msg)
}
function presence(ticketId) {
  const users = [...sockets].filter((s) => s.kefu.viewing === ticketId).map((s) => ({ id: s.kefu.user.id, name: s.kefu.user.display_name, composing: s.kefu.composing }))
  for (const s of sockets) if (s.kefu.viewing === ticketId) wsSend(s, { type: 'presence', ticket_id: ticketId, users })
}
function onWsMessage(sock, text) {
  let m
  try {
    m = JSON.parse(text)
  } catch {
    return
  }
  const prev = sock.kefu.viewing
  if (m.type === 'viewing') {
    sock.kefu.viewing = m.ticket_id
    sock.kefu.composing = !!m.composing
    if (prev && prev !== m.ticket_id) presence(prev)
    presence(m.ticket_id)
  } else if (m.type === 'left' && prev === m.ticket_id) {
    sock.kefu.viewing = null
    presence(prev)
  }
}
function upgrade(req, sock) {
  const user = sessionUser(req)
  if (!user || req.url !== '/api/v1/ws') {
    sock.end('HTTP/1.1 401 Unauthorized\r\n\r\n')
    return
  }
  const accept = crypto.createHash('sha1').update(req.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64')
  sock.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`)
  sock.kefu = { user, viewing: null, composing: false }
  sockets.add(sock)
  let buf = Buffer.alloc(0)
  sock.on('data', (chunk) => {
    buf = Buffer.concat([buf, chunk])
    for (;;) {
      if (buf.length < 2) return
      const op = buf[0] & 0x0f
      let len = buf[1] & 0x7f
      let off = 2
      if (len === 126) {
        if (buf.length < 4) return
        len = buf.readUInt16BE(2)
        off = 4
      } else if (len === 127) {
        if (buf.length < 10) return
        len = Number(buf.readBigUInt64BE(2))
        off = 10
      }
      const masked = buf[1] & 0x80
      const need = off + (masked ? 4 : 0) + len
      if (buf.length < need) return
      let payload = buf.subarray(off + (masked ? 4 : 0), need)
      if (masked) {
        const mask = buf.subarray(off, off + 4)
        payload = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]))
      }
      buf = buf.subarray(need)
      if (op === 8) {
        sock.end()
        return
      }
      if (op === 9) sock.write(Buffer.from([0x8a, 0]))
      if (op === 1) onWsMessage(sock, payload.toString('utf8'))
    }
  })
  const gone = () => {
    if (!sockets.delete(sock)) return
    if (sock.kefu.viewing) presence(sock.kefu.viewing)
  }
  sock.on('close', gone)
  sock.on('error', gone)
}

// ---------------------------------------------------------------- http
class HttpError extends Error {
  constructor(status, code, message, field) {
    super(message)
    this.status = status
    this.code = code
    this.field = field
  }
}
const fail = (status, code, message, field) => {
  throw new HttpError(status, code, message, field)
}

function sessionUser(req) {
  const m = /(?:^|;\s*)kefu_session=([^;]+)/.exec(req.headers.cookie || '')
  const s = m && db.sessions.get(m[1])
  return s ? userById(s.userId) : null
}
const me = (u) => ({ ...u, permissions: PERMS[u.role] || [] })
function need(u, perm) {
  if (!PERMS[u.role].includes(perm)) fail(403, 'forbidden', `missing permission ${perm}`)
}

const failures = new Map()
const routes = []
const route = (method, pattern, fn, pub = false) => routes.push({ method, re: new RegExp(`^${pattern.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`), fn, pub })

route('POST', '/api/v1/auth/login', ({ body, res, req }) => {
  const ip = req.socket.remoteAddress
  const f = failures.get(ip) || { n: 0, until: 0 }
  if (f.until > Date.now()) fail(429, 'rate_limited', 'too many attempts', undefined, res.setHeader('Retry-After', String(Math.ceil((f.until - Date.now()) / 1000))))
  const u = db.users.find((x) => x.username === body.username)
  if (!u || pw.get(u.username) !== body.password || u.disabled) {
    f.n++
    if (f.n >= 10) f.until = Date.now() + 60000
    failures.set(ip, f)
    fail(401, 'invalid_credentials', 'wrong username or password')
  }
  failures.delete(ip)
  const token = crypto.randomBytes(16).toString('hex')
  const csrf = crypto.randomBytes(16).toString('hex')
  db.sessions.set(token, { userId: u.id, csrf })
  res.setHeader('Set-Cookie', `kefu_session=${token}; Path=/; HttpOnly; SameSite=Strict`)
  return { token, csrf_token: csrf, user: me(u) }
}, true)
route('POST', '/api/v1/auth/logout', ({ res, token }) => {
  db.sessions.delete(token)
  res.setHeader('Set-Cookie', 'kefu_session=; Path=/; Max-Age=0')
  return null
})
route('GET', '/api/v1/auth/me', ({ user, session }) => ({ user: me(user), csrf_token: session.csrf }))
route('PATCH', '/api/v1/auth/me', ({ user, body }) => {
  for (const k of ['display_name', 'language', 'time_zone']) if (body[k] !== undefined) user[k] = body[k]
  return { user: me(user) }
})
route('GET', '/api/v1/states', () => ({ items: STATES }))

function listTickets(q, user) {
  let items = db.tickets
  if (q.state) {
    const s = q.state.split(',')
    items = items.filter((t) => s.includes(t.state))
  }
  if (q.team_id) items = items.filter((t) => t.team_id === Number(q.team_id))
  if (q.assignee_id === 'me') items = items.filter((t) => t.assignee_id === user.id)
  else if (q.assignee_id === 'none') items = items.filter((t) => !t.assignee_id)
  else if (q.assignee_id) items = items.filter((t) => t.assignee_id === Number(q.assignee_id))
  for (const k of ['channel', 'severity', 'priority', 'category']) if (q[k]) items = items.filter((t) => t[k] === q[k])
  if (q.customer_id) items = items.filter((t) => t.customer_id === Number(q.customer_id))
  if (q.q) items = items.filter((t) => t.subject.includes(q.q))
  const sort = q.sort || '-updated_at'
  const pr = { urgent: 0, high: 1, normal: 2, low: 3 }
  const key = sort.replace('-', '')
  items = [...items].sort((a, b) => {
    if (sort === 'priority') return pr[a.priority] - pr[b.priority] || b.id - a.id
    const c = a[key].localeCompare(b[key]) || a.id - b.id
    return sort.startsWith('-') ? -c : c
  })
  const limit = Math.min(200, Number(q.limit || 50))
  const off = Number(q.cursor || 0)
  const page = items.slice(off, off + limit)
  const out = { items: page.map(ticketJson), next_cursor: off + limit < items.length ? String(off + limit) : null }
  if (q.with_total === '1') out.total = items.length
  return out
}
route('GET', '/api/v1/tickets', ({ query, user }) => listTickets(query, user))
const getTicket = (id) => db.tickets.find((t) => t.id === Number(id)) || fail(404, 'not_found', `complaint ${id} not found`)
route('GET', '/api/v1/tickets/{id}', ({ params }) => detailJson(getTicket(params.id)))
route('POST', '/api/v1/tickets', ({ body, user, res }) => {
  need(user, 'tickets.create')
  if (!body.subject || !String(body.subject).trim()) fail(422, 'validation_failed', 'subject is required', 'subject')
  let customer
  if (body.customer?.id) customer = db.customers.find((c) => c.id === body.customer.id) || fail(422, 'validation_failed', 'unknown customer', 'customer.id')
  else {
    customer = { id: db.customers.length + 1, name: body.customer?.name || '', phone: body.customer?.phone || null, email: body.customer?.email || null, external_id: null, tier: body.customer?.tier || 'regular', region: body.customer?.region || '', language: body.customer?.language || 'zh-CN', time_zone: 'Asia/Shanghai', organization: null, created_at: iso(now()) }
    db.customers.push(customer)
  }
  const t = newTicket({ ...body, customer_id: customer.id })
  if (t.assignee_id) {
    t.state = 'open'
    t.state_id = 2
  }
  res.statusCode = 201
  broadcast('ticket.created', t)
  return ticketJson(t)
})
route('PATCH', '/api/v1/tickets/{id}', ({ params, body, user }) => {
  need(user, 'tickets.update')
  const t = getTicket(params.id)
  for (const k of ['subject', 'category', 'severity', 'priority', 'team_id', 'assignee_id', 'tags', 'collaborator_ids']) {
    if (body[k] === undefined) continue
    const from = t[k]
    t[k] = body[k]
    if (k === 'assignee_id') event(t, user, 'field_changed', 'assignee', userById(from)?.username || '', userById(body[k])?.username || '')
    else if (k === 'team_id') event(t, user, 'field_changed', 'team', db.teams.find((x) => x.id === from)?.name || '', db.teams.find((x) => x.id === body[k])?.name || '')
    else event(t, user, 'field_changed', k.replace('_ids', 's'), Array.isArray(from) ? from.join(',') : from, Array.isArray(body[k]) ? body[k].join(',') : body[k])
  }
  t.updated_at = iso(now())
  broadcast('ticket.updated', t)
  return detailJson(t)
})
route('POST', '/api/v1/tickets/{id}/transitions', ({ params, body, user }) => {
  need(user, 'tickets.update')
  const t = getTicket(params.id)
  const target = body.state_id ? STATES.find((s) => s.id === body.state_id) : stateName(body.state)
  if (!target || !FLOW[t.state].includes(target.type)) fail(409, 'invalid_transition', 'not allowed')
  if (t.state === 'resolved' && target.type === 'open') {
    t.reopen_count++
    event(t, user, 'reopened')
  }
  event(t, user, 'state_changed', 'state', t.state, target.type)
  t.state = target.type
  t.state_id = target.id
  if (target.type === 'resolved') t.resolved_at = iso(now())
  t.updated_at = iso(now())
  broadcast('ticket.updated', t)
  return detailJson(t)
})
route('POST', '/api/v1/tickets/{id}/messages', ({ params, body, user, res }) => {
  need(user, body.kind === 'note' ? 'tickets.note' : 'tickets.reply')
  const t = getTicket(params.id)
  if (!body.body || !String(body.body).trim()) fail(422, 'validation_failed', 'body is required', 'body')
  const m = { id: nextId(), ticket_id: t.id, kind: body.kind, author_kind: 'agent', author_id: user.id, author_name: user.display_name, channel: body.channel || t.channel, body: body.body, call_direction: body.call_direction || null, call_duration_seconds: body.call_duration_seconds || null, created_at: iso(now()) }
  t.messages.push(m)
  if (body.kind === 'reply' && !t.first_response_at) t.first_response_at = m.created_at
  if (body.kind === 'reply' && t.state === 'new') {
    event(t, user, 'state_changed', 'state', 'new', 'open')
    t.state = 'open'
    t.state_id = 2
  }
  t.updated_at = m.created_at
  res.statusCode = 201
  broadcast('ticket.updated', t)
  return m
})
route('POST', '/api/v1/tickets/{id}/handoffs', ({ params, body, user, res }) => {
  need(user, 'handoffs.create')
  const t = getTicket(params.id)
  const d = db.departments.find((x) => x.key === body.department) || fail(422, 'validation_failed', 'unknown department', 'department')
  if (!body.question) fail(422, 'validation_failed', 'question is required', 'question')
  const h = { id: nextId(), ticket_id: t.id, department: d.key, department_name: d.name, question: body.question, due_at: body.due_at || null, owner_id: body.owner_id || null, owner_name: body.owner_id ? userById(body.owner_id)?.display_name : null, state: 'open', answer: null, answered_at: null, created_at: iso(now()) }
  t.handoffs.push(h)
  event(t, user, 'handoff_created', 'department', '', d.key)
  t.updated_at = iso(now())
  res.statusCode = 201
  broadcast('ticket.updated', t)
  return h
})
route('GET', '/api/v1/handoffs', ({ query }) => {
  const all = db.tickets.flatMap((t) => t.handoffs.map((h) => ({ ...h, ticket_number: t.number, ticket_subject: t.subject })))
  return { items: all.filter((h) => (!query.department || h.department === query.department) && (!query.state || h.state === query.state)), next_cursor: null }
})
route('POST', '/api/v1/handoffs/{id}/answer', ({ params, body, user }) => {
  need(user, 'handoffs.answer')
  const t = db.tickets.find((x) => x.handoffs.some((h) => h.id === Number(params.id))) || fail(404, 'not_found', 'no such hand-off')
  const h = t.handoffs.find((x) => x.id === Number(params.id))
  Object.assign(h, { state: 'answered', answer: body.answer, answered_at: iso(now()) })
  event(t, user, 'handoff_answered', 'handoff', '', h.id)
  broadcast('ticket.updated', t)
  return h
})
route('POST', '/api/v1/tickets/{id}/links', ({ params, body, user, res }) => {
  const t = getTicket(params.id)
  const o = getTicket(body.ticket_id)
  const back = { duplicate: 'duplicate', related: 'related', parent: 'child', child: 'parent' }[body.kind]
  const l = { id: nextId(), kind: body.kind, ticket_id: o.id, number: o.number, subject: o.subject }
  t.links.push(l)
  o.links.push({ id: nextId(), kind: back, ticket_id: t.id, number: t.number, subject: t.subject })
  event(t, user, 'linked', body.kind, '', o.number)
  res.statusCode = 201
  return l
})
route('DELETE', '/api/v1/tickets/{id}/links/{link}', ({ params, user }) => {
  const t = getTicket(params.id)
  const l = t.links.find((x) => x.id === Number(params.link)) || fail(404, 'not_found', 'no link')
  t.links = t.links.filter((x) => x !== l)
  event(t, user, 'unlinked', l.kind, l.number, '')
  return null
})
route('POST', '/api/v1/tickets/{id}/merge', ({ params, body, user }) => {
  need(user, 'tickets.merge')
  const t = getTicket(params.id)
  const into = getTicket(body.into_id)
  event(t, user, 'state_changed', 'state', t.state, 'merged')
  event(t, user, 'merged', 'into', '', into.number)
  Object.assign(t, { state: 'merged', state_id: 7, merged_into_id: into.id, updated_at: iso(now()) })
  broadcast('ticket.updated', t)
  return detailJson(t)
})
route('GET', '/api/v1/customers', ({ query }) => {
  const q = query.q || query.phone || query.email || fail(422, 'validation_failed', 'give phone, email, external_id or q', 'q')
  return { items: db.customers.filter((c) => (c.phone || '').startsWith(q) || c.name.startsWith(q) || c.email === q).slice(0, 20), next_cursor: null }
})
route('GET', '/api/v1/customers/{id}', ({ params }) => db.customers.find((c) => c.id === Number(params.id)) || fail(404, 'not_found', 'no customer'))
route('PATCH', '/api/v1/customers/{id}', ({ params, body, user }) => {
  need(user, 'customers.write')
  const c = db.customers.find((x) => x.id === Number(params.id)) || fail(404, 'not_found', 'no customer')
  return Object.assign(c, body)
})
route('GET', '/api/v1/customers/{id}/tickets', ({ params, query, user }) => listTickets({ ...query, customer_id: params.id, sort: '-created_at' }, user))
route('GET', '/api/v1/users', ({ user, query }) => {
  need(user, 'users.read')
  return { items: db.users.filter((u) => !query.team_id || u.team_ids.includes(Number(query.team_id))), next_cursor: null }
})
route('POST', '/api/v1/users', ({ user, body, res }) => {
  need(user, 'users.manage')
  if (db.users.some((u) => u.username === body.username)) fail(409, 'conflict', 'username taken', 'username')
  if (!body.password || body.password.length < 8) fail(422, 'validation_failed', 'password too short', 'password')
  const u = addUser({ username: body.username, display_name: body.display_name || body.username, role: body.role, team_ids: body.team_ids || [], department_id: body.department_id || null, language: body.language || 'zh-CN' }, body.password)
  db.audit.push({ id: nextId(), at: iso(now()), actor_id: user.id, actor_name: user.display_name, action: 'user.create', target: `user:${u.id}`, detail: { username: u.username, role: u.role }, ip: '127.0.0.1' })
  res.statusCode = 201
  return u
})
route('PATCH', '/api/v1/users/{id}', ({ user, params, body }) => {
  need(user, 'users.manage')
  const u = userById(Number(params.id)) || fail(404, 'not_found', 'no user')
  for (const k of ['display_name', 'role', 'team_ids', 'disabled', 'department_id']) if (body[k] !== undefined) u[k] = body[k]
  if (body.password) pw.set(u.username, body.password)
  return u
})
for (const [coll, key, perm] of [['teams', 'teams', 'teams.manage'], ['departments', 'departments', 'departments.manage'], ['categories', 'categories', 'categories.manage']]) {
  route('GET', `/api/v1/${coll}`, () => ({ items: db[key], next_cursor: null }))
  route('POST', `/api/v1/${coll}`, ({ user, body, res }) => {
    need(user, perm)
    const o = { id: db[key].length + 1, ...body }
    db[key].push(o)
    db.audit.push({ id: nextId(), at: iso(now()), actor_id: user.id, actor_name: user.display_name, action: `${coll.slice(0, -1)}.create`, target: `${coll}:${o.id}`, detail: body, ip: '127.0.0.1' })
    res.statusCode = 201
    return o
  })
  route('PATCH', `/api/v1/${coll}/{id}`, ({ user, params, body }) => {
    need(user, perm)
    const o = db[key].find((x) => x.id === Number(params.id)) || fail(404, 'not_found', 'not found')
    return Object.assign(o, body)
  })
}
route('GET', '/api/v1/audit', ({ user }) => {
  need(user, 'audit.read')
  return { items: [...db.audit].reverse(), next_cursor: null }
})

const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json' }
function serveStatic(req, res) {
  if (!WEB) {
    res.writeHead(404).end()
    return
  }
  const url = decodeURIComponent(new URL(req.url, 'http://x').pathname)
  let file = path.join(WEB, path.normalize(url).replace(/^(\.\.[/\\])+/, ''))
  if (!file.startsWith(WEB) || !existsSync(file) || statSync(file).isDirectory()) file = path.join(WEB, 'index.html')
  const hashed = url.startsWith('/assets/')
  res.writeHead(200, {
    'Content-Type': MIME[path.extname(file)] || 'application/octet-stream',
    'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  })
  res.end(readFileSync(file))
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x')
  if (!url.pathname.startsWith('/api/')) return serveStatic(req, res)
  let raw = ''
  for await (const chunk of req) raw += chunk
  const send = (status, body) => {
    res.statusCode = res.statusCode !== 200 ? res.statusCode : status
    if (body === null || body === undefined) {
      res.statusCode = 204
      res.end()
      return
    }
    res.setHeader('Content-Type', 'application/json')
    res.end(JSON.stringify(body))
  }
  try {
    const r = routes.find((x) => x.method === req.method && x.re.test(url.pathname))
    if (!r) fail(404, 'not_found', `no route ${req.method} ${url.pathname}`)
    const params = url.pathname.match(r.re).groups || {}
    let body = {}
    if (raw) {
      try {
        body = JSON.parse(raw)
      } catch {
        fail(400, 'bad_request', 'invalid JSON')
      }
    }
    const ctx = { req, res, params, body, query: Object.fromEntries(url.searchParams) }
    if (!r.pub) {
      const m = /(?:^|;\s*)kefu_session=([^;]+)/.exec(req.headers.cookie || '')
      const session = m && db.sessions.get(m[1])
      if (!session) fail(401, 'unauthenticated', 'log in first')
      if (req.method !== 'GET' && req.headers['x-csrf-token'] !== session.csrf) fail(403, 'forbidden', 'missing or wrong CSRF token')
      Object.assign(ctx, { user: userById(session.userId), session, token: m[1] })
    }
    send(200, await r.fn(ctx))
  } catch (e) {
    if (e instanceof HttpError) {
      res.statusCode = e.status
      res.setHeader('Content-Type', 'application/json')
      res.end(JSON.stringify({ error: { code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) } }))
    } else {
      console.error(e)
      res.statusCode = 500
      res.end(JSON.stringify({ error: { code: 'internal', message: String(e) } }))
    }
  }
})
server.on('upgrade', upgrade)
seed()
server.listen(Number(port), host, () => console.log(`mock kefu on http://${host}:${port} (${N} complaints; admin / admin-pass-123)`))
