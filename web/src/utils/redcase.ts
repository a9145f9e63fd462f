// Due times of red-case progress updates.
import type { RedCase } from '@/api/types'
import { parseTime } from './format'

/** True when the next progress update was due before `now`. */
export function isOverdue(rc: Pick<RedCase, 'next_update_due' | 'state'>, now: Date = new Date()): boolean {
  if (rc.state === 'closed') return false
  const due = parseTime(rc.next_update_due)
  return !!due && due.getTime() < now.getTime()
}
