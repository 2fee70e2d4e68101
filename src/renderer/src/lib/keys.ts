// One keyboard model for the whole app. Shortcuts read `e.code` (the physical key), never `e.key`
// (the character): on AZERTY the digit row gives "&é\"'(-è_" without Shift, on Arabic layouts
// it may give Arabic-Indic digits, and Shift+3 on AZERTY gives "3".

interface KeyLike {
  key: string
  code: string
  altKey: boolean
  ctrlKey: boolean
  metaKey: boolean
  shiftKey: boolean
}

/** Alt+1..8 (digit row or keypad, any layout, no Shift): the screen's number, else null. */
export function screenShortcut(e: KeyLike, screens: number): number | null {
  // AltGr arrives as Ctrl+Alt on Windows; Shift+Alt belongs to the screen (Counter's steps).
  if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return null
  const m = /^(?:Digit|Numpad)([1-9])$/.exec(e.code)
  if (!m) return null
  const n = Number(m[1])
  return n <= screens ? n : null
}

const TEXT_TYPES = new Set(['text', 'search', 'tel', 'email', 'number', 'password', 'url', ''])

/** A field that takes typed text: what a scan must not be pulled away from. */
export function isTextField(el: Element | null): boolean {
  if (!el) return false
  if (el instanceof HTMLTextAreaElement) return !el.readOnly && !el.disabled
  if (el instanceof HTMLInputElement) return TEXT_TYPES.has(el.type) && !el.readOnly && !el.disabled
  return (el as HTMLElement).isContentEditable === true
}

/** A key that types a character into a field (not a shortcut, not Space that presses buttons). */
export function typesCharacter(e: KeyLike): boolean {
  return e.key.length === 1 && e.key !== ' ' && !e.ctrlKey && !e.metaKey && !e.altKey
}
