import { afterEach, describe, expect, it, vi } from 'vitest'
import { h, reactive } from 'vue'
import EmotionBadge from '@/components/triage/EmotionBadge.vue'
import TriageHistoryPanel from '@/components/triage/TriageHistoryPanel.vue'
import RuleEditor from '@/components/triage/RuleEditor.vue'
import RuleRowList from '@/components/triage/RuleRowList.vue'
import { emotionLevel } from '@/utils/emotion'
import { errorTarget, formToRule, ruleToForm } from '@/utils/ruleForm'
import { groupSkills, joinSkills } from '@/utils/skills'
import { setLocale } from '@/i18n'
import type { TriageRule } from '@/api/types'
import { flush, mockFetch, mountApp } from './helpers'

afterEach(() => {
  vi.unstubAllGlobals()
  setLocale('zh-CN')
})

describe('emotion badge', () => {
  it('maps grades 0–4 to calm … threatening with rising colours', () => {
    expect([0, 1, 2, 3, 4].map((g) => emotionLevel(g)?.key)).toEqual(['calm', 'dissatisfied', 'upset', 'angry', 'threatening'])
    expect([0, 1, 2, 3, 4].map((g) => emotionLevel(g)?.type)).toEqual(['success', 'info', 'warning', 'danger', 'danger'])
    expect(emotionLevel(4)?.effect).toBe('dark')
    expect(emotionLevel(null)).toBeNull()
    expect(emotionLevel(7)).toBeNull()
  })

  it('shows the Chinese label, and the English one after switching', async () => {
    const labels = [0, 1, 2, 3, 4].map((grade) => mountApp(EmotionBadge, { props: { grade } }).text())
    expect(labels).toEqual(['平静', '不满', '沮丧', '愤怒', '威胁'])
    const w = mountApp(EmotionBadge, { props: { grade: 4 } })
    expect(w.find('[data-test="emotion-badge"]').classes()).toContain('el-tag--danger')
    setLocale('en')
    await flush()
    expect(w.text()).toBe('Threatening')
  })

  it('shows nothing for a complaint without a grade', () => {
    expect(mountApp(EmotionBadge, { props: { grade: null } }).find('[data-test="emotion-badge"]').exists()).toBe(false)
  })
})

describe('rule form', () => {
  const rule = {
    on: ['created', 'customer_message'],
    when: { all: [{ field: 'customer.tier', op: 'in', value: ['vip', 'enterprise'] }, { field: 'emotion', op: 'gte', value: 3 }] },
    then: [{ type: 'set', field: 'priority', value: 'urgent' }, { type: 'red_case', reason: 'VIP 愤怒' }, { type: 'notify', roles: ['supervisor'], message: '注意' }],
    stop: false,
  } as const

  it('round-trips a flat rule through the structured form', () => {
    const form = ruleToForm({ ...rule, name: 'VIP', enabled: true } as never)!
    expect(form.conditions.map((c) => c.value)).toEqual(['vip, enterprise', '3'])
    const back = formToRule(form)
    expect(back.when).toEqual(rule.when)
    expect(back.then).toEqual(rule.then)
    expect(back.on).toEqual(rule.on)
  })

  it('leaves nested conditions to the JSON view', () => {
    expect(ruleToForm({ when: { all: [{ any: [{ field: 'emotion', op: 'gte', value: 3 }] }] }, then: [] })).toBeNull()
  })

  it('points server error paths at the part of the form they name', () => {
    expect(errorTarget('when.all[1].op')).toBe('cond.1.op')
    expect(errorTarget('when.all[0].value[2]')).toBe('cond.0.value')
    expect(errorTarget('then[2].reason')).toBe('act.2.reason')
    expect(errorTarget('name')).toBe('name')
    expect(errorTarget('when.any[0].op', 'any')).toBe('cond.0.op')
    expect(errorTarget('when.all[0].not.op')).toBe('cond.0.field')
    expect(errorTarget('something.else')).toBe('json')
  })

  it('groups routing skills by kind and joins them back', () => {
    const g = groupSkills(['lang:th', 'product:phone', 'tier:2', 'vip-desk'])
    expect(g.lang).toEqual(['th'])
    expect(g.other).toEqual(['vip-desk'])
    g.region.push('华东')
    expect(joinSkills(g)).toEqual(['lang:th', 'product:phone', 'region:华东', 'tier:2', 'vip-desk'])
  })
})

