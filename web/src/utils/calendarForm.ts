// The editable form of a business calendar (docs/calendars.md): weekly hours
// as text per day ("09:00-12:00, 13:30-18:00"), holidays as from–to rows,
// adjusted working days; and where a server error path belongs.
import { WEEKDAYS, type BusinessCalendarDoc, type Weekday } from '@/api/types'
import { splitList } from './ruleForm'

export interface HolidayRow {
  from: string
  to: string
  name: string
}
export interface WorkingDayRow {
  date: string
  name: string
  works_like: Weekday | ''
  hours: string
}
export interface CalendarForm {
  id: string
  name: string
  description: string
  source: string
  time_zone: string
  weekly: Record<Weekday, string>
  holidays: HolidayRow[]
  working_days: WorkingDayRow[]
}

export function calendarToForm(c: Partial<BusinessCalendarDoc> | null): CalendarForm {
  const weekly = Object.fromEntries(WEEKDAYS.map((d) => [d, (c?.weekly?.[d] ?? []).join(', ')])) as Record<Weekday, string>
  return {
    id: c?.id ?? '',
    name: c?.name ?? '',
    description: c?.description ?? '',
    source: c?.source ?? '',
    time_zone: c?.time_zone ?? 'Asia/Shanghai',
    weekly,
    holidays: (c?.holidays ?? []).map((h) => ({ from: h.from ?? h.date ?? '', to: h.to ?? '', name: h.name })),
    working_days: (c?.working_days ?? []).map((w) => ({ date: w.date, name: w.name, works_like: w.works_like ?? '', hours: (w.hours ?? []).join(', ') })),
  }
}

export function formToCalendar(f: CalendarForm): BusinessCalendarDoc {
  const doc: BusinessCalendarDoc = {
    id: f.id.trim(),
    name: f.name.trim(),
    time_zone: f.time_zone.trim(),
    weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, splitList(f.weekly[d])])),
    holidays: f.holidays.map((h) => (h.to && h.to !== h.from ? { from: h.from, to: h.to, name: h.name } : { date: h.from, name: h.name })),
    working_days: f.working_days.map((w) => {
      const hours = splitList(w.hours)
      return { date: w.date, name: w.name, ...(hours.length ? { hours } : { works_like: w.works_like || 'monday' }) }
    }),
  }
  if (f.description.trim()) doc.description = f.description.trim()
  if (f.source.trim()) doc.source = f.source.trim()
  return doc
}

/** `weekly.tuesday[1]` → `weekly.tuesday`, `holidays[3].date` → `holidays.3`, `working_days[0].hours` → `working_days.0`. */
export function calendarErrorTarget(path: string | undefined | null): string {
  if (!path) return 'form'
  const day = path.match(/^weekly\.(\w+)/)
  if (day) return `weekly.${day[1]}`
  const row = path.match(/^(holidays|working_days)\[(\d+)\]/)
  if (row) return `${row[1]}.${row[2]}`
  if (['id', 'name', 'time_zone', 'description', 'source', 'weekly', 'holidays', 'working_days'].includes(path)) return path
  return 'form'
}
