// The logged-in user and what /api/v1/shell says they may use.
import { reactive } from 'vue'
import { api, request, setCsrfToken } from './api.js'
import { followUserLanguage } from './i18n.js'

export const session = reactive({
  checked: false,      // /auth/me asked once since page load
  user: null,          // {id, username, displayName, unitId, language, unitName?}
  permissions: [],
  shell: null,         // {deployment, user, permissions, modules, admin}
})

function clear() {
  session.user = null
  session.permissions = []
  session.shell = null
  setCsrfToken('')
  followUserLanguage('')
}

/** On page load: restore the session from the cookie (401 = not logged in). */
export async function restore() {
  if (session.checked) return !!session.user
  session.checked = true
  try {
    const { data } = await request('GET', '/api/v1/auth/me', { allow401: true })
    session.user = data.user
    session.permissions = data.permissions || []
    setCsrfToken(data.csrfToken)
    followUserLanguage(data.user.language)
  } catch (e) {
    if (e.status !== 401) throw e
    clear()
  }
  return !!session.user
}

export async function login(username, password) {
  const { data } = await request('POST', '/api/v1/auth/login', { body: { username, password }, allow401: true })
  setCsrfToken(data.csrfToken)
  session.user = data.user
  followUserLanguage(data.user.language)
  session.checked = true
  session.shell = null
}

export async function logout() {
  try { await request('POST', '/api/v1/auth/logout', { allow401: true }) } catch { /* gone already */ }
  clear()
}

/** Keeps `language` ('zh-CN', 'en', or '' for the browser's) as the user's own setting. */
export async function saveLanguage(language) {
  const { data } = await request('PATCH', '/api/v1/auth/me', { body: { language } })
  session.user = { ...session.user, language: data.user.language }
}

/** The session ended on the server (a 401 later on). */
export function expired() { clear() }

export async function loadShell(force = false) {
  if (session.shell && !force) return session.shell
  const shell = await api.get('/api/v1/shell')
  shell.modules = shell.modules || []
  shell.admin = shell.admin || {}
  session.shell = shell
  if (shell.user) session.user = { ...session.user, ...shell.user }
  if (shell.permissions) session.permissions = shell.permissions
  return shell
}

export function findModule(pluginId) {
  return session.shell?.modules.find(m => m.id === pluginId) || null
}

/** The module's views by kind: dictionaries, lists, cards, charts, reports. */
export function viewsOf(pluginId) {
  const views = findModule(pluginId)?.views || {}
  return {
    dictionaries: views.dictionaries || [], lists: views.lists || [], cards: views.cards || [], charts: views.charts || [],
    reports: views.reports || [],
  }
}
