// Organisation units from /api/v1/units, with a small cache of names by id.
import { reactive } from 'vue'
import { api } from './api.js'

export const unitNames = reactive({})   // id -> name, filled as units are seen
const pending = new Map()

function remember(items) {
  for (const u of items || []) if (u?.id != null) unitNames[u.id] = u.name
  return items || []
}

/** The names of the top units of user `userId`'s scope, read once; [] when the tree is not theirs to read. */
let tops = { user: null, names: null }
export function scopeNames(userId) {
  if (tops.user !== userId || !tops.names) {
    tops = { user: userId, names: api.get('/api/v1/units').then(r => (r.items || []).map(u => u.name)).catch(() => []) }
  }
  return tops.names
}

export const topUnits = () => api.get('/api/v1/units').then(r => remember(r.items))
export const childUnits = parent => api.get('/api/v1/units', { query: { parent } }).then(r => remember(r.items))
export const searchUnits = q => api.get('/api/v1/units/search', { query: { q, limit: 20 } }).then(r => remember(r.items))

/**
 * A card that creates, renames, moves or deletes units (one with a `parentId` unit field)
 * says so after saving: the organisation tree reloads the children of these parents
 * (`parents` null: of every open node).
 */
export const unitChanges = reactive({ count: 0, parents: [] })
export function unitsChanged(unitId, ...parents) {
  if (unitId != null) delete unitNames[unitId]
  unitChanges.parents = parents.filter(p => p != null && p !== '')
  unitChanges.count++
}

/**
 * Any unit may have changed (an import of organisations): names are read again, and the
 * organisation tree reloads every node it shows open.
 */
export function allUnitsChanged() {
  for (const id of Object.keys(unitNames)) delete unitNames[id]
  pending.clear()
  unitChanges.parents = null
  unitChanges.count++
}

/** Make sure unitNames[id] gets filled (once); errors leave the id shown as is. */
export function loadUnitName(id) {
  if (id == null || id === '' || unitNames[id] !== undefined || pending.has(id)) return
  pending.set(id, api.get(`/api/v1/units/${encodeURIComponent(id)}`)
    .then(u => { unitNames[id] = u.name })
    .catch(() => { unitNames[id] = `#${id}` }))
}
