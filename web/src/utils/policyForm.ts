// The structured form of an SLA policy (docs/sla.md) and its conversion to
// and from the body the server stores; and where in the form a validation
// error of the server belongs (its `field` is a path such as
// `targets.resolution.minutes` or `escalation[1].notify[0]`).
import {
  SLA_METRICS,
  type SlaAudience,
  type SlaMetric,
  type SlaPolicy,
  type SlaPolicyBody,
  type SlaStep,
  type StateType,
} from '@/api/types'
import { ApiError } from '@/api/client'
import { errorMessage } from './errors'
import { conditionsToWhen, errorText, errorTarget as ruleErrorTarget, splitList, whenToConditions, type ConditionRow } from './ruleForm'

export interface TargetRow {
  metric: SlaMetric
  on: boolean
  minutes: number
  business: boolean
}

export interface StepRow {
  on: 'warning' | 'breach'
  after_minutes: number
  notify: SlaAudience[]
  raise_priority: boolean
  reassign: boolean
}

export interface PolicyForm {
  name: string
  enabled: boolean
  /** '' = the complaint's own calendar (null in the body). */
  calendar: string
  /** How the condition is edited: rows, or JSON when it is nested deeper. */
  whenMode: 'form' | 'json'
  match: 'all' | 'any'
  conditions: ConditionRow[]
  whenJson: string
  targets: TargetRow[]
  pauseResolution: StateType[]
  pauseNextResponse: StateType[]
  /** "75, 90" */
  warnings: string
  /** null: the server's default ladder. */
  escalation: StepRow[] | null
}

export const PAUSABLE_STATES: StateType[] = ['new', 'open', 'pending_customer', 'pending_internal']

const DEFAULT_MINUTES: Record<SlaMetric, number> = {
  first_response: 240,
  next_response: 480,
  resolution: 2160,
  handoff: 960,
  red_case_update: 1440,
}

export function emptyStep(on: 'warning' | 'breach' = 'breach'): StepRow {
  return { on, after_minutes: 0, notify: ['assignee'], raise_priority: false, reassign: false }
}

export function policyToForm(p: Partial<SlaPolicy> | null): PolicyForm {
  const cond = whenToConditions(p?.when)
  const targets = SLA_METRICS.map((metric) => {
    const t = p?.targets?.[metric]
    return { metric, on: !!t, minutes: t?.minutes ?? DEFAULT_MINUTES[metric], business: t?.business ?? metric !== 'red_case_update' }
  })
  return {
    name: p?.name ?? '',
    enabled: p?.enabled ?? true,
    calendar: p?.calendar ?? '',
    whenMode: cond ? 'form' : 'json',
    match: cond?.match ?? 'all',
    conditions: cond?.conditions ?? [],
    whenJson: p?.when ? JSON.stringify(p.when, null, 2) : '',
    targets,
    pauseResolution: [...(p?.pause?.resolution ?? ['pending_customer'])],
    pauseNextResponse: [...(p?.pause?.next_response ?? ['pending_customer'])],
    warnings: (p?.warnings ?? [75, 90]).join(', '),
    escalation: p?.escalation
      ? p.escalation.map((s) => ({
          on: s.on,
          after_minutes: s.after_minutes ?? 0,
          notify: [...(s.notify ?? [])],
          raise_priority: !!s.raise_priority,
          reassign: !!s.reassign,
        }))
      : null,
  }
}

function numberOrText(s: string): number | string {
  const n = Number(s)
  return s !== '' && Number.isFinite(n) ? n : s
}

/**
 * The body sent to the server. Throws a SyntaxError when the condition's JSON
 * does not parse. Values that do not parse as numbers are sent as typed, so
 * the server names the error.
 */
export function formToPolicy(f: PolicyForm): SlaPolicyBody & { name: string; enabled: boolean } {
  const targets: SlaPolicyBody['targets'] = {}
  for (const t of f.targets) if (t.on) targets[t.metric] = { minutes: t.minutes, business: t.business }
  const body: SlaPolicyBody & { name: string; enabled: boolean } = {
    name: f.name.trim(),
    enabled: f.enabled,
    when: f.whenMode === 'json' ? (f.whenJson.trim() ? JSON.parse(f.whenJson) : null) : conditionsToWhen(f) ?? null,
    calendar: f.calendar || null,
    targets,
    pause: { resolution: [...f.pauseResolution], next_response: [...f.pauseNextResponse] },
    warnings: splitList(f.warnings).map(numberOrText) as number[],
  }
  if (f.escalation) {
    body.escalation = f.escalation.map((s) => {
      const step: SlaStep = { on: s.on, notify: [...s.notify] }
      if (s.on === 'breach') {
        if (s.after_minutes) step.after_minutes = s.after_minutes
        if (s.raise_priority) step.raise_priority = true
        if (s.reassign) step.reassign = true
      }
      return step
    })
  }
  return body
}

const STEP_PARTS = ['on', 'after_minutes', 'notify', 'raise_priority', 'reassign']

/**
 * Where in the form the server's error path points:
 * `name`, `calendar`, `warnings` (also `warnings[1]`), `target.<metric>`,
 * `targets`, `pause.resolution`, `pause.next_response`, `pause`,
 * `step.<i>.<part>` (`step.<i>` for the step as a whole), `escalation`,
 * `cond.<i>.<part>` / `conditions` (the rule form's), `when` (the JSON), else `form`.
 */
export function policyErrorTarget(path: string | undefined | null, f: Pick<PolicyForm, 'match' | 'whenMode'>): string {
  if (!path) return 'form'
  if (path === 'name' || path === 'calendar' || path === 'enabled' || path === 'position') return path
  if (/^warnings(\[\d+\])?$/.test(path)) return 'warnings'
  const target = path.match(/^targets\.(\w+)/)
  if (target) return (SLA_METRICS as string[]).includes(target[1]) ? `target.${target[1]}` : 'targets'
  if (path === 'targets') return 'targets'
  const pause = path.match(/^pause\.(resolution|next_response)/)
  if (pause) return `pause.${pause[1]}`
  if (path.startsWith('pause')) return 'pause'
  const step = path.match(/^escalation\[(\d+)\](?:\.(\w+))?/)
  if (step) return step[2] && STEP_PARTS.includes(step[2]) ? `step.${step[1]}.${step[2]}` : `step.${step[1]}`
  if (path === 'escalation') return 'escalation'
  if (path === 'when' || path.startsWith('when.') || path.startsWith('when[')) {
    if (f.whenMode === 'json') return 'when'
    const t = ruleErrorTarget(path, f.match)
    return t === 'json' ? 'when' : t
  }
  return 'form'
}

/**
 * The messages of a failed save: the server's validation error at the part
 * of the form it names (`errors`), anything else on top of the form (`general`).
 */
export function policySaveErrors(err: unknown, f: Pick<PolicyForm, 'match' | 'whenMode'>): { errors: Record<string, string>; general: string } {
  if (err instanceof ApiError && err.code === 'validation_failed' && err.field) {
    const target = policyErrorTarget(err.field, f)
    const text = errorText(err.field, err.message)
    if (target === 'form') return { errors: {}, general: `${err.field}: ${text}` }
    return { errors: { [target]: target === 'when' ? `${err.field}: ${text}` : text }, general: '' }
  }
  return { errors: {}, general: errorMessage(err) }
}
