// The structured form of a triage rule (docs/triage.md) and its conversion
// to and from the rule body the server stores. The form covers what most
// rules say — one list of conditions joined by "all" or "any", and a list of
// actions — and a rule that says more (nested all/any/not) is edited as JSON.
import type { RuleAction, RuleBody, RuleCondition, RuleLeaf, RuleTrigger } from '@/api/types'

export type FieldKind = 'name' | 'number' | 'list' | 'words' | 'bool'

export const RULE_FIELDS: Record<string, FieldKind> = {
  channel: 'name',
  severity: 'name',
  priority: 'name',
  state: 'name',
  category: 'name',
  language: 'name',
  trigger: 'name',
  'customer.tier': 'name',
  'customer.region': 'name',
  'customer.language': 'name',
  'customer.organization': 'name',
  team: 'number',
  assignee: 'number',
  emotion: 'number',
  'customer.complaints': 'number',
  'customer.service_failures': 'number',
  tags: 'list',
  threat: 'list',
  text: 'words',
  subject: 'words',
  red_case: 'bool',
  business_hours: 'bool',
}

const OPS: Record<FieldKind, string[]> = {
  name: ['eq', 'ne', 'in', 'not_in', 'is_set', 'not_set'],
  number: ['eq', 'ne', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'is_set', 'not_set'],
  list: ['contains_any', 'contains_all', 'is_set', 'not_set'],
  words: ['contains_any', 'contains_all'],
  bool: ['eq', 'ne'],
}

/** Fields that count over a window of days (`"days": N`). */
export const WINDOW_FIELDS = ['customer.complaints', 'customer.service_failures']
export const SET_FIELDS = ['category', 'severity', 'priority', 'team', 'assignee']
export const ACTION_TYPES = ['set', 'add_tags', 'add_collaborators', 'red_case', 'notify', 'require_skills'] as const

export function opsFor(field: string): string[] {
  return OPS[RULE_FIELDS[field] ?? 'name']
}

const LIST_OPS = ['in', 'not_in', 'contains_any', 'contains_all']
const NO_VALUE_OPS = ['is_set', 'not_set']

export interface ConditionRow {
  field: string
  op: string
  /** The value as typed: lists are separated by commas. */
  value: string
  days: number | null
}

export interface ActionRow {
  type: string
  field: string
  value: string
  reason: string
  roles: string[]
  users: string
  assignee: boolean
  message: string
}

export interface RuleForm {
  name: string
  enabled: boolean
  on: RuleTrigger[]
  stop: boolean
  match: 'all' | 'any'
  conditions: ConditionRow[]
  actions: ActionRow[]
}

export function emptyCondition(): ConditionRow {
  return { field: 'text', op: 'contains_any', value: '', days: null }
}

export function emptyAction(type = 'set'): ActionRow {
  return { type, field: type === 'set' ? 'priority' : '', value: '', reason: '', roles: [], users: '', assignee: false, message: '' }
}

export function emptyRuleForm(): RuleForm {
  return { name: '', enabled: true, on: ['created'], stop: false, match: 'all', conditions: [emptyCondition()], actions: [emptyAction()] }
}

/** "a, b，c" → ["a", "b", "c"]. */
export function splitList(text: string): string[] {
  return text
    .split(/[,，\n]/)
    .map((s) => s.trim())
    .filter(Boolean)
}

function joinList(v: unknown): string {
  return Array.isArray(v) ? v.map(String).join(', ') : v === undefined || v === null ? '' : String(v)
}

function isLeaf(c: RuleCondition): c is RuleLeaf {
  return typeof (c as RuleLeaf).field === 'string'
}

function numberOrText(s: string): number | string {
  const n = Number(s)
  return s !== '' && Number.isFinite(n) ? n : s
}

/** The JSON value of a condition's typed value (numbers stay text when they do not parse, so the server names the error). */
export function conditionValue(row: ConditionRow): unknown {
  const kind = RULE_FIELDS[row.field] ?? 'name'
  if (LIST_OPS.includes(row.op)) {
    const items = splitList(row.value)
    return kind === 'number' ? items.map(numberOrText) : items
  }
  const v = row.value.trim()
  if (kind === 'bool') return v === 'true' ? true : v === 'false' ? false : v
  if (kind === 'number') return numberOrText(v)
  return v
}

function leafToRow(l: RuleLeaf): ConditionRow {
  return { field: l.field, op: l.op, value: joinList(l.value), days: typeof l.days === 'number' ? l.days : null }
}

function rowToLeaf(row: ConditionRow): RuleLeaf {
  const leaf: RuleLeaf = { field: row.field, op: row.op }
  if (!NO_VALUE_OPS.includes(row.op)) leaf.value = conditionValue(row)
  if (WINDOW_FIELDS.includes(row.field) && row.days) leaf.days = row.days
  return leaf
}

const ACTION_KEYS: Record<string, string[]> = {
  set: ['type', 'field', 'value'],
  add_tags: ['type', 'value'],
  add_collaborators: ['type', 'value'],
  require_skills: ['type', 'value'],
  red_case: ['type', 'reason'],
  notify: ['type', 'roles', 'users', 'assignee', 'message'],
}

