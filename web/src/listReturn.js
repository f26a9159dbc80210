// Where 返回列表 leads: the list a card was opened from, as it was (search, filters, page,
// page size, unit, scroll position). Kept per card view in sessionStorage, so a reload of
// the card still returns there, and each tab has its own.
const KEY = 'tessera.listReturn'
let pending = null   // the scroll position the next load of this list should restore

function all() {
  try { return JSON.parse(sessionStorage.getItem(KEY)) || {} } catch { return {} }
}

/** The list at `fullPath`, scrolled to `top`, opened card view `plugin/card`. */
export function rememberList(plugin, card, fullPath, top) {
  const lists = all()
  lists[`${plugin}/${card}`] = { fullPath, top: Math.round(top || 0) }
  try { sessionStorage.setItem(KEY, JSON.stringify(lists)) } catch { /* private mode: back goes to the plain list */ }
}

/** { fullPath, top } of the list card view `plugin/card` was opened from, or null. */
export const listFor = (plugin, card) => all()[`${plugin}/${card}`] || null

/** listFor(), and its scroll position restored when that list has loaded again. */
export function returnTo(plugin, card) {
  pending = listFor(plugin, card)
  return pending
}

/** The scroll position to restore once the list at `fullPath` has loaded (once), or null. */
export function takeScroll(fullPath) {
  if (!pending || pending.fullPath !== fullPath) return null
  const { top } = pending
  pending = null
  return top
}

export const scrollTop = () => document.scrollingElement?.scrollTop || 0
