import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import TicketTimeline from '@/components/TicketTimeline.vue'
import PresenceBanner from '@/components/PresenceBanner.vue'
import TicketList from '@/components/TicketList.vue'
import ReplyComposer from '@/components/ReplyComposer.vue'
import StateTag from '@/components/StateTag.vue'
import LoginView from '@/views/LoginView.vue'
import { buildTimeline } from '@/stores/ticket'
import { useAuthStore } from '@/stores/auth'
import { setLocale } from '@/i18n'
import { flush, freshPinia, mockFetch, mountApp } from './helpers'

const XSS = '<img src=x onerror=alert(1)>'

describe('timeline', () => {
  it('merges messages, events and hand-offs newest first', () => {
    const tl = buildTimeline({
      messages: [{ id: 1, kind: 'reply', author_kind: 'customer', body: 'a', created_at: '2026-11-23T01:00:00Z' }],
      events: [{ id: 1, at: '2026-11-23T02:00:00Z', type: 'state_changed', field: 'state', from: 'new', to: 'open' }],
      handoffs: [{ id: 1, department: 'logistics', question: 'q', state: 'open', created_at: '2026-11-23T03:00:00Z' }],
    })
    expect(tl.map((e) => e.kind)).toEqual(['handoff', 'event', 'message'])
  })

  it('shows customer text literally, never as HTML', () => {
    freshPinia()
    const entries = buildTimeline({
      messages: [{ id: 1, kind: 'reply', author_kind: 'customer', author_name: XSS, body: `${XSS}\n第二行`, created_at: '2026-11-23T01:00:00Z' }],
      events: [{ id: 2, at: '2026-11-23T02:00:00Z', type: 'field_changed', field: 'subject', from: 'old', to: XSS }],
      handoffs: [{ id: 3, department: 'tech', question: XSS, answer: XSS, state: 'answered', created_at: '2026-11-23T03:00:00Z' }],
    })
    const w = mountApp(TicketTimeline, { props: { entries } })
    expect(w.find('img').exists()).toBe(false)
    expect(w.text()).toContain(XSS)
    expect(w.findAll('[data-test="timeline-message"]').length).toBe(1)
    expect(w.text()).toContain('将主题从“old”改为“<img src=x onerror=alert(1)>”')
  })

  it('describes state changes in the user language', () => {
    freshPinia()
    const entries = buildTimeline({
      messages: [],
      events: [{ id: 1, at: '2026-11-23T02:00:00Z', actor_name: '张伟', type: 'state_changed', field: 'state', from: 'open', to: 'resolved' }],
      handoffs: [],
    })
    const w = mountApp(TicketTimeline, { props: { entries } })
    expect(w.text()).toContain('张伟')
    expect(w.text()).toContain('将状态从“处理中”改为“已解决”')
  })
})

describe('presence banner', () => {
  it('shows who else is viewing and warns when someone writes', async () => {
    const w = mountApp(PresenceBanner, { props: { users: [{ id: 1, name: '我', composing: false }, { id: 2, name: '王芳', composing: false }], meId: 1 } })
    expect(w.text()).toBe('王芳 也在查看此投诉')
    await w.setProps({ users: [{ id: 2, name: '王芳', composing: true }, { id: 3, name: '刘洋', composing: false }], meId: 1 })
    expect(w.text()).toContain('注意：王芳 正在编写回复')
    await w.setProps({ users: [{ id: 1, name: '我', composing: true }], meId: 1 })
    expect(w.find('[data-test="presence-banner"]').exists()).toBe(false)
  })
})

describe('ticket list', () => {
  it('renders only the visible window of 10,000 rows', () => {
    const items = Array.from({ length: 10000 }, (_, i) => ({
      id: i + 1,
      number: `N${i + 1}`,
      subject: i === 0 ? XSS : `投诉 ${i + 1}`,
      channel: 'phone',
      state: 'open',
      created_at: '2026-11-23T00:00:00Z',
      updated_at: '2026-11-23T00:00:00Z',
    }))
    const w = mountApp(TicketList, { props: { items, columns: ['number', 'subject', 'state'] } })
    const rows = w.findAll('[data-test="ticket-row"]')
    expect(rows.length).toBeGreaterThan(5)
    expect(rows.length).toBeLessThan(100)
    expect(w.find('.body').attributes('style')).toContain('height: 400000px')
    expect(w.find('img').exists()).toBe(false)
    expect(rows[0].text()).toContain(XSS)
  })

  it('emits open on click', async () => {
    const items = [{ id: 5, number: 'N5', subject: 's', channel: 'web', state: 'new', created_at: '2026-11-23T00:00:00Z', updated_at: '2026-11-23T00:00:00Z' }]
    const w = mountApp(TicketList, { props: { items, columns: ['number', 'subject'] } })
    await w.find('[data-test="ticket-row"]').trigger('click')
    expect(w.emitted('open')![0][0]).toMatchObject({ id: 5 })
    expect(w.emitted('select')![0]).toEqual([0])
  })
})