function actionFits(a: RuleAction): boolean {
  const allowed = ACTION_KEYS[a.type]
  return !!allowed && Object.keys(a).every((k) => allowed.includes(k))
}

function actionToRow(a: RuleAction): ActionRow {
  return {
    ...emptyAction(a.type),
    field: a.field ?? '',
    value: joinList(a.value),
    reason: a.reason ?? '',
    roles: Array.isArray(a.roles) ? [...a.roles] : [],
    users: joinList(a.users),
    assignee: a.assignee === true,
    message: a.message ?? '',
  }
}

export function rowToAction(row: ActionRow): RuleAction {
  switch (row.type) {
    case 'set':
      return { type: 'set', field: row.field, value: row.field === 'team' || row.field === 'assignee' ? numberOrText(row.value.trim()) : row.value.trim() }
    case 'add_tags':
    case 'require_skills':
      return { type: row.type, value: splitList(row.value) }
    case 'add_collaborators':
      return { type: row.type, value: splitList(row.value).map(numberOrText) }
    case 'red_case':
      return { type: 'red_case', reason: row.reason.trim() }
    case 'notify': {
      const a: RuleAction = { type: 'notify', message: row.message.trim() }
      if (row.roles.length) a.roles = [...row.roles]
      const users = splitList(row.users).map(numberOrText) as number[]
      if (users.length) a.users = users
      if (row.assignee) a.assignee = true
      return a
    }
    default:
      return { type: row.type }
  }
}

/** A condition list of the form: rows joined by all or any. */
export interface ConditionList {
  match: 'all' | 'any'
  conditions: ConditionRow[]
}

/** The rows of a condition (none for no condition), or null when it is nested deeper than a list. */
export function whenToConditions(w: RuleCondition | null | undefined): ConditionList | null {
  if (!w) return { match: 'all', conditions: [] }
  if (isLeaf(w)) return { match: 'all', conditions: [leafToRow(w)] }
  const group = 'all' in w ? w.all : 'any' in w ? w.any : null
  if (!Array.isArray(group) || !group.every(isLeaf)) return null
  return { match: 'all' in w ? 'all' : 'any', conditions: (group as RuleLeaf[]).map(leafToRow) }
}

/** The condition of the rows, or undefined when there are none. */
export function conditionsToWhen(c: ConditionList): RuleCondition | undefined {
  return c.conditions.length ? ({ [c.match]: c.conditions.map(rowToLeaf) } as RuleCondition) : undefined
}

/** The errors of one part of a form by sub-key: { op: "…" } of cond.1.op for prefix cond.1. */
export function partErrors(errors: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(errors)) if (k.startsWith(`${prefix}.`)) out[k.slice(prefix.length + 1)] = v
  return out
}

/** The form of a rule, or null when the rule says more than the form can show. */
export function ruleToForm(r: Partial<RuleBody> & { name?: string; enabled?: boolean }): RuleForm | null {
  const form: RuleForm = {
    name: r.name ?? '',
    enabled: r.enabled ?? true,
    on: Array.isArray(r.on) && r.on.length ? [...r.on] : ['created'],
    stop: r.stop === true,
    match: 'all',
    conditions: [],
    actions: [],
  }
  const cond = whenToConditions(r.when)
  if (!cond) return null
  Object.assign(form, cond)
  const then = Array.isArray(r.then) ? r.then : []
  if (!then.every(actionFits)) return null
  form.actions = then.map(actionToRow)
  return form
}

/** The rule body of a form: what is sent to the server. */
export function formToRule(f: RuleForm): RuleBody & { name: string; enabled: boolean } {
  const body: RuleBody & { name: string; enabled: boolean } = {
    name: f.name.trim(),
    enabled: f.enabled,
    on: [...f.on],
    then: f.actions.map(rowToAction),
    stop: f.stop,
  }
  const when = conditionsToWhen(f)
  if (when) body.when = when
  return body
}

/**
 * Where in the form the server's error path points (`when.all[1].op` →
 * `cond.1.op`, `then[0].reason` → `act.0.reason`, `name` → `name`).
 * Anything the form does not show goes to `json`.
 */
export function errorTarget(path: string | undefined | null, match: 'all' | 'any' = 'all'): string {
  if (!path) return 'form'
  if (['name', 'on', 'stop', 'enabled', 'position'].includes(path)) return path
  const cond = path.match(new RegExp(`^when\\.${match}\\[(\\d+)\\](?:\\.(field|op|value|days))?`))
  if (cond) return `cond.${cond[1]}.${cond[2] ?? 'field'}`
  if (path === 'when' || path === `when.${match}`) return 'conditions'
  const act = path.match(/^then\[(\d+)\](?:\.(\w+))?/)
  if (act) {
    const part = act[2] ?? 'type'
    return `act.${act[1]}.${part === 'value' || part === 'field' || part === 'reason' || part === 'roles' || part === 'users' || part === 'message' || part === 'assignee' ? part : 'type'}`
  }
  if (path === 'then') return 'actions'
  return 'json'
}

/** The server's message without the path it starts with ("when.all[1].op: op is …" → "op is …"). */
export function errorText(path: string | undefined | null, message: string): string {
  return path && message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message
}
