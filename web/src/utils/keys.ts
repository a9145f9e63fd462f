/** True when a key press goes to a text field (shortcuts must not fire). */
export function isTypingTarget(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  if (!el || !el.tagName) return false
  const tag = el.tagName.toLowerCase()
  if (tag === 'textarea' || tag === 'select') return true
  if (tag === 'input') {
    const type = (el as HTMLInputElement).type
    return !['checkbox', 'radio', 'button', 'submit'].includes(type)
  }
  return el.isContentEditable === true
}

/** True while an Element Plus dialog or message box is open. */
export function dialogOpen(): boolean {
  const overlays = document.querySelectorAll<HTMLElement>('.el-overlay')
  for (const el of overlays) {
    if (el.style.display !== 'none' && getComputedStyle(el).display !== 'none') return true
  }
  return false
}
