#!/usr/bin/env node
// End-to-end tests of the kefu web app: playwright-core drives Debian's
// chromium against a running kefu server.
//
//   KEFU_URL=http://127.0.0.1:18080 KEFU_ADMIN_USER=admin KEFU_ADMIN_PASSWORD=... \
//     node tests/e2e/run.mjs            (or: cd web && npm run e2e)
//
// Optional: KEFU_SCREENSHOTS (default <repo>/build/screenshots),
// KEFU_CHROMIUM (default /usr/bin/chromium), KEFU_E2E_ONLY (substring filter),
// KEFU_E2E_NO_WEBSOCKET=1 (the browsers get no WebSocket: tests the polling
// fallback; the presence test is skipped).
// Prints "N passed, N failed" last and exits non-zero on failure.
import { createRequire } from 'node:module'
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Api } from './lib/api.mjs'
import { createScenario } from './scenario.mjs'
import { createTriageScenario } from './triage-scenario.mjs'
import { createSlaScenario } from './sla-scenario.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const repo = path.resolve(here, '..', '..')
const require = createRequire(path.join(repo, 'web', 'package.json'))
const { chromium } = require('playwright-core')

const BASE = (process.env.KEFU_URL || '').replace(/\/+$/, '')
const ADMIN_USER = process.env.KEFU_ADMIN_USER || 'admin'
const ADMIN_PASSWORD = process.env.KEFU_ADMIN_PASSWORD || ''
const SHOTS = path.resolve(process.env.KEFU_SCREENSHOTS || path.join(repo, 'build', 'screenshots'))
const CHROMIUM = process.env.KEFU_CHROMIUM || '/usr/bin/chromium'
const ONLY = process.env.KEFU_E2E_ONLY || ''
const TOTAL_BUDGET_MS = Number(process.env.KEFU_E2E_BUDGET_MS || 300000)

if (!BASE || !ADMIN_PASSWORD) {
  console.error('set KEFU_URL and KEFU_ADMIN_PASSWORD (and KEFU_ADMIN_USER if not "admin")')
  console.log('0 passed, 1 failed')
  process.exit(2)
}

mkdirSync(SHOTS, { recursive: true })
for (const f of readdirSync(SHOTS)) if (f.startsWith('fail-') && f.endsWith('.png')) rmSync(path.join(SHOTS, f))
const profileDir = mkdtempSync(path.join(tmpdir(), 'kefu-e2e-'))
const started = Date.now()
let passed = 0
let failed = 0
let skipped = 0
const results = []

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  // A fresh profile each run; no network other than the server under test.
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    `--disk-cache-dir=${path.join(profileDir, 'cache')}`,
  ],
})

const admin = new Api(BASE)
let scenarios = []
try {
  await admin.login(ADMIN_USER, ADMIN_PASSWORD)
  const options = {
    browser,
    base: BASE,
    admin,
    adminUser: ADMIN_USER,
    adminPassword: ADMIN_PASSWORD,
    shots: SHOTS,
    noWebSocket: process.env.KEFU_E2E_NO_WEBSOCKET === '1',
  }
  scenarios = [await createScenario(options), await createTriageScenario(options), await createSlaScenario(options)]
} catch (e) {
  console.error('setup failed:', e && e.stack ? e.stack : e)
  await browser.close().catch(() => {})
  rmSync(profileDir, { recursive: true, force: true })
  console.log('0 passed, 1 failed')
  process.exit(1)
}

for (const [scenario, t] of scenarios.flatMap((s) => s.tests.map((t) => [s, t]))) {
  if (ONLY && !t.name.includes(ONLY)) continue
  if (Date.now() - started > TOTAL_BUDGET_MS) {
    failed++
    console.log(`✗ ${t.name}: skipped, time budget of ${TOTAL_BUDGET_MS / 1000}s used up`)
    continue
  }
  const skipReason = t.skip ? t.skip() : ''
  if (skipReason) {
    skipped++
    console.log(`- ${t.name}: skipped (${skipReason})`)
    continue
  }
  const t0 = Date.now()
  try {
    const missing = (t.needs || []).filter((k) => scenario.state[k] === undefined)
    if (missing.length) throw new Error(`needs ${missing.join(', ')} from an earlier step`)
    await t.fn()
    passed++
    results.push({ name: t.name, ok: true, ms: Date.now() - t0 })
    console.log(`✓ ${t.name} (${Date.now() - t0} ms)`)
  } catch (e) {
    failed++
    results.push({ name: t.name, ok: false, ms: Date.now() - t0, error: String(e && e.message ? e.message : e) })
    console.log(`✗ ${t.name} (${Date.now() - t0} ms)\n    ${String(e && e.stack ? e.stack : e).split('\n').slice(0, 4).join('\n    ')}`)
    await scenario.captureFailure(t.name).catch(() => {})
  }
}

for (const s of scenarios) for (const [k, v] of Object.entries(s.metrics)) console.log(`metric ${k}: ${v}`)
console.log(`screenshots: ${SHOTS}`)
console.log(`total ${((Date.now() - started) / 1000).toFixed(1)} s`)
for (const s of scenarios) await s.close().catch(() => {})
await browser.close().catch(() => {})
rmSync(profileDir, { recursive: true, force: true })
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(failed ? 1 : 0)