describe('rule editor', () => {
  const existing: TriageRule = {
    id: 7,
    name: '威胁曝光',
    position: 10,
    enabled: true,
    version: 2,
    on: ['created'],
    when: { all: [{ field: 'text', op: 'contains_any', value: ['曝光'] }, { field: 'emotion', op: 'gte', value: 3 }] },
    then: [{ type: 'set', field: 'priority', value: 'urgent' }],
  }

  it('shows the server’s validation error next to the condition it names', async () => {
    const { calls } = mockFetch((c) =>
      c.method === 'PATCH'
        ? { status: 400, body: { error: { code: 'validation_failed', field: 'when.all[1].op', message: 'when.all[1].op: "contains_any" does not apply to the field emotion' } } }
        : undefined,
    )
    const w = mountApp(RuleEditor, { props: { modelValue: true, rule: existing }, attachTo: document.body })
    await flush()
    ;(document.querySelector('[data-test="rule-save"]') as HTMLElement).click()
    await flush()
    await flush()
    expect(calls[0].url).toBe('/api/v1/triage/rules/7')
    expect(calls[0].body).toMatchObject({ name: '威胁曝光', when: existing.when, then: existing.then })
    const err = document.querySelector('[data-test="err-cond-1-op"]')
    expect(err?.textContent).toBe('运算符: "contains_any" does not apply to the field emotion')
    expect(document.querySelector('[data-test="err-cond-0-op"]')).toBeNull()
    w.unmount()
  }, 30000)

  it('shows an error of an action at that action, and a name error at the name', async () => {
    let answer = { field: 'then[0].value', message: 'then[0].value: "superurgent" is not one of urgent|high|normal|low' }
    mockFetch(() => ({ status: 400, body: { error: { code: 'validation_failed', ...answer } } }))
    const w = mountApp(RuleEditor, { props: { modelValue: true, rule: existing }, attachTo: document.body })
    await flush()
    ;(document.querySelector('[data-test="rule-save"]') as HTMLElement).click()
    await flush()
    await flush()
    expect(document.querySelector('[data-test="err-act-0-value"]')?.textContent).toContain('"superurgent" is not one of')
    answer = { field: 'name', message: 'name must be 1–200 bytes' }
    ;(document.querySelector('[data-test="rule-save"]') as HTMLElement).click()
    await flush()
    await flush()
    expect(document.querySelector('[data-test="err-act-0-value"]')).toBeNull()
    expect(document.querySelector('[data-test="err-name"]')?.textContent).toBe('name must be 1–200 bytes')
    w.unmount()
  }, 30000)
})

describe('rows of the rule editor', () => {
  type Row = { name: string }
  const mountRows = (rows: Row[], props: { errors?: Record<string, string>; listError?: string; readonly?: boolean } = {}) =>
    mountApp(RuleRowList, {
      props: { rows, kind: 'cond', errors: {}, addLabel: '添加条件', newRow: () => ({ name: 'new' }), ...props },
      slots: { default: ({ row }: { row: Row }) => h('span', { class: 'part' }, row.name) },
    } as never)

  it('draws each row’s parts with the server’s errors of that row under it, and the list’s error once', () => {
    const w = mountRows([{ name: 'a' }, { name: 'b' }], { errors: { 'cond.1.op': 'bad operator', 'act.1.op': 'not ours' }, listError: 'too many' })
    expect(w.find('[data-test="cond-0"] .part').text()).toBe('a')
    expect(w.find('[data-test="cond-1"] .part').text()).toBe('b')
    expect(w.find('[data-test="cond-1"] [data-test="err-cond-1-op"]').text()).toBe('运算符: bad operator')
    expect(w.find('[data-test="cond-0"]').text()).not.toContain('bad operator')
    expect(w.text()).not.toContain('not ours')
    expect(w.findAll('.err').filter((e) => e.text() === 'too many').length).toBe(1)
  })

  it('adds a fresh row at the end and removes the row whose button was pressed', async () => {
    const rows = reactive([{ name: 'a' }, { name: 'b' }, { name: 'c' }])
    const w = mountRows(rows)
    await w.find('[data-test="cond-add"]').trigger('click')
    expect(rows.map((r) => r.name)).toEqual(['a', 'b', 'c', 'new'])
    await w.find('[data-test="cond-1"] [data-test="cond-remove"]').trigger('click')
    expect(rows.map((r) => r.name)).toEqual(['a', 'c', 'new'])
    expect(w.findAll('.part').map((p) => p.text())).toEqual(['a', 'c', 'new'])
  })

  it('offers neither add nor remove when read-only', () => {
    const w = mountRows([{ name: 'a' }], { readonly: true })
    expect(w.find('[data-test="cond-0"] .part').text()).toBe('a')
    expect(w.find('[data-test="cond-add"]').exists()).toBe(false)
    expect(w.find('[data-test="cond-remove"]').exists()).toBe(false)
  })
})

describe('triage history panel', () => {
  const history = [
    {
      id: 1,
      at: '2026-11-23T01:00:00Z',
      trigger: 'created',
      emotion: 4,
      threats: ['media'],
      cues: [{ kind: 'threat.media', text: '记者', weight: 3 }],
      language: 'zh',
      category_suggestions: [
        { category: 'billing', probability: 0.41 },
        { category: 'network', probability: 0.3 },
        { category: 'service_attitude', probability: 0.12 },
      ],
      fired_rules: [{ id: 2, name: '对外威胁转红案' }],
    },
  ]

  it('offers the top three causes while the complaint has none, and accepts one', async () => {
    const w = mountApp(TriageHistoryPanel, { props: { history, category: null, canSetCategory: true } })
    expect(w.findAll('[data-test="category-suggestion"]').length).toBe(3)
    expect(w.text()).toContain('41%')
    expect(w.text()).toContain('记者')
    expect(w.find('[data-threat="media"]').exists()).toBe(true)
    await w.find('[data-test="accept-network"]').trigger('click')
    expect(w.emitted('accept')).toEqual([['network']])
    await w.setProps({ category: 'network' })
    expect(w.find('[data-test="category-suggestions"]').exists()).toBe(false)
  })
})
