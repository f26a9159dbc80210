// Helpers shared by the generic list, card and print views.
import { tr } from './i18n.js'
import { unitText } from './units.js'
import { loadReferenceTitle, referenceText, userText } from './references.js'

export function dictionaryMap(dictionaries) {
  const map = {}
  for (const d of dictionaries || []) map[d.id] = d
  return map
}

/** Every field of a card (sections flattened), by name. */
export function cardFields(card) {
  const map = {}
  for (const s of card?.sections || []) for (const f of s.fields || []) map[f.name] = f
  return map
}

/**
 * A value as text: dictionary codes as labels, units by their labels (units.js), references by the target's
 * title (`labels`: the record's labels, else the titles seen), decimals as the server wrote
 * them ("12.30"), lists of sub-records counted.
 */
export function displayValue(field, value, dicts, labels) {
  if (value === null || value === undefined || value === '') return ''
  if (!field) return typeof value === 'object' ? JSON.stringify(value) : String(value)
  switch (field.kind) {
    case 'checkbox':
      return value ? tr({ 'zh-CN': '是', en: 'yes' }) : tr({ 'zh-CN': '否', en: 'no' })
    case 'dropdown': {
      const item = dicts?.[field.dictionary]?.items?.find(i => String(i.code) === String(value))
      return item ? tr(item.label) : String(value)
    }
    case 'unit':
      return unitText(value)
    case 'subform':
      return Array.isArray(value) ? String(value.length) : ''
    case 'attachments':
      // A record's files by their names (the card draws them as a gallery).
      return Array.isArray(value) ? value.map(f => f.name).join('、') : ''
    case 'reference':
      // Without a record's labels (an older history entry) the title is looked up; a record's
      // labels name each reference: its target's title, or words saying the user may not see it.
      if (!labels) loadReferenceTitle(field, value)
      return referenceText(field, value, labels?.[field.name])
    case 'user':
      return userText(value, labels?.[field.name])
    case 'datetime':
      return formatDateTime(value)
    case 'date':
      // A link's relative day (a menu's visitOn=today), as the server reads it.
      return value === 'today' ? tr({ 'zh-CN': '今天', en: 'today' }) : String(cellText(value))
    default:
      return String(cellText(value))
  }
}

// A dictionary's items as coloured tags, as admin consoles show them: the colour follows the
// item's place in its dictionary, so the same value always has the same colour.
const TAG_TYPES = ['primary', 'success', 'warning', 'danger', 'info']

/** A dropdown or checkbox value as a tag { label, type }, or null for other kinds and empty values. */
export function valueTag(field, value, dicts) {
  if (!field || value === null || value === undefined || value === '') return null
  if (field.kind === 'checkbox') return { label: displayValue(field, value, dicts), type: value ? 'success' : 'info' }
  if (field.kind !== 'dropdown') return null
  const items = dicts?.[field.dictionary]?.items || []
  const i = items.findIndex(it => String(it.code) === String(value))
  // Coloured only as the manifest says (tag="danger" on an item): a colour that means nothing misleads.
  return i < 0 ? { label: String(value), type: 'info' } : { label: tr(items[i].label), type: TAG_TYPES.includes(items[i].tag) ? items[i].tag : 'info' }
}

const pad = n => String(n).padStart(2, '0')

/** A moment as people write it, in local time: 2026-12-04 17:41 (ISO text, a Date or ms). */
export function formatDateTime(value) {
  if (value === null || value === undefined || value === '') return ''
  const d = value instanceof Date ? value : new Date(value)
  if (Number.isNaN(d.getTime())) return String(value)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

// A server's moment (2026-12-04T09:41:00Z, with seconds or an offset) among other values.
const ISO_MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/

/** Text for a cell: moments as people write them, anything else as it is. */
export const cellText = v => (typeof v === 'string' && ISO_MOMENT.test(v) ? formatDateTime(v) : v ?? '')

const NUMERIC = new Set(['number', 'integer'])
export const emptyValue = f => (f.kind === 'subform' || f.multiple ? [] : NUMERIC.has(f.kind) ? undefined : f.kind === 'checkbox' ? false : '')
export const isEmpty = v => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)