describe('reply composer', () => {
  it('sends with Ctrl+Enter and refuses empty text', async () => {
    const pinia = freshPinia()
    useAuthStore().setSession({ id: 1, username: 'a', display_name: 'A', role: 'agent', team_ids: [], department_id: null, language: 'zh-CN', time_zone: 'UTC', permissions: ['tickets.reply', 'tickets.note'] }, 'c')
    const w = mountApp(ReplyComposer, { props: { channel: 'email' } }, pinia)
    const ta = w.find('textarea')
    await ta.trigger('keydown', { key: 'Enter', ctrlKey: true })
    expect(w.emitted('send')).toBeUndefined()
    expect(w.text()).toContain('请输入内容')
    await ta.setValue('您好，已为您处理')
    expect(w.emitted('composing')![0]).toEqual([true])
    await ta.trigger('keydown', { key: 'Enter', ctrlKey: true })
    expect(w.emitted('send')![0][0]).toMatchObject({ kind: 'reply', body: '您好，已为您处理', extra: { channel: 'email' }, afterStateId: null })
  })

  it('hides public replies from users without tickets.reply', () => {
    const pinia = freshPinia()
    useAuthStore().setSession({ id: 1, username: 'q', display_name: 'Q', role: 'qa', team_ids: [], department_id: null, language: 'zh-CN', time_zone: 'UTC', permissions: ['tickets.read', 'tickets.note'] }, 'c')
    const w = mountApp(ReplyComposer, {}, pinia)
    expect(w.find('[data-test="mode-reply"]').exists()).toBe(false)
    expect(w.find('[data-test="mode-note"]').exists()).toBe(true)
  })
})

describe('state tag', () => {
  it('uses the configured state name in the current language', async () => {
    const w = mountApp(StateTag, { props: { state: 'pending_customer' } })
    expect(w.text()).toBe('待客户回复')
    await w.setProps({ name: '等客户', nameEn: 'Waiting' })
    expect(w.text()).toBe('等客户')
    setLocale('en')
    await nextTick()
    expect(w.text()).toBe('Waiting')
    setLocale('zh-CN')
  })
})

describe('login view', () => {
  afterEach(() => vi.unstubAllGlobals())

  async function attempt(status: number, body: unknown, headers: Record<string, string> = {}) {
    mockFetch(() => ({ status, body, headers }))
    const w = mountApp(LoginView)
    await w.find('input[data-test="login-username"]').setValue('agent1')
    await w.find('input[data-test="login-password"]').setValue('bad')
    await w.find('form').trigger('submit')
    await flush()
    await flush()
    return w
  }

  it('says plainly when the password is wrong', async () => {
    const w = await attempt(401, { error: { code: 'invalid_credentials', message: 'wrong username or password' } })
    expect(w.find('[data-test="login-error"]').text()).toContain('用户名或密码错误')
  })

  it('shows the throttling wait time and disables the button', async () => {
    const w = await attempt(429, { error: { code: 'rate_limited', message: 'too many' } }, { 'Retry-After': '60' })
    expect(w.find('[data-test="login-error"]').text()).toContain('请在 60 秒后重试')
    expect(w.find('[data-test="login-submit"]').attributes('disabled')).toBeDefined()
  })

  it('asks for the username first', async () => {
    const w = mountApp(LoginView)
    await w.find('form').trigger('submit')
    expect(w.find('[data-test="login-error"]').text()).toContain('请输入用户名')
  })
})

describe('element plus registration', () => {
  it('every global component the screens use is registered', () => {
    const w = mountApp({
      template: `<div>
        <el-radio-group model-value="a"><el-radio-button value="a">A</el-radio-button></el-radio-group>
        <el-select model-value=""><el-option value="x" label="x" /></el-select>
        <el-form><el-form-item label="l"><el-input /></el-form-item></el-form>
        <el-dropdown><span>d</span><template #dropdown><el-dropdown-menu><el-dropdown-item>i</el-dropdown-item></el-dropdown-menu></template></el-dropdown>
        <el-checkbox-group :model-value="[]"><el-checkbox value="c">c</el-checkbox></el-checkbox-group>
      </div>`,
    })
    expect(w.find('.el-radio-button').exists()).toBe(true)
    expect(() => mountApp({ template: '<el-no-such-thing />' })).toThrow(/Failed to resolve component/)
  })
})

describe('timeline with server events', () => {
  it('hides message_added events and names customers and the system', () => {
    freshPinia()
    const entries = buildTimeline({
      messages: [{ id: 13, kind: 'reply', author_kind: 'customer', author_name: null, body: '空调异响', created_at: '2026-05-26T03:51:40Z' }],
      events: [
        { id: 37, at: '2026-05-26T03:51:40Z', actor_kind: 'system', type: 'created', field: 'state', from: '', to: '新建' },
        { id: 38, at: '2026-05-26T03:51:40Z', actor_kind: 'customer', type: 'message_added', field: 'reply', from: '', to: '13' },
        { id: 40, at: '2026-05-26T04:17:14Z', actor_kind: 'agent', actor_name: '王芳', type: 'field_changed', field: 'team', from: '', to: '华东' },
      ],
      handoffs: [],
    })
    expect(entries.length).toBe(3)
    const w = mountApp(TicketTimeline, { props: { entries, customerName: '周刚' } })
    expect(w.text()).toContain('周刚')
    expect(w.text()).toContain('系统')
    expect(w.text()).toContain('将团队从“无”改为“华东”')
    expect(w.text()).not.toContain('reply')
  })
})
