// The emotion grades of docs/triage.md (0 calm … 4 threatening): the label
// key and the colour each one is shown with.

export const EMOTION_KEYS = ['calm', 'dissatisfied', 'upset', 'angry', 'threatening'] as const
export type EmotionKey = (typeof EMOTION_KEYS)[number]

export interface EmotionLevel {
  grade: number
  key: EmotionKey
  /** Element Plus tag type. */
  type: 'success' | 'info' | 'warning' | 'danger'
  /** Solid (dark) tags for the grades that need a person's attention now. */
  effect: 'light' | 'dark'
}

/** The level of a grade; null for a missing or out-of-range value. */
export function emotionLevel(grade: number | null | undefined): EmotionLevel | null {
  if (grade === null || grade === undefined || !Number.isFinite(grade)) return null
  const g = Math.round(grade)
  if (g < 0 || g > 4) return null
  const types: EmotionLevel['type'][] = ['success', 'info', 'warning', 'danger', 'danger']
  return { grade: g, key: EMOTION_KEYS[g], type: types[g], effect: g >= 3 ? 'dark' : 'light' }
}
