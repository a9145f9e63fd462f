#!/usr/bin/env node
// Runs the e2e tests against a kefu server of its own: a temporary data
// directory with demo data and an admin account, `kefu serve` on a free
// loopback port serving web/dist, then tests/e2e/run.mjs, then cleans up.
//
//   node tests/e2e/serve-and-run.mjs [--kefu build/release/kefu] [--tickets 2000]
//
// Needs web/dist (cd web && npm run build). Exits with run.mjs's status and
// prints its "N passed, N failed" line last.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import crypto from 'node:crypto'

const here = path.dirname(fileURLToPath(import.meta.url))
const repo = path.resolve(here, '..', '..')
const argv = process.argv.slice(2)
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 ? argv[i + 1] : dflt
}
const kefuArg = opt('kefu', process.env.KEFU_BIN || 'build/release/kefu')
// relative to where it was called from (web/ for npm run), else to the repository
const kefu = existsSync(path.resolve(kefuArg)) ? path.resolve(kefuArg) : path.resolve(repo, kefuArg)
const tickets = opt('tickets', '2000')
const web = path.join(repo, 'web', 'dist')

function fail(msg) {
  console.error(msg)
  console.log('0 passed, 1 failed')
  process.exit(1)
}
if (!existsSync(kefu)) fail(`no kefu binary at ${kefu} (build it, or pass --kefu PATH)`)
if (!existsSync(path.join(web, 'index.html'))) fail(`no ${web}/index.html: run "npm run build" in web/ first`)

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })

const dir = mkdtempSync(path.join(tmpdir(), 'kefu-e2e-data-'))
const data = path.join(dir, 'data')
const password = `e2e-${crypto.randomBytes(9).toString('base64url')}`
let server = null

function cleanup() {
  if (server && server.exitCode === null) server.kill('SIGTERM')
  rmSync(dir, { recursive: true, force: true })
}
process.on('SIGINT', () => {
  cleanup()
  process.exit(130)
})

function run(args, input) {
  const r = spawnSync(kefu, args, { input, encoding: 'utf8', timeout: 300000 })
  if (r.status !== 0) {
    cleanup()
    fail(`kefu ${args.join(' ')} failed (${r.status}):\n${r.stdout}${r.stderr}`)
  }
}

run(['demo', 'seed', '--data', data, '--tickets', tickets])
run(['user', 'add', '--data', data, '--username', 'e2e_admin', '--role', 'admin', '--display-name', 'E2E 管理员', '--password-stdin'], `${password}\n`)

const port = await freePort()
const base = `http://127.0.0.1:${port}`
let serverLog = ''
server = spawn(kefu, ['serve', '--data', data, '--listen', `127.0.0.1:${port}`, '--web', web], { stdio: ['ignore', 'pipe', 'pipe'] })
server.stdout.on('data', (d) => (serverLog += d))
server.stderr.on('data', (d) => (serverLog += d))

const deadline = Date.now() + 30000
for (;;) {
  if (server.exitCode !== null) {
    cleanup()
    fail(`kefu serve exited (${server.exitCode}):\n${serverLog}`)
  }
  try {
    const r = await fetch(`${base}/readyz`)
    if (r.ok) break
  } catch {
    /* not up yet */
  }
  if (Date.now() > deadline) {
    cleanup()
    fail(`kefu serve did not become ready on ${base}:\n${serverLog}`)
  }
  await new Promise((r) => setTimeout(r, 200))
}

const child = spawn(process.execPath, [path.join(here, 'run.mjs')], {
  stdio: 'inherit',
  env: { ...process.env, KEFU_URL: base, KEFU_ADMIN_USER: 'e2e_admin', KEFU_ADMIN_PASSWORD: password },
})
const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)))
const crashed = server.exitCode !== null
if (crashed || code !== 0) {
  const tail = serverLog.split('\n').slice(-40).join('\n')
  console.error(`--- kefu serve${crashed ? ` exited during the tests (${server.exitCode ?? server.signalCode})` : ''}, last lines of its log:\n${tail}`)
}
cleanup()
process.exit(code || (crashed ? 1 : 0))
