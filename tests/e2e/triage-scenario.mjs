// The e2e scenario of the triage screens: a rule written in the rule editor
// fires on a dry run; a complaint that threatens media exposure shows its
// emotion grade and threat; a red case is marked by hand, reported on and
// closed from the red-case board; the supervisor's notification bell counts
// up live; the lexicon, settings, routing and at-risk screens.
import path from 'node:path'
import { CONTEXT_OPTIONS, assert, createUser, eventually, failureShot, login, pick } from './lib/browser.mjs'

export async function createTriageScenario({ browser, base, admin, adminUser, adminPassword, shots }) {
  const suffix = `t${Date.now().toString(36).slice(-5)}`
  const password = `e2e-Pass-${suffix}-x`
  const state = {}
  const metrics = {}

  const team = await admin.post('/teams', { name: `E2E 分诊组 ${suffix}`, region: '华南' })
  const supUser = await createUser(admin, { username: `e2e_tsup_${suffix}`, name: `分诊主管${suffix}`, role: 'supervisor', password, teamId: team.id })

  const admCtx = await browser.newContext(CONTEXT_OPTIONS)
  const supCtx = await browser.newContext(CONTEXT_OPTIONS)
  const adm = await admCtx.newPage()
  const sup = await supCtx.newPage()
  for (const [name, p] of [['triage admin', adm], ['triage supervisor', sup]]) {
    p.on('pageerror', (e) => console.log(`    [${name} page error] ${e.message}`))
  }
  const shot = (page, name) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: false })
  let currentPage = adm
  const bellCount = async () => Number((await sup.locator('[data-test="notif-count"]').getAttribute('data-count')) || '0')

  const ruleName = `E2E 退款加急 ${suffix}`
  const keyword = '退款加急测试'

  const tests = [
    {
      name: 'triage: the supervisor logs in and sees the notification bell',
      fn: async () => {
        currentPage = sup
        await login(sup, base, supUser.username, password)
        await sup.locator('[data-test="notif-bell"]').waitFor()
        await sup.evaluate(() => {
          window.__kefuNoReload = 'still here'
        })
        state.supIn = true
      },
    },
    {
      name: 'triage: a rule made in the editor shows the server’s validation error at its field, then fires on a dry run',
      fn: async () => {
        currentPage = adm
        await login(adm, base, adminUser, adminPassword)
        await adm.locator('[data-test="nav-triage"]').click()
        await adm.locator('[data-test="triage-rules-page"] [data-test="rule-row"]').first().waitFor({ timeout: 15000 })
        await adm.locator('[data-test="rule-new"]').click()
        const dlg = adm.locator('.el-dialog[data-test="rule-editor"]:visible')
        await dlg.waitFor()
        await dlg.locator('input[data-test="rule-name"]').fill(ruleName)
        // condition 0: text contains any of the keyword (the defaults: text, contains any)
        await dlg.locator('[data-test="cond-0"] input[data-test="cond-value"]').fill(keyword)
        // action 0: set priority (the defaults) to a value that does not exist
        await dlg.locator('[data-test="act-0"] input[data-test="act-value"]').fill('superurgent')
        await dlg.locator('[data-test="rule-save"]').click()
        const err = dlg.locator('[data-test="err-act-0-value"]')
        await err.waitFor({ timeout: 10000 })
        assert((await err.innerText()).includes('superurgent'), `unexpected error text: ${await err.innerText()}`)
        await dlg.locator('[data-test="act-0"] input[data-test="act-value"]').fill('high')
        await dlg.locator('[data-test="act-add"]').click()
        await pick(adm, '[data-test="act-1"] [data-test="act-type"]', '添加标签')
        await dlg.locator('[data-test="act-1"] input[data-test="act-value"]').fill(`e2e-${suffix}`)
        await dlg.locator('[data-test="rule-save"]').click()
        await dlg.waitFor({ state: 'hidden', timeout: 10000 })
        const row = adm.locator('[data-test="rule-row"]', { hasText: ruleName })
        await row.waitFor({ timeout: 10000 })
        // the history has the first version
        await row.locator('[data-test="rule-history"]').click()
        await adm.locator('[data-test="rule-version"]:visible').first().waitFor({ timeout: 10000 })
        await adm.keyboard.press('Escape')
        // the dry run: which rules fire on this text
        await adm.locator('input[data-test="dryrun-subject"]').fill(`客户来电 ${suffix}`)
        await adm.locator('textarea[data-test="dryrun-text"]').fill(`客户要求${keyword}，订单 ${suffix}`)
        await adm.locator('[data-test="dryrun-run"]').click()
        await adm.locator('[data-test="dryrun-fired"]', { hasText: ruleName }).waitFor({ timeout: 10000 })
        const changes = await adm.locator('[data-test="dryrun-change"]').allInnerTexts()
        assert(changes.some((c) => c.includes('high')), `no priority change in the dry run: ${changes.join(' | ')}`)
        await shot(adm, '20-triage-rules')
        state.ruleMade = true
      },
    },
    {
      name: 'triage: a complaint threatening media exposure shows the emotion badge, the threat and the red banner',
      fn: async () => {
        currentPage = adm
        await adm.goto(`${base}/tickets/new`)
        await adm.locator('input[data-test="nt-phone"]').fill(`137${String(Date.now()).slice(-8)}`)
        await adm.locator('input[data-test="nt-name"]').fill(`周${suffix}`)
        await adm.locator('input[data-test="nt-subject"]').fill(`我要找记者曝光你们 ${suffix}`)
        await adm.locator('textarea[data-test="nt-description"]').fill('宽带断了一个星期，打了五次电话没人管。再不解决我就找记者曝光你们！')
        const assignMe = adm.locator('[data-test="nt-assign-me"]')
        if (await assignMe.count()) await assignMe.click()
        const teamText = await adm.locator('[data-test="nt-team"]').innerText()
        if (!teamText.includes(team.name)) await pick(adm, '[data-test="nt-team"]', team.name)
        await adm.locator('[data-test="nt-submit"]').click()
        await adm.waitForURL(/\/tickets\/\d+/, { timeout: 15000 })
        state.threatTicketId = Number(adm.url().match(/tickets\/(\d+)/)[1])
        const badge = adm.locator('.title-row [data-test="emotion-badge"]')
        await badge.waitFor({ timeout: 10000 })
        const grade = Number(await badge.getAttribute('data-grade'))
        assert(grade >= 3, `emotion grade ${grade}, expected angry or threatening`)
        assert(['愤怒', '威胁'].includes((await badge.innerText()).trim()), `badge says ${await badge.innerText()}`)
        await adm.locator('.title-row [data-test="threat-tags"] [data-threat="media"]').waitFor({ timeout: 10000 })
        await adm.locator('[data-test="triage-panel"] [data-test="triage-record"]').first().waitFor({ timeout: 10000 })
        // the seeded rule "media, regulator or legal threats are red cases" opened one
        await adm.locator('[data-test="red-case-banner"]').waitFor({ timeout: 10000 })
        await shot(adm, '21-complaint-triage')
        // the queue shows the grade too
        await adm.goto(`${base}/queue/all`)
        await adm.locator('input[data-test="queue-search"]').fill(suffix)
        const row = adm.locator(`[data-test="ticket-row"][data-ticket-id="${state.threatTicketId}"]`)
        await row.waitFor({ timeout: 15000 })
        await row.locator('[data-test="emotion-badge"]').waitFor({ timeout: 5000 })
      },
    },
    {
      name: 'triage: mark a complaint as a red case, see it on the board, report progress, close it with a reason',
      needs: ['supIn'],
      fn: async () => {
        currentPage = adm
        const t = await admin.post('/tickets', {
          subject: `发票开错了 ${suffix}`,
          description: '发票抬头写错了，请重新开一张。',
          channel: 'email',
          customer: { name: `吴${suffix}` },
          team_id: team.id,
        })
        state.redTicket = t
        state.bellBefore = await bellCount()
        await adm.goto(`${base}/tickets/${t.id}`)
        await adm.locator('[data-test="mark-red-case"]').click()
        const dlg = adm.locator('.el-dialog[data-test="mark-red-case-dialog"]:visible')
        await dlg.locator('[data-test="mark-red-case-dialog-confirm"]').click()
        await dlg.locator('[data-test="mark-red-case-dialog-error"]').waitFor({ timeout: 5000 })
        await dlg.locator('textarea[data-test="mark-red-case-dialog-reason"]').fill(`客户是人大代表，要求专班处理 ${suffix}`)
        await dlg.locator('[data-test="mark-red-case-dialog-confirm"]').click()
        await adm.locator('[data-test="red-case-banner"] [data-test="red-case-link"]').waitFor({ timeout: 10000 })
        // the board
        await adm.locator('[data-test="nav-red-cases"]').click()
        const row = adm.locator(`[data-test="red-case-row"][data-ticket-id="${t.id}"]`)
        await row.waitFor({ timeout: 10000 })
        assert((await row.innerText()).includes(supUser.display_name), 'the owner is not the team’s supervisor')
        assert((await row.getAttribute('data-overdue')) === '0', 'a new red case is shown as overdue')
        await shot(adm, '22-red-case-board')
        await row.click()
        await adm.locator('[data-test="red-case-page"] [data-test="red-case-reason"]').waitFor({ timeout: 10000 })
        await adm.locator('textarea[data-test="red-case-update-body"]').fill(`已联系客户，明天上门 ${suffix}`)
        await adm.locator('[data-test="red-case-update-add"]').click()
        await adm.locator('[data-test="red-case-update"]', { hasText: `明天上门 ${suffix}` }).waitFor({ timeout: 10000 })
        await shot(adm, '23-red-case')
        await adm.locator('[data-test="red-case-close"]').click()
        const close = adm.locator('.el-dialog[data-test="red-case-close-dialog"]:visible')
        await close.locator('textarea[data-test="red-case-close-dialog-reason"]').fill(`客户已满意，同意结案 ${suffix}`)
        await close.locator('[data-test="red-case-close-dialog-confirm"]').click()
        await adm.locator('[data-test="red-case-close-reason"]', { hasText: `同意结案 ${suffix}` }).waitFor({ timeout: 10000 })
        await adm.locator('[data-test="red-case-state"]', { hasText: '已解除红案' }).waitFor()
        await adm.goto(`${base}/red-cases`)
        await adm.locator('[data-test="red-cases-page"]').waitFor()
        await adm.waitForTimeout(500)
        assert((await adm.locator(`[data-test="red-case-row"][data-ticket-id="${t.id}"]`).count()) === 0, 'the closed red case is still on the board')
      },
    },
    {
      name: 'triage: the supervisor’s bell counts the red-case notification live and links to the complaint',
      needs: ['supIn', 'redTicket', 'bellBefore'],
      fn: async () => {
        currentPage = sup
        await eventually(async () => (await bellCount()) > state.bellBefore, { timeout: 20000, message: `bell count above ${state.bellBefore}` })
        assert((await sup.evaluate(() => window.__kefuNoReload)) === 'still here', 'the page was reloaded')
        await sup.locator('[data-test="notif-bell"]').click()
        const item = sup.locator('[data-test="notif-item"]', { hasText: state.redTicket.number })
        await item.first().waitFor({ timeout: 10000 })
        await shot(sup, '24-notifications')
        const before = await bellCount()
        await item.first().click()
        await sup.waitForURL(new RegExp(`/tickets/${state.redTicket.id}`), { timeout: 10000 })
        await eventually(async () => (await bellCount()) === before - 1, { message: 'reading a notification lowers the count' })
      },
    },
    {
      name: 'triage: the presence toggle sets online',
      needs: ['supIn'],
      fn: async () => {
        currentPage = sup
        await sup.locator('[data-test="presence-toggle"]').click()
        await sup.locator('[data-test="presence-online"]:visible').click()
        await sup.locator('[data-test="presence-toggle"][data-presence="online"]').waitFor({ timeout: 10000 })
        const agents = await admin.get('/routing/agents')
        const me = agents.items.find((a) => a.user_id === supUser.id)
        assert(me && me.presence === 'online', `server presence is ${me && me.presence}`)
      },
    },
    {
      name: 'triage: lexicon, settings and classifier, routing, customers at risk',
      fn: async () => {
        currentPage = adm
        const term = `专班测试词${suffix}`
        await adm.goto(`${base}/triage/lexicon`)
        await eventually(async () => Number(((await adm.locator('[data-test="lex-count"]').innerText()).match(/\d+/) || ['0'])[0]) > 0, {
          message: 'lexicon entries listed',
        })
        await adm.locator('input[data-test="lex-term"]').fill(term)
        await adm.locator('[data-test="lex-add"]').click()
        await adm.locator('.el-checkbox', { hasText: '只看本部门的' }).click()
        const row = adm.locator('[data-test="lex-table"] tr:visible', { hasText: term })
        await row.waitFor({ timeout: 10000 })
        await shot(adm, '25-triage-lexicon')
        await row.locator('[data-test="lex-delete"]').click()
        await row.waitFor({ state: 'detached', timeout: 10000 })

        await adm.goto(`${base}/triage/settings`)
        await adm.locator('[data-test="classifier-status"]').waitFor({ timeout: 10000 })
        await adm.locator('[data-test="classifier-evaluate"]').click()
        await adm.locator('[data-test="set-risk_threshold"]').waitFor()
        await adm.locator('[data-test="settings-save"]').click()
        await adm.locator('.el-message--success').first().waitFor({ timeout: 10000 })
        await shot(adm, '26-triage-settings')

        await adm.goto(`${base}/triage/routing`)
        await adm.locator(`[data-test="team-mode-${team.id}"]`).waitFor({ timeout: 10000 })
        await pick(adm, `[data-test="team-mode-${team.id}"]`, '最少在办优先')
        await adm.locator(`[data-test="team-routing-save-${team.id}"]`).click()
        await eventually(async () => (await admin.get('/routing/teams')).items.find((x) => x.team_id === team.id)?.mode === 'least_loaded', {
          message: 'team routing saved',
        })
        await adm.locator(`[data-test="agent-edit-${supUser.id}"]`).click()
        await adm.locator('[data-test="agent-capacity"] input').fill('7')
        await adm.locator('[data-test="agent-save"]').click()
        await eventually(async () => (await admin.get('/routing/agents')).items.find((x) => x.user_id === supUser.id)?.capacity === 7, {
          message: 'capacity saved',
        })
        await shot(adm, '27-triage-routing')

        await adm.locator('[data-test="nav-at-risk"]').click()
        await adm.locator('[data-test="at-risk-page"] [data-test="risk-table"]').waitFor({ timeout: 10000 })
        await adm.locator('[data-test="risk-min"] input').fill('0')
        await adm.locator('[data-test="risk-min"] input').press('Enter')
        await adm.locator('[data-test="risk-score"]').first().waitFor({ timeout: 10000 }).catch(() => {})
        await shot(adm, '28-at-risk')
      },
    },
  ]

  return {
    tests,
    state,
    metrics,
    captureFailure: (name) => failureShot(currentPage, shots, name),
    async close() {
      await admCtx.close()
      await supCtx.close()
    },
  }
}
