#!/usr/bin/env node
// Browser test that a zh-CN user meets no English (issue 12, item 1): every page of the shell
// (home, 待办, 后台任务, 插件管理, every module's lists, charts and reports, a card of each
// list read, edited and new, its print view, a record that does not exist, a printed letter,
// the login page) is visited as the administrator and as a branch secretary, at 1440x900 and 390x844,
// on a deployment of every plugin built, filled by `tessera demo` with a transfer, a flow, a
// customer, a printed letter and an export. The page's visible text, placeholders and
// tooltips must hold no English word other than those of ALLOWED (codes, formats, units of
// measure, brand names, names the test typed): a word of letters alone, not part of a code
// (JG01, party.daily, 2026第0001号), is English unless listed there.
// Screenshots: language-<page>-<user>-<desktop|phone>.png of pages where English was found.
//   node tests/e2e/language.mjs   (same options as run.mjs)
import fs from 'node:fs'
import { ADMIN, SECRETARY, T, apiClient, forEachUserAndSize, options, runSuite } from './lib.mjs'

// Words a Chinese page may show in Latin letters, each for its reason.
const ALLOWED = new Set([
  // The product and the language switch (a language is named in its own language).
  'Tessera', 'English',
  // File formats and what people call them.
  'CSV', 'Excel', 'xlsx', 'XML', 'PNG', 'JPEG', 'GIF', 'WebP', 'SVG', 'PDF', 'HTML',
  // Units of measure and paper.
  'KB', 'MB', 'GB',
  // ID as in 身份证 ID, used as a word in Chinese UIs.
  'ID',
  // User names the test logs in with (shown beside the display name where one is missing).
  ADMIN.username, SECRETARY.username,
])

// Visible text, placeholders and tooltips of the page, as lines.
async function visibleText(page) {
  return page.evaluate(() => {
    const shown = el => {
      const r = el.getBoundingClientRect()
      const s = getComputedStyle(el)
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'
    }
    const parts = [document.body.innerText]
    for (const el of document.querySelectorAll('[placeholder], [title], [aria-label]')) {
      if (!shown(el)) continue
      for (const a of ['placeholder', 'title', 'aria-label']) if (el.getAttribute(a)) parts.push(el.getAttribute(a))
    }
    return parts.join('\n')
  })
}

