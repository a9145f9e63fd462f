// The e2e scenario of the service-level screens: a complaint shows its SLA
// clocks counting down; an SLA policy made in the admin screen (email, first
// response in 5 minutes) applies to a new email complaint; a calendar's hours
// are edited and the due-time calculator used; the SLA board lists the
// complaints at risk.
import path from 'node:path'
import { CONTEXT_OPTIONS, assert, eventually, failureShot, login } from './lib/browser.mjs'

export async function createSlaScenario({ browser, base, admin, adminUser, adminPassword, shots }) {
  const suffix = `s${Date.now().toString(36).slice(-5)}`
  const state = {}
  const metrics = {}
  const team = await admin.post('/teams', { name: `E2E 时限组 ${suffix}`, region: '华东' })
  const ctx = await browser.newContext(CONTEXT_OPTIONS)
  const page = await ctx.newPage()
  page.on('pageerror', (e) => console.log(`    [sla admin page error] ${e.message}`))
  const shot = (name) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: false })
  const policyName = `E2E 邮件五分钟 ${suffix}`
  const clockText = (metric) => page.locator(`[data-test="sla-clock"][data-metric="${metric}"] [data-test="sla-clock-text"]`)

  const tests = [
    {
      name: 'sla: a complaint shows its SLA clocks counting down',
      fn: async () => {
        await login(page, base, adminUser, adminPassword)
        const t = await admin.post('/tickets', {
          subject: `网络断了三天 ${suffix}`,
          description: '家里宽带断了三天，请尽快处理。',
          channel: 'phone',
          customer: { name: `郑${suffix}` },
          team_id: team.id,
        })
        state.ticket = t
        await page.goto(`${base}/tickets/${t.id}`)
        await page.locator('[data-test="sla-panel"] [data-test="sla-clock"]').first().waitFor({ timeout: 15000 })
        const metricsShown = await page.locator('[data-test="sla-clock"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-metric')))
        assert(metricsShown.includes('first_response'), `clocks: ${metricsShown.join(', ')}`)
        assert((await page.locator('[data-test="sla-panel"]').innerText()).includes('首次响应'), 'no 首次响应 label')
        // a running wall-clock or business clock: the text changes within a few seconds, or it is paused / outside hours
        const first = clockText('first_response')
        const status = await first.getAttribute('data-status')
        if (status === 'running') {
          const before = await first.innerText()
          await eventually(async () => (await first.innerText()) !== before, { timeout: 5000, message: 'the countdown ticks' })
        }
        await shot('30-complaint-sla')
      },
    },
    {
      name: 'sla: a policy made in the admin screen (email, first response 5 minutes) applies to a new email complaint',
      fn: async () => {
        await page.goto(`${base}/admin/sla-policies`)
        await page.locator('[data-test="policy-row"]').first().waitFor({ timeout: 15000 })
        await page.locator('[data-test="policy-new"]').click()
        const dlg = page.locator('.el-dialog[data-test="policy-editor"]:visible')
        await dlg.waitFor()
        await dlg.locator('input[data-test="policy-name"]').fill(policyName)
        // condition: channel eq email
        await dlg.locator('[data-test="cond-add"]').click()
        await dlg.locator('[data-test="cond-0"] [data-test="cond-field"]').click()
        await page.locator('.el-select-dropdown__item:visible', { hasText: /渠道|channel/ }).first().click()
        // the operator of a name field is "eq" by default
        await dlg.locator('[data-test="cond-0"] input[data-test="cond-value"]').fill('email')
        // first response: 5 minutes of calendar time; first a bad warning to see the server's error at its field
        const fr = dlg.locator('[data-test="target-first_response"]')
        await fr.locator('[data-test="target-on"]').click()
        await fr.locator('[data-test="target-minutes"] input').fill('5')
        await fr.locator('[data-test="target-business"]').click()
        await dlg.locator('input[data-test="policy-warnings"]').fill('75, 150')
        await dlg.locator('[data-test="policy-save"]').click()
        await dlg.locator('[data-test="err-warnings"]').waitFor({ timeout: 10000 })
        await shot('31-sla-policy-editor')
        await dlg.locator('input[data-test="policy-warnings"]').fill('50, 80')
        await dlg.locator('[data-test="policy-save"]').click()
        await dlg.waitFor({ state: 'hidden', timeout: 10000 })
        const row = page.locator('[data-test="policy-row"]', { hasText: policyName })
        await row.waitFor({ timeout: 10000 })
        // move it to the top, so that it is tried first
        for (let i = 0; i < 10 && (await page.locator('[data-test="policy-row"]').first().innerText()).indexOf(policyName) < 0; i++) {
          await row.locator('[data-test="policy-up"]').click()
          await page.waitForTimeout(300)
        }
        assert((await page.locator('[data-test="policy-row"]').first().innerText()).includes(policyName), 'the policy did not move to the top')
        await page.locator('[data-test="sla-reevaluate"]').click()
        await page.locator('[data-test="reevaluated"]').waitFor({ timeout: 15000 })
        await shot('32-sla-policies')
        const t = await admin.post('/tickets', {
          subject: `邮件投诉 ${suffix}`,
          description: '发了邮件一直没人回。',
          channel: 'email',
          customer: { name: `冯${suffix}`, email: `feng-${suffix}@example.com` },
          team_id: team.id,
        })
        state.emailTicket = t
        await page.goto(`${base}/tickets/${t.id}`)
        await page.locator('[data-test="sla-policy"]', { hasText: policyName }).waitFor({ timeout: 15000 })
        const text = await clockText('first_response').innerText()
        assert(/剩余 0:0[45]:\d\d/.test(text), `first response shows ${text}`)
      },
    },
    {
      name: 'sla: the queue shows each complaint’s SLA countdown from the list, without a request per row',
      fn: async () => {
        const t = state.emailTicket
        assert(t, 'the email complaint of the previous test')
        const paths = []
        const onRequest = (r) => {
          const u = new URL(r.url())
          if (u.pathname.startsWith('/api/')) paths.push(u.pathname)
        }
        page.on('request', onRequest)
        try {
          await page.goto(`${base}/queue/all`)
          const row = page.locator(`[data-test="ticket-row"][data-ticket-id="${t.id}"]`)
          await row.waitFor({ timeout: 15000 })
          const mark = row.locator('[data-test="sla-indicator"]')
          await mark.waitFor({ timeout: 10000 })
          assert((await mark.getAttribute('data-metric')) === 'first_response', `indicator of ${await mark.getAttribute('data-metric')}`)
          assert(((await mark.getAttribute('title')) || '').includes('首次响应'), `tooltip: ${await mark.getAttribute('title')}`)
          const text = mark.locator('[data-test="sla-clock-text"]')
          const before = await text.innerText()
          assert(/剩余 0:0[2-5]:\d\d/.test(before), `the row shows ${before}`)
          assert((await text.getAttribute('data-tone')) !== 'danger', 'not late yet')
          await eventually(async () => (await text.innerText()) !== before, { timeout: 5000, message: 'the row counts down' })
          const rows = await page.locator('[data-test="ticket-row"]').count()
          const marks = await page.locator('[data-test="ticket-row"] [data-test="sla-indicator"]').count()
          metrics.queueRowsWithSla = `${marks} of ${rows}`
          const perRow = paths.filter((p) => /^\/api\/v1\/tickets\/\d+/.test(p) || p.startsWith('/api/v1/sla/'))
          assert(perRow.length === 0, `requests per row: ${perRow.slice(0, 5).join(', ')}`)
          await shot('35-queue-sla')
        } finally {
          page.off('request', onRequest)
        }
      },
    },
    {
      name: 'sla: edit a calendar’s hours and use the due-time calculator',
      fn: async () => {
        const id = `e2e-${suffix}`
        await admin.post('/calendars', {
          id,
          name: `E2E 日历 ${suffix}`,
          time_zone: 'Asia/Shanghai',
          weekly: { monday: ['09:00-18:00'], tuesday: ['09:00-18:00'], wednesday: ['09:00-18:00'], thursday: ['09:00-18:00'], friday: ['09:00-18:00'] },
          holidays: [],
          working_days: [],
        })
        await page.goto(`${base}/admin/calendars`)
        await page.locator(`[data-test="calendar-row"][data-calendar-id="${id}"]`).click()
        const ed = page.locator('[data-test="calendar-editor"]')
        await ed.locator('input[data-test="weekly-saturday"]').fill('25:00-26:00')
        await ed.locator('[data-test="calendar-save"]').click()
        await ed.locator('[data-test="err-weekly-saturday"]').waitFor({ timeout: 10000 })
        await ed.locator('input[data-test="weekly-saturday"]').fill('10:00-16:00')
        await ed.locator('[data-test="calendar-save"]').click()
        await eventually(async () => {
          const c = await admin.get(`/calendars/${id}`)
          return (c.weekly.saturday || []).join() === '10:00-16:00'
        }, { message: 'saturday hours saved' })
        // calculator: Friday 2026-11-27 17:30 (Shanghai) + 60 business minutes → Saturday 10:30
        const calc = page.locator('[data-test="calendar-calculator"]')
        const from = calc.locator('.el-date-editor input').first()
        await from.click()
        await from.fill('2026-11-27 17:30:00')
        await from.press('Enter')
        await page.keyboard.press('Escape').catch(() => {})
        await calc.locator('[data-test="calc-minutes"] input').fill('60')
        await calc.locator('[data-test="calc-run"]').click()
        const result = calc.locator('[data-test="calc-result"]')
        await result.waitFor({ timeout: 10000 })
        assert((await result.innerText()).includes('2026-11-28 10:30'), `calculator says ${await result.innerText()}`)
        await shot('33-calendars')
      },
    },
    {
      name: 'sla: the SLA board lists the complaints at risk',
      needs: ['emailTicket'],
      fn: async () => {
        await page.goto(`${base}/sla`)
        await page.locator('[data-test="sla-board"]').waitFor()
        await page.locator('[data-test="sla-team"]').click()
        await page.locator('.el-select-dropdown__item:visible', { hasText: team.name }).first().click()
        const row = page.locator(`[data-test="sla-at-risk"] [data-test="sla-row"][data-ticket-id="${state.emailTicket.id}"]`)
        await row.waitFor({ timeout: 15000 })
        await page.locator('[data-test="sla-counts"]').waitFor()
        await shot('34-sla-board')
      },
    },
  ]

  return {
    tests,
    state,
    metrics,
    captureFailure: (name) => failureShot(page, shots, name),
    async close() {
      await ctx.close()
    },
  }
}
