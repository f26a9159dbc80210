// Organisation units from /api/v1/units, and how each unit is named to the user.
//
// Many units share a name (80 branches are called 第1党支部), so a unit is shown by its label
// from the server (host/identity/unit_labels.hpp): the path below the user's top unit, its
// middle elided when long ("东区/…/社区5/第1党支部"), with the whole path they may see on hover
// and in print. Records of served cards carry their unit's label (unitName, unitPath); any
// other unit is named by GET /api/v1/units/labels. A unit the user may not know of (the
// parent of their own top unit) has no label and is never shown by its id.
import { reactive } from 'vue'
import { api } from './api.js'
import { tr } from './i18n.js'

/** id -> { name, path }, or null for a unit the user may not know of; filled as units are seen. */
export const unitLabels = reactive({})
const pending = new Set()
let queued = []
const MAX_LABELS = 200   // per request, as the server takes them

/** The names of the top units of user `userId`'s scope, read once; [] when the tree is not theirs to read. */
let tops = { user: null, names: null }
export function scopeNames(userId) {
  if (tops.user !== userId || !tops.names) {
    tops = { user: userId, names: api.get('/api/v1/units').then(r => (r.items || []).map(u => u.name)).catch(() => []) }
  }
  return tops.names
}

export const topUnits = () => api.get('/api/v1/units').then(r => r.items || [])
export const childUnits = parent => api.get('/api/v1/units', { query: { parent } }).then(r => r.items || [])
export const searchUnits = q => api.get('/api/v1/units/search', { query: { q, limit: 20 } }).then(r => r.items || [])

/**
 * Keeps the unit labels the records of a served card carry: unitName and unitPath for its own
 * unit (its one unit field, else `units[0]` of a card of several units), and for the others
 * (a transfer's receiver) `labels.<field>`, the path the server names them by.
 */
export function rememberRecordUnits(records, fields, units = null) {
  const unitFields = Object.values(fields || {}).filter(f => f.kind === 'unit')
  const own = units?.length ? units[0] : unitFields.length === 1 ? unitFields[0].name : null
  if (!own) return
  for (const r of records || []) {
    const id = r?.[own]
    if (id != null && id !== '' && typeof r.unitName === 'string') unitLabels[id] = { name: r.unitName, path: r.unitPath || r.unitName }
    for (const name of (units || []).slice(1)) {
      const other = r?.[name]
      const label = r?.labels?.[name]
      if (other != null && other !== '' && typeof label === 'string' && !unitLabels[other]) unitLabels[other] = { name: label, path: label }
    }
  }
}

/** Makes sure unitLabels[id] gets filled: the ids asked for at one time go in one request. */
export function loadUnitLabel(id) {
  if (id == null || id === '') return
  const key = String(id)
  if (key in unitLabels || pending.has(key)) return
  pending.add(key)
  queued.push(key)
  if (queued.length === 1) queueMicrotask(readQueued)
}

async function readQueued() {
  const ids = queued
  queued = []
  for (let i = 0; i < ids.length; i += MAX_LABELS) {
    const chunk = ids.slice(i, i + MAX_LABELS)
    try {
      const r = await api.get('/api/v1/units/labels', { query: { ids: chunk.join(',') } })
      for (const u of r.items || []) unitLabels[u.id] = { name: u.name, path: u.path }
    } catch {
      // The tree is not the user's to read (403), or the request failed: no name to show.
    }
    for (const id of chunk) {
      if (!(id in unitLabels)) unitLabels[id] = null
      pending.delete(id)
    }
  }
}

const OUTSIDE = { 'zh-CN': '（不在您的查看范围内）', en: '(outside your view)' }

/** A unit as the user knows it: its label's name; '' while it is read; never its id. */
export function unitText(id) {
  if (id == null || id === '') return ''
  loadUnitLabel(id)
  const label = unitLabels[id]
  return label === undefined ? '' : label ? label.name : tr(OUTSIDE)
}

/** The whole path of a unit the user may see (hover, print); '' when there is none. */
export function unitPath(id) {
  if (id == null || id === '') return ''
  loadUnitLabel(id)
  return unitLabels[id]?.path || ''
}

/**
 * A card that creates, renames, moves or deletes units (one with a `parentId` unit field)
 * says so after saving: the organisation tree reloads the children of these parents
 * (`parents` null: of every open node).
 */
export const unitChanges = reactive({ count: 0, parents: [] })
export function unitsChanged(unitId, ...parents) {
  forgetLabels()   // a new name or place changes the paths of every unit below it
  unitChanges.parents = parents.filter(p => p != null && p !== '')
  unitChanges.count++
}

/**
 * Any unit may have changed (an import of organisations): labels are read again, and the
 * organisation tree reloads every node it shows open.
 */
export function allUnitsChanged() {
  forgetLabels()
  unitChanges.parents = null
  unitChanges.count++
}

function forgetLabels() {
  for (const id of Object.keys(unitLabels)) if (!pending.has(id)) delete unitLabels[id]
}
