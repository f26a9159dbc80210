// Long operations (exports, imports, backups) run as jobs on the host: a POST answers 202
// with the job's href, which is polled for state, progress and the output to download.
import { api } from './api.js'

export const LIVE = new Set(['queued', 'running'])

/** POSTs to `url` (with `query`, and `body` as JSON when given) and returns the job's href. */
export async function startJob(url, query, body) {
  const r = await api.post(url, body, { query })
  if (!r?.href) throw new Error('the server started no job')
  return r.href
}

/**
 * Polls `href` every `intervalMs` until the job ends or `stop()` is called; `onUpdate(job)`
 * gets every state. Returns { stop, done } where `done` resolves with the last job.
 */
export function watchJob(href, onUpdate, intervalMs = 400) {
  let stopped = false
  let timer = null
  const done = new Promise((resolve, reject) => {
    const tick = async () => {
      if (stopped) return
      try {
        const job = await api.get(href)
        if (stopped) return
        onUpdate(job)
        if (LIVE.has(job.state)) timer = setTimeout(tick, intervalMs)
        else resolve(job)
      } catch (e) {
        if (!stopped) reject(e)
      }
    }
    tick()
  })
  return { done, stop: () => { stopped = true; clearTimeout(timer) } }
}

/**
 * How a job ended, for people: its state, except that a job which ran to its end but found
 * errors in what it read (an import with bad rows: nothing imported) is 'withErrors', not a
 * green 已完成.
 */
export const jobOutcome = job => (job.state === 'succeeded' && job.result?.errorCount > 0 ? 'withErrors' : job.state)

export const cancelJob = id => api.post(`/api/v1/jobs/${encodeURIComponent(id)}/cancel`)
export const listJobs = () => api.get('/api/v1/jobs').then(r => r.items || [])
