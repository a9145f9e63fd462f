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
  /** 0 calm, 1 dissatisfied, 2 upset, 3 angry, 4 threatening. */
  emotion?: number | null
  threats?: string[]
  /** Detected language of the customer's text (zh, en, th, …). */
  language?: string | null
  red_case?: boolean
  /** In list items (GET /tickets): the service level in one line; null when no clock runs or is late. */
  sla_summary?: SlaSummary | null
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
  sla?: TicketSla
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

// --- triage (docs/triage.md) ---

export type ThreatKind = 'media' | 'regulator' | 'legal' | 'churn'
export const THREAT_KINDS: ThreatKind[] = ['media', 'regulator', 'legal', 'churn']

export type RuleTrigger = 'created' | 'updated' | 'customer_message'
export const RULE_TRIGGERS: RuleTrigger[] = ['created', 'updated', 'customer_message']

/** A condition of the rule language: all / any / not, or a leaf. */
export type RuleCondition =
  | { all: RuleCondition[] }
  | { any: RuleCondition[] }
  | { not: RuleCondition }
  | RuleLeaf

export interface RuleLeaf {
  field: string
  op: string
  value?: unknown
  days?: number
}

export interface RuleAction {
  type: 'set' | 'add_tags' | 'add_collaborators' | 'red_case' | 'notify' | 'require_skills' | string
  field?: string
  value?: unknown
  reason?: string
  roles?: string[]
  users?: number[]
  assignee?: boolean
  message?: string
}

/** What a rule says: the part that is versioned and validated. */
export interface RuleBody {
  on?: RuleTrigger[]
  when?: RuleCondition | null
  then: RuleAction[]
  stop?: boolean
}

export interface TriageRule extends RuleBody {
  id: number
  name: string
  position: number
  enabled: boolean
  version: number
  updated_by?: number | null
  created_at?: string
  updated_at?: string
}

export interface RuleVersion {
  version: number
  name: string
  enabled: boolean
  body: RuleBody
  changed_by?: number | null
  changed_at: string
}

export interface EmotionCue {
  kind: string
  text: string
  weight: number
}

export interface CategorySuggestion {
  category: string
  probability: number
}

export interface DryRunInput {
  ticket_id?: number
  subject?: string
  text?: string
  channel?: string
  tier?: string
  severity?: string
  priority?: string
  category?: string
  team_id?: number
  region?: string
  customer_language?: string
  trigger?: RuleTrigger
}

export interface DryRunResult {
  emotion: number
  score: number
  threats: string[]
  cues: EmotionCue[]
  language: string
  category_suggestions: CategorySuggestion[]
  fired: { id: number; name: string; version: number }[]
  changes: { field: string; from: string; to: string; rule_id: number }[]
  red_case: string | null
  required_skills: string[]
  notify: { rule_id: number; roles: string[]; message: string }[]
}

export interface LexiconEntry {
  id: number
  kind: string
  term: string
  weight: number
  language: string
  built_in: boolean
  created_at?: string | null
}

export interface TriageSettings {
  classifier_threshold: number
  red_case_cadence_minutes: number
  risk_threshold: number
  risk_window_days: number
  failure_categories: string[]
  retrain_hours: number
  classifier_min_examples: number
}

export interface ClassifierInfo {
  trained: boolean
  trained_at: string | null
  examples: number
  labels: number
  vocabulary: number
  /** With ?evaluate=true: accuracy on held-out complaints (0–1). */
  evaluation?: { train: number; test: number; accuracy: number; top3_accuracy: number }
}

export interface TriageRecord {
  id: number
  message_id?: number | null
  at: string
  trigger: string
  emotion: number
  threats: string[]
  cues: EmotionCue[] | null
  language: string
  category_suggestions: CategorySuggestion[] | null
  fired_rules: { id: number; name: string; version?: number }[] | null
}

export interface RedCaseMember {
  id: number
  name: string
}

export interface RedCaseUpdate {
  id: number
  author_id?: number | null
  author_name?: string | null
  body: string
  at: string
}

export interface RedCase {
  id: number
  ticket_id: number
  state: 'open' | 'closed' | string
  reason: string
  source: string
  owner_id: number | null
  owner_name: string | null
  members: RedCaseMember[]
  cadence_minutes: number
  opened_at: string
  opened_by?: number | null
  last_update_at?: string | null
  next_update_due?: string | null
  missed_updates: number
  closed_at?: string | null
  closed_by?: number | null
  close_reason?: string
  ticket?: Ticket
  last_update?: RedCaseUpdate | null
  updates?: RedCaseUpdate[]
}

export interface TicketTriage {
  history: TriageRecord[]
  red_cases: RedCase[]
}

export interface RiskReason {
  kind?: string
  points?: number
  count?: number
  [k: string]: unknown
}

export interface CustomerRisk {
  customer_id: number
  score: number
  reasons: RiskReason[] | Record<string, unknown> | null
  updated_at?: string | null
  alerted?: boolean
  customer?: Customer
}

