// Reference fields (kind "reference", card "<plugin-id>/<card-id>"): the card they point to,
// found in that plugin's views in /api/v1/shell, its records searched by title, and the
// titles of ids seen, cached per target card.
import { reactive } from 'vue'
import { api, resourceUrl } from './api.js'
import { viewsOf, findModule } from './session.js'
import { tr } from './i18n.js'

/**
 * The card a reference field points to: { plugin, card, resource, title }, or null when the
 * target's plugin is not among the user's modules (not running, or not theirs to use).
 */
export function referenceTarget(field) {
  const [plugin, cardId] = String(field?.card || '').split('/')
  if (!plugin || !cardId || !findModule(plugin)) return null
  const views = viewsOf(plugin)
  const card = views.cards.find(c => c.id === cardId)
  const resource = card?.resource || views.lists.find(l => l.card === cardId)?.resource
  if (!card || !resource) return null
  const title = card.title || (card.sections || []).flatMap(s => s.fields || []).find(f => f.kind === 'text')?.name || 'name'
  return { plugin, card: cardId, resource, title, searchable: (card.sections || []).some(s => (s.fields || []).some(f => f.search)) }
}

// "<plugin>/<card>" -> { id: title }, filled by searches, records' labels and lookups.
export const referenceTitles = reactive({})
const titlesOf = key => (referenceTitles[key] ||= {})

// User fields (kind "user"): user id -> the name people know them by, from records' labels
// and the picker's lists.
export const userNames = reactive({})

/** Remembers the titles a record's `labels` give for its reference fields, and its users' names. */
export function rememberLabels(fields, record) {
  for (const [name, title] of Object.entries(record?.labels || {})) {
    const f = fields[name]
    if (f?.kind === 'reference' && record[name] != null) titlesOf(f.card)[record[name]] = title
    if (f?.kind === 'user' && Array.isArray(record[name])) {
      // Several users: their names in the same order, joined by 、 (as the server writes them).
      const names = String(title).split('、')
      if (names.length === record[name].length) record[name].forEach((id, i) => { userNames[id] = names[i] })
    } else if (f?.kind === 'user' && record[name] != null) userNames[record[name]] = title
  }
}

/** A user field's value as text: the user's name (never their id); "me" in a link is 我. */
export function userText(id, label) {
  if (Array.isArray(id)) return label != null ? String(label) : id.map(one => userText(one)).join('、')
  if (id === null || id === undefined || id === '') return ''
  if (id === 'me') return tr({ 'zh-CN': '我', en: 'me' })
  return String(label ?? userNames[id] ?? '')
}

/**
 * Who may be named in a user field of a record of `unit` (the server's default: the user's
 * own unit): [{ id, name }], those whose name contains `q`.
 */
export async function searchPeople(field, unit, q) {
  const query = {}
  if (unit) query.unit = unit
  if (q) query.q = q
  const r = await api.get(field.people, { query })
  return (r.items || []).map(p => { userNames[p.id] = p.name; return p })
}

/** Remembers the title of record `id` of the field's target (one just created). */
export function rememberTitle(field, id, title) {
  if (id != null) titlesOf(field.card)[id] = title
}

/**
 * Records of the target whose title matches `q` (the target's list with q=, 20 at most; with
 * roll="all" those off the target's roll too, a member who comes back): [{ id, title }].
 * A field with reach="above" asks the host's `choices` instead, for a record of `unit`: the
 * target's records the user reads and those of the units above (the company's catalogue).
 * Throws the ApiError when the user may not read the target.
 */
export async function searchReferences(field, q, unit) {
  const target = referenceTarget(field)
  if (!target) return []
  if (field.choices) {
    const query = {}
    if (unit) query.unit = unit
    if (q) query.q = q
    const r = await api.get(field.choices, { query })
    const titles = titlesOf(field.card)
    return (r.items || []).map(item => { titles[item.id] = item.title; return { id: item.id, title: item.title } })
  }
  const query = { size: 20 }
  if (q && target.searchable) query.q = q
  if (field.roll === 'all') query.roll = 'all'
  const r = await api.get(resourceUrl(target.plugin, target.resource), { query })
  const titles = titlesOf(field.card)
  const found = (r.items || []).map(item => {
    const title = String(item[target.title] ?? '')
    titles[item.id] = title
    return { id: item.id, title }
  })
  for (const more of await searchThrough(field, q)) {
    if (found.some(f => f.id === more.id)) continue
    titles[more.id] = more.title
    found.push(more)
  }
  return found
}

/**
 * The records a field's `through` puts within reach (a flowing member, through the flow to the
 * user's organisation): the other card's list, filtered as it says, by its title. Nothing when
 * that card is not the user's to read: the server decides what may be named, this only offers.
 */
async function searchThrough(field, q) {
  const through = field.through
  const via = through && referenceTarget({ card: through.card })
  if (!via) return []
  const query = { size: 20, ...(through.when || {}) }
  if (q && via.searchable) query.q = q
  try {
    const r = await api.get(resourceUrl(via.plugin, via.resource), { query })
    return (r.items || []).filter(item => item[through.field] != null)
      .map(item => ({ id: item[through.field], title: String(item[via.title] ?? '') }))
  } catch {
    return []
  }
}

const pending = new Map()
/**
 * The title of record `id` of the field's target, looked up once (history entries name ids
 * the record no longer holds). Unknown, or not the user's to read: stays unknown.
 */
export function loadReferenceTitle(field, id) {
  if (id == null || id === '') return
  const titles = titlesOf(field.card)
  const key = `${field.card}#${id}`
  if (titles[id] !== undefined || pending.has(key)) return
  const target = referenceTarget(field)
  if (!target) return
  pending.set(key, api.get(resourceUrl(target.plugin, target.resource, id))
    .then(r => { titles[id] = String(r?.[target.title] ?? '') })
    .catch(() => { titles[id] = null /* not readable: said so */ }))
}

// A record the user may not read, as the server says it too (labels.<field>): never its id.
const UNREADABLE = { 'zh-CN': '无权查看的记录', en: 'a record you may not see' }

/**
 * A reference value as text: the target's title when known, '' while it is looked up, else
 * words saying the user may not see it (never "#id": that names it to no one).
 */
export function referenceText(field, id, label) {
  if (id === null || id === undefined || id === '') return ''
  const title = label ?? referenceTitles[field.card]?.[id]
  if (title != null) return String(title)
  if (title === undefined && pending.has(`${field.card}#${id}`)) return ''
  return tr(UNREADABLE)
}
