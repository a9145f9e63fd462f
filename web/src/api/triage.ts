// Endpoint functions of the triage capability (docs/triage.md): rules,
// lexicon, settings, classifier, red cases, churn risk, routing, presence
// and the notification inbox.
import { http, request } from './client'
import type {
  AgentProfile,
  AppNotification,
  ClassifierInfo,
  CustomerRisk,
  DryRunInput,
  DryRunResult,
  LexiconEntry,
  Presence,
  RedCase,
  RedCaseUpdate,
  RuleBody,
  RuleVersion,
  TeamRouting,
  TicketTriage,
  TriageRule,
  TriageSettings,
} from './types'

type Items<T> = { items: T[] }
export type RuleSave = Partial<RuleBody> & { name?: string; enabled?: boolean; position?: number }

export const triageApi = {
  // rules
  rules: () => http.get<Items<TriageRule>>('/triage/rules'),
  createRule: (r: RuleSave) => http.post<TriageRule>('/triage/rules', r),
  updateRule: (id: number, r: RuleSave) => http.patch<TriageRule>(`/triage/rules/${id}`, r),
  deleteRule: (id: number) => http.del<void>(`/triage/rules/${id}`),
  ruleVersions: (id: number) => http.get<Items<RuleVersion>>(`/triage/rules/${id}/versions`),
  dryRun: (input: DryRunInput) => http.post<DryRunResult>('/triage/dry-run', input),

  // lexicon, settings, classifier
  lexicon: () => http.get<Items<LexiconEntry>>('/triage/lexicon'),
  addLexicon: (e: { kind: string; term: string; weight: number; language: string }) =>
    http.post<LexiconEntry>('/triage/lexicon', e),
  deleteLexicon: (id: number) => http.del<void>(`/triage/lexicon/${id}`),
  settings: () => http.get<TriageSettings>('/triage/settings'),
  updateSettings: (s: Partial<TriageSettings>) => http.patch<TriageSettings>('/triage/settings', s),
  classifier: (evaluate = false) => http.get<ClassifierInfo>('/triage/classifier', { evaluate: evaluate || undefined }),
  retrain: () => http.post<ClassifierInfo>('/triage/classifier/retrain'),

  // a complaint's triage and red cases
  ticketTriage: (ticketId: number) => http.get<TicketTriage>(`/tickets/${ticketId}/triage`),
  openRedCase: (ticketId: number, reason: string) => http.post<RedCase>(`/tickets/${ticketId}/red-case`, { reason }),
  redCases: () => http.get<Items<RedCase>>('/red-cases'),
  redCase: (id: number) => http.get<RedCase>(`/red-cases/${id}`),
  changeRedCase: (id: number, c: { owner_id?: number; member_ids?: number[]; cadence_minutes?: number }) =>
    http.patch<RedCase>(`/red-cases/${id}`, c),
  addRedCaseUpdate: (id: number, body: string) => http.post<RedCaseUpdate>(`/red-cases/${id}/updates`, { body }),
  closeRedCase: (id: number, reason: string) => http.post<RedCase>(`/red-cases/${id}/close`, { reason }),

  // churn risk
  atRisk: (q: { min_score?: number; limit?: number } = {}) =>
    http.get<Items<CustomerRisk> & { threshold: number }>('/customers/at-risk', q),

  // routing and presence
  agentProfiles: () => http.get<Items<AgentProfile>>('/routing/agents'),
  updateAgentProfile: (userId: number, p: { skills?: string[]; capacity?: number; presence?: Presence }) =>
    http.patch<AgentProfile>(`/routing/agents/${userId}`, p),
  teamRouting: () => http.get<Items<TeamRouting>>('/routing/teams'),
  updateTeamRouting: (teamId: number, r: Partial<Omit<TeamRouting, 'team_id' | 'team_name'>>) =>
    http.patch<TeamRouting>(`/routing/teams/${teamId}`, r),
  setPresence: (presence: Presence) => request<AgentProfile>('PUT', '/me/presence', { body: { presence } }),

  // notifications
  notifications: (q: { unread?: boolean; before?: number; limit?: number } = {}) =>
    http.get<Items<AppNotification> & { unread: number }>('/notifications', { ...q, unread: q.unread || undefined }),
  markRead: (ids?: number[]) => http.post<void>('/notifications/read', ids ? { ids } : {}),
}