export type Presence = 'online' | 'away' | 'offline'
export const PRESENCES: Presence[] = ['online', 'away', 'offline']

export interface AgentProfile {
  user_id: number
  name: string
  skills: string[]
  capacity: number
  presence: Presence
  presence_at?: string | null
  last_assigned_at?: string | null
}

export type RoutingMode = 'least_loaded' | 'round_robin' | 'manual'
export const ROUTING_MODES: RoutingMode[] = ['least_loaded', 'round_robin', 'manual']

export interface TeamRouting {
  team_id: number
  team_name: string | null
  mode: RoutingMode
  skills: string[]
  fallback_team_id: number | null
  overflow_minutes: number
}

export interface AppNotification {
  id: number
  kind: string
  ticket_id: number | null
  title: string
  body: string
  created_at: string
  read_at: string | null
}

// --- service levels and business calendars (docs/sla.md, docs/calendars.md) ---

export type SlaMetric = 'first_response' | 'next_response' | 'resolution' | 'handoff' | 'red_case_update'
export const SLA_METRICS: SlaMetric[] = ['first_response', 'next_response', 'resolution', 'handoff', 'red_case_update']
export type SlaClockState = 'running' | 'paused' | 'breached' | 'met' | 'stopped'

export interface SlaClock {
  metric: SlaMetric
  /** The hand-off id of a hand-off clock. */
  ref: number | null
  state: SlaClockState
  business: boolean
  breached: boolean
  started_at: string | null
  due_at: string | null
  breached_at: string | null
  met_at: string | null
  stopped_at: string | null
  target_seconds: number
  used_seconds: number
  left_seconds: number
  instance: number
  breaches: number
  warnings: { percent: number; at: string | null }[]
}

export interface TicketSla {
  ticket_id?: number
  policy?: { id: number; version: number; name: string } | null
  calendar?: string | null
  breached?: boolean
  next_due_at?: string | null
  clocks: SlaClock[]
  computed_at?: string | null
  summary?: SlaSummary | null
}

/** A complaint's service level in one line (docs/api.md, "SLA summary"). */
export interface SlaSummary {
  /** The running clock due first, and its due time. */
  next_metric: SlaMetric | null
  next_ref: number | null
  next_due_at: string | null
  /** A warning of a running clock has been reached (when the server answered); when the first one is or was. */
  warning: boolean
  warning_at: string | null
  /** A clock is late: which one (the first to be late), and since when. */
  breached: boolean
  breached_metric: SlaMetric | null
  breached_ref: number | null
  breached_at: string | null
}

export interface SlaListItem extends TicketSla {
  ticket: Ticket
}

export type SlaAudience = 'assignee' | 'team_lead' | 'supervisor' | 'director'
export const SLA_AUDIENCES: SlaAudience[] = ['assignee', 'team_lead', 'supervisor', 'director']

export interface SlaStep {
  on: 'warning' | 'breach'
  after_minutes?: number
  notify?: SlaAudience[]
  raise_priority?: boolean
  reassign?: boolean
}

/** What a policy says: the part that is versioned and validated. */
export interface SlaPolicyBody {
  when?: RuleCondition | null
  calendar?: string | null
  targets: Partial<Record<SlaMetric, { minutes: number; business?: boolean }>>
  pause?: { resolution?: StateType[]; next_response?: StateType[] }
  warnings?: number[]
  escalation?: SlaStep[]
}

export interface SlaPolicy extends SlaPolicyBody {
  id: number
  name: string
  position: number
  enabled: boolean
  version: number
  created_at?: string
  updated_at?: string
}

export interface SlaMetricCounts {
  met: number
  met_late: number
  breached: number
  open: number
}

export interface SlaCounts {
  from: string
  to: string
  complaints: number
  complaints_breached: number
  metrics: Partial<Record<SlaMetric, SlaMetricCounts>>
}

export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday'
export const WEEKDAYS: Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']

/** A holiday: one `date`, or an inclusive run `from`–`to`. */
export interface CalendarHoliday {
  date?: string
  from?: string
  to?: string
  name: string
}

/** An extra working day (调休): the hours of `works_like`, or its own `hours`. */
export interface CalendarWorkingDay {
  date: string
  name: string
  works_like?: Weekday
  hours?: string[]
}

export type CalendarScope = 'team' | 'region' | 'default'

export interface CalendarBinding {
  scope: CalendarScope
  value: string
  calendar: string
}

export interface BusinessCalendarDoc {
  id: string
  name: string
  description?: string
  source?: string
  time_zone: string
  /** "09:00-12:00" ranges per weekday. */
  weekly: Partial<Record<Weekday, string[]>>
  holidays: CalendarHoliday[]
  working_days: CalendarWorkingDay[]
  bindings?: CalendarBinding[]
  updated_at?: string
}
