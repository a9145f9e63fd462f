// Types of the kefu JSON API (/api/v1). The OpenAPI document in
// src/api/openapi.yaml of the repository is the reference.

export type Role =
  | 'agent'
  | 'team_lead'
  | 'supervisor'
  | 'director'
  | 'qa'
  | 'department_liaison'
  | 'admin'

export const ROLES: Role[] = [
  'agent',
  'team_lead',
  'supervisor',
  'director',
  'qa',
  'department_liaison',
  'admin',
]

export type Language = 'zh-CN' | 'en'

export interface User {
  id: number
  username: string
  display_name: string
  role: Role
  team_ids: number[]
  department_id: number | null
  language: Language | string
  time_zone: string
  permissions: string[]
  disabled?: boolean
  created_at?: string
}

export type StateType =
  | 'new'
  | 'open'
  | 'pending_customer'
  | 'pending_internal'
  | 'resolved'
  | 'closed'
  | 'merged'

export const STATE_TYPES: StateType[] = [
  'new',
  'open',
  'pending_customer',
  'pending_internal',
  'resolved',
  'closed',
  'merged',
]

export const ACTIVE_STATES: StateType[] = ['new', 'open', 'pending_customer', 'pending_internal']

export type Channel =
  | 'phone'
  | 'email'
  | 'web'
  | 'chat'
  | 'social'
  | 'messaging'
  | 'app'
  | 'walk_in'
  | 'other'

export const CHANNELS: Channel[] = [
  'phone',
  'email',
  'web',
  'chat',
  'social',
  'messaging',
  'app',
  'walk_in',
  'other',
]

export type Severity = 'severe' | 'normal' | 'suggestion'
export const SEVERITIES: Severity[] = ['severe', 'normal', 'suggestion']

export type Priority = 'urgent' | 'high' | 'normal' | 'low'
export const PRIORITIES: Priority[] = ['urgent', 'high', 'normal', 'low']

export type Tier = 'regular' | 'vip' | 'enterprise'
export const TIERS: Tier[] = ['regular', 'vip', 'enterprise']

export interface Customer {
  id: number
  name: string
  phone?: string | null
  email?: string | null
  external_id?: string | null
  tier?: Tier | string | null
  region?: string | null
  language?: string | null
  time_zone?: string | null
  organization?: string | null
  created_at?: string
  ticket_count?: number
}

export interface Transition {
  state_id: number
  state: StateType
  name: string
  name_en?: string
}

export interface WaitingOn {
  handoff_id: number
  department: string
  department_name?: string
  owner_id?: number | null
  due_at?: string | null
}

export interface Ticket {
  id: number
  number: string
  subject: string
  description?: string
  channel: Channel | string
  source_ref?: string | null
  state: StateType
  state_id?: number
  state_name?: string
  state_name_en?: string
  customer_id?: number
  customer?: Customer | null
  category?: string | null
  severity?: Severity | string | null
  priority?: Priority | string | null
  team_id?: number | null
  team_name?: string | null
  assignee_id?: number | null
  assignee_name?: string | null
  tags?: string[]
  collaborator_ids?: number[]
  waiting_on?: WaitingOn[]
  reopen_count?: number
  merged_into_id?: number | null
  created_at: string
  updated_at: string
  first_response_at?: string | null
  resolved_at?: string | null
  closed_at?: string | null
  allowed_transitions?: Transition[]
}

export type MessageKind = 'reply' | 'note' | 'call'

export interface Message {
  id: number
  kind: MessageKind
  author_kind: 'customer' | 'agent' | 'system'
  author_id?: number | null
  author_name?: string | null
  channel?: string | null
  body: string
  call_direction?: 'inbound' | 'outbound' | null
  call_duration_seconds?: number | null
  created_at: string
}

export interface TicketEvent {
  id: number
  at: string
  actor_id?: number | null
  actor_name?: string | null
  actor_kind?: 'agent' | 'customer' | 'system' | string
  type: string
  field?: string | null
  from?: unknown
  to?: unknown
}

export interface Handoff {
  id: number
  ticket_id?: number
  ticket_number?: string
  ticket_subject?: string
  department: string
  department_name?: string
  question: string
  due_at?: string | null
  owner_id?: number | null
  owner_name?: string | null
  state: 'open' | 'answered' | 'cancelled'
  answer?: string | null
  answered_at?: string | null
  created_at: string
}

export type LinkKind = 'duplicate' | 'related' | 'parent' | 'child'
export const LINK_KINDS: LinkKind[] = ['duplicate', 'related', 'parent', 'child']

export interface TicketLink {
  id: number
  kind: LinkKind
  ticket_id: number
  number?: string
  subject?: string
}

export interface TicketDetail extends Ticket {
  messages: Message[]
  events: TicketEvent[]
  handoffs: Handoff[]
  links: TicketLink[]
}

export interface Page<T> {
  items: T[]
  next_cursor?: string | null
  total?: number
}

export interface StateDef {
  id: number
  name: string
  name_en?: string
  type: StateType
}

export interface Team {
  id: number
  name: string
  region?: string | null
  member_count?: number
}

export interface Department {
  id: number
  key: string
  name: string
  name_en?: string | null
}

export interface Category {
  id: number
  key: string
  name: string
  name_en?: string | null
  parent_id?: number | null
  active?: boolean
}

export interface AuditEntry {
  id: number
  at: string
  actor_id?: number | null
  actor_name?: string | null
  action: string
  target?: string | null
  detail?: unknown
  ip?: string | null
}

export interface LoginResult {
  token?: string
  csrf_token: string
  user: User
}

export interface TicketQuery {
  state?: string
  team_id?: number | string
  assignee_id?: number | 'me' | 'none' | string
  channel?: string
  category?: string
  severity?: string
  priority?: string
  customer_id?: number
  q?: string
  created_from?: string
  created_to?: string
  updated_from?: string
  updated_to?: string
  sort?: string
  limit?: number
  cursor?: string
  with_total?: 0 | 1
}

export interface NewTicket {
  subject: string
  description?: string
  channel: string
  customer: Partial<Customer>
  category?: string | null
  severity?: string
  priority?: string
  team_id?: number | null
  assignee_id?: number | null
  tags?: string[]
  source_ref?: string
}
