// Endpoint functions of the service levels (docs/sla.md) and the business
// calendars they count in (docs/calendars.md).
import { http, request } from './client'
import type {
  BusinessCalendarDoc,
  CalendarBinding,
  SlaCounts,
  SlaListItem,
  SlaPolicy,
  SlaPolicyBody,
  TicketSla,
} from './types'

type Items<T> = { items: T[] }
export type PolicySave = Partial<SlaPolicyBody> & { name?: string; enabled?: boolean; position?: number }

const enc = encodeURIComponent

export const slaApi = {
  // policies
  policies: () => http.get<Items<SlaPolicy>>('/sla/policies'),
  createPolicy: (p: PolicySave) => http.post<SlaPolicy>('/sla/policies', p),
  updatePolicy: (id: number, p: PolicySave) => http.patch<SlaPolicy>(`/sla/policies/${id}`, p),
  deletePolicy: (id: number) => http.del<void>(`/sla/policies/${id}`),
  reevaluate: () => http.post<{ changed: number }>('/sla/reevaluate'),

  // clocks and lists
  ticketSla: (ticketId: number) => http.get<TicketSla>(`/tickets/${ticketId}/sla`),
  atRisk: (q: { team_id?: number; within_minutes?: number; limit?: number }) => http.get<Items<SlaListItem>>('/sla/at-risk', q),
  breached: (q: { team_id?: number; limit?: number }) => http.get<Items<SlaListItem>>('/sla/breached', q),
  counts: (q: { from?: string; to?: string }) => http.get<SlaCounts>('/sla/counts', q),

  // calendars
  calendars: () => http.get<Items<BusinessCalendarDoc>>('/calendars'),
  createCalendar: (c: BusinessCalendarDoc) => http.post<BusinessCalendarDoc>('/calendars', c),
  saveCalendar: (c: BusinessCalendarDoc) => request<BusinessCalendarDoc>('PUT', `/calendars/${enc(c.id)}`, { body: c }),
  deleteCalendar: (id: string) => http.del<void>(`/calendars/${enc(id)}`),
  importHolidays: (id: string, ics: string) =>
    request<BusinessCalendarDoc>('PUT', `/calendars/${enc(id)}/holidays`, { text: { body: ics, contentType: 'text/calendar' } }),
  /** The address of the holidays as an .ics file (a plain download link). */
  holidaysUrl: (id: string) => `/api/v1/calendars/${enc(id)}/holidays`,
  add: (id: string, from: string, minutes: number) =>
    http.get<{ due: string | null }>(`/calendars/${enc(id)}/add`, { from, minutes }),
  bindings: () => http.get<Items<CalendarBinding>>('/calendar-bindings'),
  bind: (b: CalendarBinding) => request<CalendarBinding>('PUT', '/calendar-bindings', { body: b }),
}