/** The English words of `text`: runs of letters that are not codes, ids or allowed words, each with its line. */
export function englishIn(text) {
  const found = []
  for (const line of text.split('\n')) {
    // A run of Latin letters, digits and the joiners of codes (party.daily, JG-01, a_b).
    for (const m of line.matchAll(/[A-Za-z0-9][A-Za-z0-9._\-'’]*/g)) {
      const token = m[0].replace(/[._\-'’]+$/, '')
      if (!/[A-Za-z]{2}/.test(token)) continue      // a number, a letter alone (A4's A)
      if (/\d/.test(token) || /[._]/.test(token)) continue  // a code, an id, a version, a plugin id
      const words = token.split(/[-'’]/).filter(w => w.length > 1)
      if (words.every(w => ALLOWED.has(w))) continue
      found.push({ word: token, line: line.trim().slice(0, 160) })
    }
  }
  return found
}

// Every plugin built (the four the setup fills, and whatever other modules there are).
const plugins = fs.readdirSync(options().pluginDir, { withFileTypes: true }).filter(d => d.isDirectory()).map(d => d.name)

await runSuite({
  plugins,
  prepare: cli => cli(['demo', '--organisations', '9', '--people', '60', '--depth', '3']),
}, async ({ step, shot, page, host }) => {
  const api = apiClient(host.base)
  let token = ''
  const records = {}   // plugin/card -> an id the secretary reads too
  let letter = ''      // the printed letter's print view
  let branch = null

  await step('a secretary of one branch of all four modules, a transfer, a flow, a customer, a letter', async () => {
    token = host.cli(['user', 'token', ADMIN.username, '--label', 'e2e']).trim().split(/\s+/).pop()
    const root = (await api('GET', '/api/v1/units', undefined, token)).items[0]
    const committees = (await api('GET', `/api/v1/units?parent=${root.id}`, undefined, token)).items
    const committee = committees.find(u => u.childCount > 0) || committees[0]
    const branches = (await api('GET', `/api/v1/units?parent=${committee.id}`, undefined, token)).items
    branch = branches[0] || committee
    const other = branches[1] || committees.find(u => u.id !== committee.id)
    const permissions = (await api('GET', '/api/v1/permissions', undefined, token)).items
      .filter(p => p.plugin !== 'core' || p.id === 'core.units.read').map(p => p.id)
    await api('POST', '/api/v1/roles', { name: 'secretary', label: '书记', permissions }, token)
    host.cli(['user', 'add', SECRETARY.username, '--display-name', '张书记', '--unit', String(branch.id), '--password-stdin'], `${SECRETARY.password}\n`)
    host.cli(['user', 'grant', SECRETARY.username, 'secretary', '--scope', 'subtree', '--unit', String(branch.id)])
    const onRoll = (await api('GET', `/api/v1/party.daily/members?unit=${branch.id}&size=3`, undefined, token)).items
    if (onRoll.length < 3) throw new Error(`the branch ${branch.name} has ${onRoll.length} members`)
    records['party.daily/member'] = onRoll[0].id
    const today = (await api('GET', '/api/v1/reminders', undefined, token)).date
    const within = await api('POST', '/api/v1/party.transfer/transfers', {
      memberId: onRoll[0].id, kind: 'within', toUnitId: other.id, reason: '工作调动', startedOn: today }, token)
    records['party.transfer/transfer'] = within.id
    const out = await api('POST', '/api/v1/party.transfer/transfers', {
      memberId: onRoll[1].id, kind: 'out', toOrgName: '某市直机关工委', duesPaidTo: today.slice(0, 7), startedOn: today }, token)
    const copy = await api('POST', `/api/v1/party.transfer/transfers/${out.id}/documents/letter`, {}, token)
    letter = `/m/party.transfer/transfer/${out.id}/printed/${copy.id}`
    const flow = await api('POST', '/api/v1/party.flow/flows', {
      memberId: onRoll[2].id, destination: '深圳市', reason: (await firstCode('party.flow', 'reason')) || undefined, leftOn: today }, token)
    records['party.flow/flow'] = flow.id
    const customer = await api('POST', '/api/v1/biz.customers/customers', { name: '东海电器', phone: '010-1234 5678', unitId: branch.id }, token)
    records['biz.customers/customer'] = customer.id
    const applicants = (await api('GET', `/api/v1/party.daily/applicants?unit=${branch.id}&size=1`, undefined, token)).items
    if (applicants.length) records['party.daily/applicant'] = applicants[0].id
    records['party.daily/org'] = branch.id
    // An export, so 后台任务 lists a job.
    await api('POST', `/api/v1/party.daily/members/export?format=xlsx&unit=${branch.id}`, undefined, token)
  })

  // The first code of a dropdown field's dictionary (from the shell's views).
  async function firstCode(plugin, fieldName) {
    const shell = await api('GET', '/api/v1/shell', undefined, token)
    const views = shell.modules.find(m => m.id === plugin)?.views
    const field = views?.cards.flatMap(c => c.sections.flatMap(s => s.fields)).find(f => f.name === fieldName)
    return views?.dictionaries.find(d => d.id === field?.dictionary)?.items[0]?.code
  }

  const problems = []
  // Visits `path`, waits for it to settle, and records the English it shows.
  // With `opener`, a dialog or menu it opens (`opened`) is scanned too.
  const scan = async (tag, name, path, ready, opener, opened) => {
    await page.goto(`${host.base}${path}`)
    await page.locator(ready).first().waitFor({ timeout: T })
    await page.waitForLoadState('networkidle')
    await page.waitForFunction(() => ![...document.querySelectorAll('.el-loading-mask')].some(m => m.offsetParent !== null), null, { timeout: T })
    if (opener) {
      await page.locator(opener).first().click()
      await page.locator(`${opened.split(',').map(o => `${o.trim()}:visible`).join(', ')}`).first().waitFor({ timeout: T })
      await page.waitForLoadState('networkidle')
    }
    const found = englishIn(await visibleText(page))
    if (found.length) {
      problems.push(...found.map(f => `${tag} ${path}: "${f.word}" in "${f.line}"`))
      await shot(`language-${name}-${tag}.png`)
    }
  }

  await step('the scan finds English words and passes codes, formats and names', async () => {
    const found = englishIn('公民身份号码：the check digit should be 1\nJG01 party.daily.read 0.1.0 CSV Excel 2026第0001号 12 MB A4 admin').map(f => f.word)
    if (found.join(' ') !== 'the check digit should be') throw new Error(`the scan finds ${JSON.stringify(found)}`)
  })

  await step('the login page', async () => {
    await page.context().clearCookies()
    await page.goto(`${host.base}/login`)
    await page.locator('input[name=username]').waitFor({ timeout: T })
    const found = englishIn(await visibleText(page))
    if (found.length) problems.push(...found.map(f => `login: "${f.word}" in "${f.line}"`))
  })

  await forEachUserAndSize({ page, step, host }, { admin: ADMIN, secretary: SECRETARY }, async ({ who, tag }) => {
    await step(`${tag}: every page of the shell in Chinese`, async () => {
      const shell = await page.evaluate(async () => (await fetch('/api/v1/shell', { headers: { Accept: 'application/json' } })).json())
      await scan(tag, 'home', '/', '[data-test=reminders]')
      await scan(tag, 'todo', '/todo', '[data-test=todo-page]')
      await scan(tag, 'jobs', '/jobs', '[data-test=jobs-table]')
      if (who === 'admin') await scan(tag, 'plugins', '/admin/plugins', '.el-table__row')
      for (const m of shell.modules) {
        const views = m.views || {}
        for (const l of views.lists || []) await scan(tag, `${m.id}-${l.id}`, `/m/${m.id}/${l.id}`, '[data-test=list-table]')
        for (const c of views.charts || []) await scan(tag, `${m.id}-${c.id}`, `/m/${m.id}/${c.id}`, '[data-test=chart-view]')
        for (const r of views.reports || []) await scan(tag, `${m.id}-${r.id}`, `/m/${m.id}/${r.id}`, '[data-test=report-view]')
        for (const c of views.cards || []) {
          const id = records[`${m.id}/${c.id}`]
          await scan(tag, `${m.id}-${c.id}-new`, `/m/${m.id}/${c.id}/new`, '[data-test=card-view]')
          if (!id) continue
          await scan(tag, `${m.id}-${c.id}`, `/m/${m.id}/${c.id}/${id}`, '[data-test=card-view][data-dirty=false]')
          await scan(tag, `${m.id}-${c.id}-view`, `/m/${m.id}/${c.id}/${id}?mode=view`, '[data-test=card-view][data-dirty=false]')
          await scan(tag, `${m.id}-${c.id}-print`, `/m/${m.id}/${c.id}/${id}/print`, '[data-test=print-view]')
        }
      }
      // Dialogs and menus: import, export, the column toggle, a step, a member's 减少.
      const members = '/m/party.daily/members'
      await scan(tag, 'import', members, '[data-test=list-table]', '[data-test=list-import]', '.el-dialog')
      await scan(tag, 'export', members, '[data-test=list-table]', '[data-test=list-export] button', '.el-dropdown-menu')
      await scan(tag, 'columns', members, '[data-test=list-table]', '[data-test=list-columns]', '.el-popover, .el-popper')
      await scan(tag, 'step', `/m/party.transfer/transfer/${records['party.transfer/transfer']}`, '[data-test^=card-step-]',
        '[data-test^=card-step-]', '.el-dialog')
      await scan(tag, 'leaving', `/m/party.daily/member/${records['party.daily/member']}`, '[data-test^=card-action-]',
        '[data-test^=card-action-]', '.el-dialog')
      await scan(tag, 'missing', '/m/party.daily/member/999999', '.el-alert')
      await scan(tag, 'letter', letter, '[data-test=document-html]')
    })
  })

  await step('no English sentence on any page', async () => {
    if (problems.length) throw new Error(`${problems.length} English words:\n${[...new Set(problems)].slice(0, 40).join('\n')}`)
  })
})
