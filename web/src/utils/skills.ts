// Routing skills are "kind:value" strings (lang:th, product:phone, tier:2,
// region:华东, channel:social); the screens edit them grouped by kind.

export const SKILL_KINDS = ['lang', 'product', 'tier', 'region', 'channel'] as const
export type SkillKind = (typeof SKILL_KINDS)[number]
export type SkillGroups = Record<SkillKind | 'other', string[]>

export function groupSkills(skills: string[] | null | undefined): SkillGroups {
  const out: SkillGroups = { lang: [], product: [], tier: [], region: [], channel: [], other: [] }
  for (const s of skills || []) {
    const i = s.indexOf(':')
    const kind = i > 0 ? s.slice(0, i) : ''
    if ((SKILL_KINDS as readonly string[]).includes(kind)) out[kind as SkillKind].push(s.slice(i + 1))
    else out.other.push(s)
  }
  return out
}

export function joinSkills(groups: SkillGroups): string[] {
  const out = new Set<string>()
  for (const kind of SKILL_KINDS) for (const v of groups[kind]) if (v.trim()) out.add(`${kind}:${v.trim()}`)
  for (const v of groups.other) if (v.trim()) out.add(v.trim())
  return [...out].sort()
}
