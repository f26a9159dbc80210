// The checks a card declares for a field (docs/records.md), repeated in the browser so a
// mistake shows under its field before saving. The server checks them all again and stays
// the authority: a check it makes that is not here still shows under the field as its 422.
import { i18n, tr } from './i18n.js'
import { isEmpty } from './views.js'

const t = (key, args) => i18n.global.t(key, args)
const pad = n => String(n).padStart(2, '0')

/** Today in local time as the date fields write it: 2026-12-04. */
export function today(now = new Date()) {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

// ---- decimals: strings such as "12.30", never floats ------------------------------------

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/

/** What people type for a decimal, made plain: full-width digits, spaces and thousands separators. */
export function plainDecimal(text) {
  return String(text ?? '')
    .replace(/[０-９]/g, c => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[．。]/g, '.')
    .replace(/[\s,，_]/g, '')
}

/**
 * "1234.5" at scale 2 -> "1234.50"; "007" -> "7.00"; "-0" -> "0.00". Text that is not a
 * decimal with at most `scale` digits after the point comes back as typed (its check says why).
 */
export function normalizeDecimal(text, scale) {
  const plain = plainDecimal(text)
  const m = plain.match(DECIMAL)
  if (!m || (!m[2] && !m[3]) || (m[3] ?? '').length > scale) return String(text ?? '').trim()
  const whole = m[2].replace(/^0+(?=\d)/, '') || '0'
  const fraction = scale > 0 ? '.' + (m[3] ?? '').padEnd(scale, '0') : ''
  const zero = /^0$/.test(whole) && !/[1-9]/.test(fraction)
  return (m[1] === '-' && !zero ? '-' : '') + whole + fraction
}

/** A decimal's value in units of 10^-scale (a BigInt), or null when it is not one. */
export function decimalUnits(text, scale) {
  const m = plainDecimal(text).match(DECIMAL)
  if (!m || (!m[2] && !m[3]) || (m[3] ?? '').length > scale) return null
  return BigInt(normalizeDecimal(text, scale).replace('.', ''))
}

// A limit from the manifest (a JSON number) in the same units.
const limitUnits = (limit, scale) => BigInt(Math.round(Number(limit) * 10 ** scale))

// ---- one field -------------------------------------------------------------------------

// A pattern the whole text must match, as the server applies it; null when JavaScript
// cannot read it (the server still checks it).
const patterns = new Map()
function wholeMatch(pattern) {
  if (!patterns.has(pattern)) {
    let re = null
    for (const flags of ['u', '']) {
      try { re = new RegExp(`^(?:${pattern})$`, flags); break } catch { /* try without unicode mode */ }
    }
    patterns.set(pattern, re)
  }
  return patterns.get(pattern)
}

/** What is wrong with `value` for `field` by its declared checks, or '' (empty values pass). */
export function fieldProblem(field, value) {
  if (isEmpty(value) || field.readOnly) return ''
  const kind = field.kind
  if (kind === 'text' || kind === 'textarea') {
    const length = [...String(value)].length
    if (field.minLength && length < field.minLength) return t('check.minLength', { n: field.minLength })
    if (field.maxLength && length > field.maxLength) return t('check.maxLength', { n: field.maxLength })
    if (field.pattern) {
      const re = wholeMatch(field.pattern)
      if (re && !re.test(String(value))) return tr(field.hint) || t('check.pattern')
    }
  }
  if (kind === 'integer') {
    if (!Number.isInteger(Number(value))) return t('check.integer')
    if (field.min != null && Number(value) < field.min) return t('check.min', { min: field.min })
    if (field.max != null && Number(value) > field.max) return t('check.max', { max: field.max })
  }
  if (kind === 'number') {
    if (field.min != null && Number(value) < field.min) return t('check.min', { min: field.min })
    if (field.max != null && Number(value) > field.max) return t('check.max', { max: field.max })
  }
  if (kind === 'decimal') {
    const scale = field.scale ?? 2
    const units = decimalUnits(value, scale)
    if (units === null) return scale > 0 ? t('check.decimal', { scale }) : t('check.integer')
    if (field.min != null && units < limitUnits(field.min, scale)) return t('check.min', { min: field.min })
    if (field.max != null && units > limitUnits(field.max, scale)) return t('check.max', { max: field.max })
  }
  if ((kind === 'date' || kind === 'datetime') && field.notFuture && String(value).slice(0, 10) > today()) {
    return t('check.notFuture')
  }
  return ''
}

/** el-form rules for a field: system-required, then its declared checks. */
export function fieldRules(field) {
  const rules = []
  if (field.required === 'system' && !field.readOnly) {
    rules.push({ required: true, message: t('card.systemEmpty', { label: tr(field.label) }), trigger: 'blur' })
  }
  rules.push({
    trigger: ['blur', 'change'],
    validator: (_rule, value, callback) => {
      const problem = fieldProblem(field, value)
      callback(problem ? new Error(problem) : undefined)
    },
  })
  return rules
}
