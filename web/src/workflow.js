// Workflows, the to-do list and printed documents of served cards (docs/records.md,
// "Workflows" and "Documents"): the requests the card, the to-do page and the print page share.
import { reactive } from 'vue'
import { api, request, resourceUrl } from './api.js'
import { cardFields } from './views.js'

const recordUrl = (plugin, resource, id) => resourceUrl(plugin, resource, id)

/** The steps the caller may take now and the steps taken: { state, stateLabel, version, steps, history }. */
export const loadSteps = (plugin, resource, id) => api.get(`${recordUrl(plugin, resource, id)}/steps`)

/**
 * Takes step `step` with `body` (the step's fields and comment), If-Match on `version`: the
 * record as it is now. Rejects with the ApiError of a refusal.
 */
export async function takeStep(plugin, resource, id, step, body, version) {
  const r = await request('POST', `${recordUrl(plugin, resource, id)}/steps/${encodeURIComponent(step)}`, {
    body, headers: version != null ? { 'If-Match': `"${version}"` } : {},
  })
  refreshTodoCount()
  return r.data
}

/** The documents a record prints and the copies printed: { documents, printed }. */
export const loadDocuments = (plugin, resource, id) => api.get(`${recordUrl(plugin, resource, id)}/documents`)

// The copy just printed, by id: its print view shows it without reading it again (once;
// 重新打印 reads the kept copy).
const printedCopies = new Map()

/** Prints document `document` of a record: the next number, a kept copy with its html. */
export async function printDocument(plugin, resource, id, document) {
  const copy = await api.post(`${recordUrl(plugin, resource, id)}/documents/${encodeURIComponent(document)}`, {})
  printedCopies.set(String(copy.id), copy)
  return copy
}

/** A kept copy, with its html, to print again exactly as it was. */
export async function printedCopy(plugin, resource, id, copy) {
  const known = printedCopies.get(String(copy))
  printedCopies.delete(String(copy))
  if (known?.html) return known
  return api.get(`${recordUrl(plugin, resource, id)}/printed/${encodeURIComponent(copy)}`)
}

/** How many records wait for the user (the header's 待办 count). */
export const todo = reactive({ total: null })
export async function refreshTodoCount() {
  try {
    todo.total = (await api.get('/api/v1/todo', { query: { page: 1, size: 1 } })).total ?? 0
  } catch {
    todo.total = null
  }
}

/** A moment the server wrote as people write it ("2026-12-05 17:41:22"), without the seconds. */
export const minuteText = at => (typeof at === 'string' && /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(at) ? at.slice(0, 16) : at || '')

/** Today as a date field holds it: 2026-12-05 (local). */
export function today() {
  const d = new Date()
  const pad = n => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/**
 * A card's fields as the shell draws them: the workflow's state is the engine's alone (never
 * edited), and a unit field that reaches the whole tree picks through the host's lookup.
 */
export function servedFields(plugin, card) {
  const fields = cardFields(card)
  const state = card?.workflow?.field
  for (const f of Object.values(fields)) {
    if (f.name === state) fields[f.name] = { ...f, readOnly: true, state: true }
    else if (f.kind === 'unit' && f.reach === 'tree') fields[f.name] = { ...f, lookup: `${plugin}/${card.id}/${f.name}` }
  }
  return fields
}
