// Helpers shared by the e2e scenarios: assertions, waiting, Element Plus
// selects and logging in through the login page.
import path from 'node:path'

export function assert(cond, msg) {
  if (!cond) throw new Error(msg)
}

export async function eventually(fn, { timeout = 15000, interval = 250, message = 'condition' } = {}) {
  const end = Date.now() + timeout
  let last
  for (;;) {
    try {
      const v = await fn()
      if (v) return v
    } catch (e) {
      last = e
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${message}${last ? `: ${last.message}` : ''}`)
    await new Promise((r) => setTimeout(r, interval))
  }
}

/** Choose an option of an Element Plus select by its visible text. */
export async function pick(page, selectSelector, optionText) {
  await page.locator(selectSelector).first().click()
  const opt = page.locator('.el-select-dropdown__item:visible', { hasText: optionText }).first()
  await opt.waitFor({ state: 'visible', timeout: 5000 })
  await opt.click()
}

export async function login(page, base, username, password) {
  await page.goto(`${base}/login`)
  await page.locator('input[data-test="login-username"]').fill(username)
  await page.locator('input[data-test="login-password"]').fill(password)
  await page.locator('[data-test="login-submit"]').click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15000 })
}

/** Browser contexts of the scenarios: a desktop screen in China. */
export const CONTEXT_OPTIONS = { viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' }

/** A Chinese-speaking user made through the API by the administrator. */
export function createUser(admin, { username, name, role, password, teamId }) {
  return admin.post('/users', { username, display_name: name, role, password, team_ids: [teamId], language: 'zh-CN' })
}

/** The screenshot of a failed test: `fail-<test name>.png`. */
export function failureShot(page, shots, testName) {
  const safe = testName.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)
  return page.screenshot({ path: path.join(shots, `fail-${safe}.png`) })
}
