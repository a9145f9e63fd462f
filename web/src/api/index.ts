// Endpoint functions of the kefu API, one per call the UI makes.
import { http } from './client'
import type {
  AuditEntry,
  Category,
  Customer,
  Department,
  Handoff,
  LoginResult,
  Message,
  MessageKind,
  NewTicket,
  Page,
  StateDef,
  Team,
  Ticket,
  TicketDetail,
  TicketLink,
  TicketQuery,
  User,
} from './types'

export * from './types'
export { ApiError } from './client'

export const api = {
  // auth
  login: (username: string, password: string) =>
    http.post<LoginResult>('/auth/login', { username, password }, { quiet401: true }),
  logout: () => http.post<void>('/auth/logout', {}, { quiet401: true }),
  me: () => http.get<{ user: User; csrf_token: string }>('/auth/me', undefined, { quiet401: true }),
  updateMe: (patch: Partial<Pick<User, 'display_name' | 'language' | 'time_zone'>>) =>
    http.patch<{ user: User } | User>('/auth/me', patch),

  // tickets
  listTickets: (q: TicketQuery, signal?: AbortSignal) =>
    http.get<Page<Ticket>>('/tickets', q as Record<string, string | number>, { signal }),
  getTicket: (id: number, signal?: AbortSignal) =>
    http.get<TicketDetail>(`/tickets/${id}`, undefined, { signal }),
  createTicket: (t: NewTicket) => http.post<Ticket>('/tickets', t),
  updateTicket: (id: number, patch: Record<string, unknown>) =>
    http.patch<Ticket>(`/tickets/${id}`, patch),
  transition: (id: number, target: { state_id: number } | { state: string }) =>
    http.post<Ticket>(`/tickets/${id}/transitions`, target),
  addMessage: (
    id: number,
    m: {
      kind: MessageKind
      body: string
      channel?: string
      call_direction?: string
      call_duration_seconds?: number
    },
  ) => http.post<Message>(`/tickets/${id}/messages`, m),
  createHandoff: (id: number, h: { department: string; question: string; due_at?: string; owner_id?: number }) =>
    http.post<Handoff>(`/tickets/${id}/handoffs`, h),
  answerHandoff: (id: number, answer: string) => http.post<Handoff>(`/handoffs/${id}/answer`, { answer }),
  listHandoffs: (q: { department?: string; state?: string; limit?: number; cursor?: string }) =>
    http.get<Page<Handoff>>('/handoffs', q),
  addLink: (id: number, kind: string, ticketId: number) =>
    http.post<TicketLink>(`/tickets/${id}/links`, { kind, ticket_id: ticketId }),
  removeLink: (id: number, linkId: number) => http.del<void>(`/tickets/${id}/links/${linkId}`),
  merge: (id: number, intoId: number) => http.post<Ticket>(`/tickets/${id}/merge`, { into_id: intoId }),
  states: () => http.get<{ items: StateDef[] }>('/states'),

  // customers
  findCustomers: (q: { phone?: string; email?: string; q?: string; limit?: number }, signal?: AbortSignal) =>
    http.get<Page<Customer>>('/customers', q, { signal }),
  getCustomer: (id: number) => http.get<Customer>(`/customers/${id}`),
  createCustomer: (c: Partial<Customer>) => http.post<Customer>('/customers', c),
  updateCustomer: (id: number, c: Partial<Customer>) => http.patch<Customer>(`/customers/${id}`, c),
  customerTickets: (id: number, limit = 20) =>
    http.get<Page<Ticket>>(`/customers/${id}/tickets`, { limit }),

  // administration
  users: (q: { team_id?: number; limit?: number; cursor?: string } = {}) => http.get<Page<User>>('/users', q),
  createUser: (u: Record<string, unknown>) => http.post<User>('/users', u),
  updateUser: (id: number, u: Record<string, unknown>) => http.patch<User>(`/users/${id}`, u),
  teams: () => http.get<Page<Team>>('/teams'),
  createTeam: (t: Partial<Team>) => http.post<Team>('/teams', t),
  updateTeam: (id: number, t: Partial<Team>) => http.patch<Team>(`/teams/${id}`, t),
  departments: () => http.get<Page<Department>>('/departments'),
  createDepartment: (d: Partial<Department>) => http.post<Department>('/departments', d),
  updateDepartment: (id: number, d: Partial<Department>) => http.patch<Department>(`/departments/${id}`, d),
  categories: () => http.get<Page<Category>>('/categories'),
  createCategory: (c: Partial<Category>) => http.post<Category>('/categories', c),
  updateCategory: (id: number, c: Partial<Category>) => http.patch<Category>(`/categories/${id}`, c),
  audit: (q: { limit?: number; cursor?: string }) => http.get<Page<AuditEntry>>('/audit', q),
}
