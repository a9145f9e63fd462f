import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useAuthStore } from '@/stores/auth'

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean
    perm?: string | string[]
    title?: string
  }
}

/** Where each person starts: their queue, or what their role is for. */
function homeFor() {
  const auth = useAuthStore()
  if (!auth.can('tickets.create')) {
    if (auth.can('handoffs.answer') && !auth.can('users.manage')) return { name: 'handoffs' }
    if (auth.can('tickets.read_all')) return { name: 'queue', params: { view: 'all' } }
  }
  return { name: 'queue', params: { view: 'mine' } }
}

export const TRIAGE_READ = ['triage.read', 'triage.manage']
export const RED_CASES = ['redcases.open', 'redcases.manage']

export const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('@/views/LoginView.vue'), meta: { public: true, title: 'login.submit' } },
  {
    path: '/',
    component: () => import('@/layouts/AppLayout.vue'),
    children: [
      // resolved in the guard below, once we know who is logged in
      { path: '', name: 'home', component: () => import('@/views/StatusView.vue'), props: { kind: 'not-found' } },
      {
        path: 'queue/:view(mine|unassigned|team|all)',
        name: 'queue',
        component: () => import('@/views/WorkspaceView.vue'),
        meta: { perm: 'tickets.read', title: 'nav.workspace' },
      },
      {
        path: 'tickets/new',
        name: 'ticket-new',
        component: () => import('@/views/NewTicketView.vue'),
        meta: { perm: 'tickets.create', title: 'nav.newTicket' },
      },
      {
        path: 'tickets/:id(\\d+)',
        name: 'ticket',
        component: () => import('@/views/TicketView.vue'),
        meta: { perm: 'tickets.read' },
      },
      {
        path: 'board',
        name: 'board',
        component: () => import('@/views/BoardView.vue'),
        meta: { perm: 'tickets.assign', title: 'nav.board' },
      },
      {
        path: 'handoffs',
        name: 'handoffs',
        component: () => import('@/views/HandoffsView.vue'),
        meta: { perm: ['handoffs.answer', 'tickets.read_all'], title: 'nav.handoffs' },
      },
      {
        path: 'triage',
        component: () => import('@/views/triage/TriageLayout.vue'),
        children: [
          { path: '', redirect: { name: 'triage-rules' } },
          { path: 'rules', name: 'triage-rules', component: () => import('@/views/triage/RulesView.vue'), meta: { perm: TRIAGE_READ, title: 'nav.rules' } },
          { path: 'lexicon', name: 'triage-lexicon', component: () => import('@/views/triage/LexiconView.vue'), meta: { perm: TRIAGE_READ, title: 'nav.lexicon' } },
          { path: 'settings', name: 'triage-settings', component: () => import('@/views/triage/SettingsView.vue'), meta: { perm: TRIAGE_READ, title: 'nav.triageSettings' } },
          { path: 'routing', name: 'triage-routing', component: () => import('@/views/triage/RoutingView.vue'), meta: { perm: 'triage.manage', title: 'nav.routing' } },
        ],
      },
      {
        path: 'red-cases',
        name: 'red-cases',
        component: () => import('@/views/RedCasesView.vue'),
        meta: { perm: RED_CASES, title: 'nav.redCases' },
      },
      {
        path: 'red-cases/:id(\\d+)',
        name: 'red-case',
        component: () => import('@/views/RedCaseView.vue'),
        meta: { perm: 'tickets.read', title: 'nav.redCases' },
      },
      {
        path: 'sla',
        name: 'sla',
        component: () => import('@/views/SlaBoardView.vue'),
        meta: { perm: 'tickets.read', title: 'nav.sla' },
      },
      {
        path: 'at-risk',
        name: 'at-risk',
        component: () => import('@/views/AtRiskView.vue'),
        meta: { perm: 'risk.read', title: 'nav.atRisk' },
      },
      {
        path: 'admin',
        component: () => import('@/views/admin/AdminLayout.vue'),
        children: [
          { path: '', redirect: { name: 'admin-users' } },
          { path: 'users', name: 'admin-users', component: () => import('@/views/admin/UsersView.vue'), meta: { perm: 'users.manage', title: 'nav.users' } },
          { path: 'teams', name: 'admin-teams', component: () => import('@/views/admin/TeamsView.vue'), meta: { perm: 'teams.manage', title: 'nav.teams' } },
          { path: 'departments', name: 'admin-departments', component: () => import('@/views/admin/DepartmentsView.vue'), meta: { perm: 'departments.manage', title: 'nav.departments' } },
          { path: 'categories', name: 'admin-categories', component: () => import('@/views/admin/CategoriesView.vue'), meta: { perm: 'categories.manage', title: 'nav.categories' } },
          { path: 'sla-policies', name: 'admin-sla-policies', component: () => import('@/views/admin/SlaPoliciesView.vue'), meta: { perm: 'sla.manage', title: 'nav.slaPolicies' } },
          { path: 'calendars', name: 'admin-calendars', component: () => import('@/views/admin/CalendarsView.vue'), meta: { perm: 'sla.manage', title: 'nav.calendars' } },
          { path: 'audit', name: 'admin-audit', component: () => import('@/views/admin/AuditView.vue'), meta: { perm: 'audit.read', title: 'nav.audit' } },
        ],
      },
      { path: 'forbidden', name: 'forbidden', component: () => import('@/views/StatusView.vue'), props: { kind: 'forbidden' } },
      { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('@/views/StatusView.vue'), props: { kind: 'not-found' } },
    ],
  },
]

export function createAppRouter() {
  const router = createRouter({ history: createWebHistory(), routes })
  router.beforeEach(async (to) => {
    const auth = useAuthStore()
    if (!auth.checked) {
      try {
        await auth.restore()
      } catch {
        /* server unreachable: show the login page with its error */
      }
    }
    if (to.meta.public) {
      if (to.name === 'login' && auth.isLoggedIn) return { path: (to.query.redirect as string) || '/' }
      return true
    }
    if (!auth.isLoggedIn) {
      return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
    }
    if (to.name === 'home') return homeFor()
    // the first permitted screen for roles without tickets.read (e.g. admin-only)
    if (to.name === 'queue' && !auth.can('tickets.read')) {
      if (auth.can('users.manage')) return { name: 'admin-users' }
      if (auth.can('handoffs.answer')) return { name: 'handoffs' }
    }
    const perm = to.matched.map((r) => r.meta.perm).filter(Boolean).pop()
    if (perm && !auth.can(perm)) return { name: 'forbidden' }
    return true
  })
  return router
}
