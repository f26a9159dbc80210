// Records' attachments (docs/records.md, "Attachments"): sizes as people read them, what a
// field takes, and a file's way onto a record: its bytes to the upload service, then the
// upload made a file of the field, where the server checks its type, size and count.
import { request, resourceUrl, upload } from './api.js'

const UNITS = ['KB', 'MB', 'GB', 'TB']

/** A size as people read it: 980 B, 12 KB, 1.2 MB, 500 MB, 1.5 GB (binary units, as the server counts). */
export function formatSize(bytes) {
  const n = Number(bytes)
  if (!Number.isFinite(n) || n < 0) return ''
  if (n < 1024) return `${n} B`
  let v = n / 1024
  let i = 0
  while (v >= 1024 && i < UNITS.length - 1) { v /= 1024; i++ }
  // One decimal below 10 (1.2 MB), whole numbers above (500 MB), no trailing ".0".
  const text = v < 10 ? String(Math.round(v * 10) / 10) : String(Math.round(v))
  return `${text} ${UNITS[i]}`
}

// The file picker's `accept` per kind of file: on a phone image/* and video/* offer the camera
// and the gallery; documents by their extensions (the server checks the bytes either way).
const PICKER = {
  image: ['image/*'],
  video: ['video/*'],
  audio: ['audio/*'],
  document: ['.pdf', '.doc', '.docx', '.xls', '.xlsx', '.ppt', '.pptx', '.txt', 'application/pdf', 'text/plain'],
}
export const KINDS = ['image', 'video', 'audio', 'document']

/** The `accept` attribute of a file input for a field taking `kinds` (default all four). */
export function pickerAccept(kinds) {
  const list = kinds?.length ? kinds : KINDS
  return list.flatMap(k => PICKER[k] || []).join(',')
}

/** The URL of a record's attachments field: /api/v1/<plugin>/<resource>/<id>/attachments/<field>. */
export function attachmentsUrl(plugin, resource, id, field) {
  return `${resourceUrl(plugin, resource, id)}/attachments/${encodeURIComponent(field)}`
}

/**
 * Puts `file` (a browser File) on the record's attachments field: POST /api/v1/files with its
 * bytes (progress 0..1 through `onProgress`; `signal` stops it while it is sent), then POST .../attachments/<field> with the
 * upload's id. Resolves with the file as the server describes it; rejects with the ApiError
 * of the step that refused it (the server's reason is in its detail and field errors).
 */
export async function attachFile(url, file, { onProgress, onChecking, signal } = {}) {
  const uploaded = await upload('/api/v1/files', file, { query: { name: file.name }, onProgress, signal })
  onChecking?.()
  const r = await request('POST', url, { body: { upload: uploaded.id } })
  return r.data
}

/** A refusal as one sentence: the field error on `upload` (the server names the file and why), else the detail. */
export function refusalText(e) {
  const own = (e?.fieldErrors || []).find(x => x.field === 'upload') || e?.fieldErrors?.[0]
  return own?.message || e?.problem?.detail || e?.message || ''
}
