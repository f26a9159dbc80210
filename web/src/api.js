// The one HTTP client of the shell: JSON in and out, the CSRF token on unsafe methods,
// problem+json errors as ApiError, and any 401 treated as "the session has ended".

let csrfToken = ''
let onUnauthorized = () => {}
let language = 'zh-CN'

/** The language the server answers in (its messages, job reports): the shell's own. */
export function setApiLanguage(l) { language = l || 'zh-CN' }

export function setCsrfToken(token) { csrfToken = token || '' }
export function setUnauthorizedHandler(fn) { onUnauthorized = fn }

export class ApiError extends Error {
  constructor(status, problem, headers) {
    super(problem?.detail || problem?.title || `HTTP ${status}`)
    this.status = status
    this.problem = problem || {}
    this.headers = headers
    this.fieldErrors = Array.isArray(problem?.errors) ? problem.errors : []
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

// url with the query's non-empty values added.
function withQuery(url, query) {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, v)
  const s = params.toString()
  return s ? url + (url.includes('?') ? '&' : '?') + s : url
}

/**
 * request('GET', '/api/v1/units', { query: {parent: 1} })
 * Options: query (object, empty values dropped), body (JSON), headers, allow401 (do not
 * treat 401 as an expired session: login and the first /auth/me).
 * Returns { data, status, headers, etag }.
 */
export async function request(method, url, { query, body, headers = {}, allow401 = false } = {}) {
  if (query) url = withQuery(url, query)
  const h = { Accept: 'application/json', 'Accept-Language': language, ...headers }
  if (body !== undefined) h['Content-Type'] = 'application/json'
  if (UNSAFE.has(method) && csrfToken) h['X-CSRF-Token'] = csrfToken
  let res
  try {
    res = await fetch(url, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' })
  } catch (e) {
    throw new ApiError(0, { title: 'network error', detail: String(e.message || e) })
  }
  const type = res.headers.get('Content-Type') || ''
  let data = null
  if (res.status !== 204 && type.includes('json')) data = await res.json().catch(() => null)
  if (!res.ok) {
    const err = new ApiError(res.status, data, res.headers)
    if (res.status === 401 && !allow401) onUnauthorized(err)
    throw err
  }
  const etag = res.headers.get('ETag')
  return { data, status: res.status, headers: res.headers, etag }
}

/**
 * upload('/api/v1/files', file, { query: { name: file.name }, onProgress: f => ... })
 * POSTs a file's bytes as they are (not multipart) with the CSRF token, reporting the part
 * sent (0..1) as it goes, until `signal` aborts it; resolves with the JSON answer, rejects
 * with an ApiError.
 */
export function upload(url, file, { query, onProgress, signal } = {}) {
  if (query) url = withQuery(url, query)
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.setRequestHeader('Accept-Language', language)
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream')
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken)
    xhr.upload.onprogress = e => { if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total) }
    xhr.onload = () => {
      let data = null
      if ((xhr.getResponseHeader('Content-Type') || '').includes('json')) {
        try { data = JSON.parse(xhr.responseText) } catch { data = null }
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data)
      const err = new ApiError(xhr.status, data)
      if (xhr.status === 401) onUnauthorized(err)
      reject(err)
    }
    // A refused upload may end with the connection closed before an answer is read.
    xhr.onerror = () => reject(new ApiError(0, { title: 'network error', detail: 'the upload was broken off' }))
    // An AbortSignal stops the upload (the server keeps nothing of it); rejects with status 0, `aborted`.
    xhr.onabort = () => reject(Object.assign(new ApiError(0, { title: 'aborted' }), { aborted: true }))
    signal?.addEventListener('abort', () => xhr.abort(), { once: true })
    if (signal?.aborted) return xhr.onabort()
    xhr.send(file)
  })
}

/**
 * download('/api/v1/reports/p/r/export', { query: { format: 'xlsx' } }): a file the server
 * answers (Content-Disposition attachment), as { blob, name }; `name` is the one the server
 * gives (RFC 6266, its UTF-8 filename* first), '' when it gives none. A refusal rejects with
 * an ApiError carrying the server's message, so the page can show it instead of saving a
 * problem+json as the file.
 */
export async function download(url, { query } = {}) {
  if (query) url = withQuery(url, query)
  let res
  try {
    res = await fetch(url, { headers: { 'Accept-Language': language }, credentials: 'same-origin' })
  } catch (e) {
    throw new ApiError(0, { title: 'network error', detail: String(e.message || e) })
  }
  if (!res.ok) {
    const data = (res.headers.get('Content-Type') || '').includes('json') ? await res.json().catch(() => null) : null
    const err = new ApiError(res.status, data, res.headers)
    if (res.status === 401) onUnauthorized(err)
    throw err
  }
  return { blob: await res.blob(), name: attachmentName(res.headers.get('Content-Disposition') || '') }
}

// The file name of a Content-Disposition header: filename*=UTF-8''<percent-encoded> (RFC 5987)
// before the plain filename="..." old clients read.
function attachmentName(header) {
  const encoded = header.match(/filename\*\s*=\s*UTF-8''([^;]+)/i)
  if (encoded) {
    try { return decodeURIComponent(encoded[1].trim()) } catch { /* fall back to the plain name */ }
  }
  return header.match(/filename\s*=\s*"([^"]*)"/i)?.[1] || header.match(/filename\s*=\s*([^;]+)/i)?.[1].trim() || ''
}

export const api = {
  get: (url, opts) => request('GET', url, opts).then(r => r.data),
  post: (url, body, opts) => request('POST', url, { ...opts, body }).then(r => r.data),
  put: (url, body, opts) => request('PUT', url, { ...opts, body }).then(r => r.data),
  del: (url, opts) => request('DELETE', url, opts).then(r => r.data),
}

/** The URL of a plugin resource: /api/v1/<plugin>/<resource>[/<id>] */
export function resourceUrl(pluginId, resource, id) {
  const base = `/api/v1/${encodeURIComponent(pluginId)}/${resource.replace(/^\/+|\/+$/g, '')}`
  return id === undefined ? base : `${base}/${encodeURIComponent(id)}`
}
