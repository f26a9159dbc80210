// Which menu entry is the page shown: the one whose path is the page's and whose query the
// URL holds, the most specific when several do (我的派工单, tickets?technician=me, rather than
// 服务派工单, tickets). vue-router's own active classes ignore the query, so both were lit.

/** The entry of `entries` ({ path }) the current `route` shows, or null; `router` resolves paths. */
export function activeEntry(entries, route, router) {
  let best = null
  let bestKeys = -1
  for (const e of entries) {
    const to = router.resolve(e.path)
    if (to.path !== route.path) continue
    const keys = Object.keys(to.query)
    if (!keys.every(k => String(route.query[k] ?? '') === String(to.query[k] ?? ''))) continue
    if (keys.length > bestKeys) {
      best = e
      bestKeys = keys.length
    }
  }
  return best
}
