import { vi } from 'vitest'
import { mount, type ComponentMountingOptions } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { createRouter, createMemoryHistory } from 'vue-router'
import type { Component } from 'vue'
import { i18n, setLocale } from '@/i18n'
import { installElement } from '@/plugins/element'

export interface FetchCall {
  url: string
  method: string
  headers: Record<string, string>
  body: unknown
}

/** Replace fetch with a router of canned JSON answers; records the calls. */
export function mockFetch(handler: (call: FetchCall) => { status?: number; body?: unknown; headers?: Record<string, string> } | undefined) {
  const calls: FetchCall[] = []
  const fn = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const call: FetchCall = {
      url: String(input),
      method: (init.method || 'GET').toUpperCase(),
      headers: (init.headers || {}) as Record<string, string>,
      body: init.body ? JSON.parse(String(init.body)) : undefined,
    }
    calls.push(call)
    const r = handler(call) || { status: 404, body: { error: { code: 'not_found', message: 'no mock' } } }
    const status = r.status ?? 200
    return new Response(r.body === undefined || status === 204 ? null : JSON.stringify(r.body), {
      status,
      headers: { 'Content-Type': 'application/json', ...(r.headers || {}) },
    })
  })
  vi.stubGlobal('fetch', fn)
  return { calls, fn }
}

export function freshPinia(): Pinia {
  const pinia = createPinia()
  setActivePinia(pinia)
  return pinia
}

export function testRouter() {
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: { template: '<div />' } },
      { path: '/login', name: 'login', component: { template: '<div />' } },
      { path: '/tickets/:id', name: 'ticket', component: { template: '<div />' } },
      { path: '/queue/:view', name: 'queue', component: { template: '<div />' } },
    ],
  })
}

export function mountApp<T extends Component>(comp: T, options: ComponentMountingOptions<T> = {} as ComponentMountingOptions<T>, pinia?: Pinia) {
  setLocale('zh-CN')
  const p = pinia || freshPinia()
  const router = testRouter()
  const opts = options as { global?: { plugins?: unknown[] } }
  return mount(comp, {
    ...options,
    global: {
      ...(opts.global || {}),
      config: {
        warnHandler: (msg: string) => {
          // an unregistered component renders as an unknown element: fail loudly
          if (msg.includes('Failed to resolve component')) throw new Error(msg)
        },
      },
      plugins: [p, i18n, router, { install: installElement }, ...((opts.global?.plugins as never[]) || [])],
    },
  } as ComponentMountingOptions<T>)
}

export function flush() {
  return new Promise((r) => setTimeout(r, 0))
}
