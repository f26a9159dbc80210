#!/usr/bin/env node
// Browser test of units named so that people recognise them (issue 12, item 3), on a
// party.daily deployment filled by `tessera demo`, whose branches share names (第1党支部
// under each general branch), for the administrator and for a secretary scoped to the top
// committee's subtree, each at desktop (1440x900) and phone (390x844) size:
//   - two branches of one name are told apart in the member list and on the member card, by
//     their path below the user's top unit, with the whole path on hover (title) and in print;
//   - the secretary sees nothing above the committee: no root name, in text or on hover;
//   - the secretary's own organisation card shows its parent (the root, outside their scope)
//     neither by name nor as "#<id>", and the breadcrumbs name the organisation, not its id.
// Screenshots: unit-paths-<what>-<user>-<desktop|phone>.png in the artifacts folder.
//   node tests/e2e/unit-paths.mjs   (same options as run.mjs)
import { ADMIN, SECRETARY, T, addSecretary, apiClient, forEachUserAndSize, idNumber, runSuite, shellPage } from './lib.mjs'

const MODULE = 'party.daily'
const BRANCH = '第1党支部'

await runSuite({
  plugins: [MODULE],
  // root, one committee, general branches, and branches numbered under each of them.
  prepare: cli => cli(['demo', '--organisations', '9', '--people', '60', '--depth', '3']),
}, async ({ step, shot, page, host }) => {
  const { field, listSettled } = shellPage(page)
  const api = apiClient(host.base)

  let token = ''
  let root = null
  let committee = null
  const branches = []   // two units named BRANCH under different parents: { id, member, parent }
  await step('two branches of one name, a member in each, and a secretary of the committee', async () => {
    token = host.cli(['user', 'token', ADMIN.username, '--label', 'e2e']).trim().split(/\s+/).pop()
    root = (await api('GET', '/api/v1/units', undefined, token)).items[0]
    committee = (await api('GET', `/api/v1/units?parent=${root.id}`, undefined, token)).items.find(u => u.childCount > 0)
    const hits = (await api('GET', `/api/v1/units/search?q=${encodeURIComponent(BRANCH)}&limit=100`, undefined, token)).items
      .filter(u => u.name === BRANCH)
    for (const u of hits) if (!branches.some(b => b.parent === u.parentId)) branches.push({ id: u.id, parent: u.parentId })
    if (branches.length < 2) throw new Error(`the demo tree has no two ${BRANCH} under different parents: ${JSON.stringify(hits)}`)
    branches.length = 2
    let sequence = 700
    for (const [i, b] of branches.entries()) {
      b.member = `路径${'甲乙'[i]}`
      const m = await api('POST', `/api/v1/${MODULE}/members`, {
        name: b.member, idNumber: idNumber('19850101', String(++sequence)), unitId: b.id, ethnicity: '01', education: '21',
        category: 'formal', joinDate: '2008-07-01', fullDate: '2009-07-01',
      }, token)
      b.memberId = m.id
    }
    await addSecretary(host, token, MODULE, committee.id)
  })

  const rows = page.locator('[data-test=list-table] .el-table__body-wrapper .el-table__row')
  // The unit cell of the member named `name` in the list: its text and title.
  const unitCell = async name => {
    const cell = rows.filter({ hasText: name }).first().locator('[data-test=unit-label]')
    await cell.waitFor({ state: 'attached', timeout: T })
    await page.waitForFunction(el => el.textContent.trim() !== '', await cell.elementHandle(), { timeout: T })
    return { text: (await cell.textContent()).trim(), title: (await cell.getAttribute('title')) || '' }
  }
  // The unit field's chosen value on a card: text and title.
  const pickedUnit = async name => {
    const label = field(name).locator('[data-test=unit-picker-label]')
    await label.waitFor({ timeout: T })
    await page.waitForFunction(el => el.textContent.trim() !== '', await label.elementHandle(), { timeout: T })
    return { text: (await label.textContent()).trim(), title: (await label.getAttribute('title')) || '' }
  }
  const noId = (what, text) => { if (/#\s*\d/.test(text)) throw new Error(`${what} shows an id: "${text}"`) }

  await forEachUserAndSize({ page, step, host }, { admin: ADMIN, secretary: SECRETARY }, async ({ who, sizeName, tag }) => {
    const seen = []
    await step(`${tag}: the member list tells the two ${BRANCH} apart, the whole path on hover`, async () => {
      await page.goto(`${host.base}/m/${MODULE}/members?q=${encodeURIComponent('路径')}`)
      await listSettled()
      for (const b of branches) {
        const cell = await unitCell(b.member)
        if (!cell.text.endsWith(BRANCH) || cell.text === BRANCH) throw new Error(`${b.member}'s unit shows "${cell.text}", not a path to ${BRANCH}`)
        if (!cell.title.endsWith(cell.text.split('/').pop()) || cell.title.length < cell.text.replace('…', '').length)
          throw new Error(`${b.member}'s unit "${cell.text}" has the title "${cell.title}", not its whole path`)
        noId(`${b.member}'s unit`, cell.text)
        if (who === 'admin' && !cell.title.startsWith(`${root.name}/`)) throw new Error(`the administrator's path "${cell.title}" does not start at the root`)
        if (who === 'secretary' && (cell.title.includes(root.name) || cell.text.includes(root.name)))
          throw new Error(`the secretary sees "${cell.text}" / "${cell.title}": the root lies above their scope`)
        if (who === 'secretary' && !cell.title.startsWith(`${committee.name}/`)) throw new Error(`the secretary's path "${cell.title}" does not start at their committee`)
        seen.push(cell)
      }
      if (seen[0].text === seen[1].text) throw new Error(`both branches show as "${seen[0].text}"`)
      await shot(`unit-paths-list-${tag}.png`)
    })

    await step(`${tag}: each member's card names its branch as the list does`, async () => {
      for (const [i, b] of branches.entries()) {
        await page.goto(`${host.base}/m/${MODULE}/member/${b.memberId}?mode=view`)
        await page.locator('[data-test=card-view][data-dirty=false]').waitFor({ timeout: T })
        const shown = await pickedUnit('unitId')
        if (shown.text !== seen[i].text || shown.title !== seen[i].title)
          throw new Error(`the card shows "${shown.text}" (${shown.title}), the list "${seen[i].text}" (${seen[i].title})`)
        if (i === 0) await shot(`unit-paths-card-${tag}.png`)
      }
    })

    await step(`${tag}: the printed card has the whole path`, async () => {
      await page.goto(`${host.base}/m/${MODULE}/member/${branches[1].memberId}/print`)
      const cell = page.locator('[data-test=print-unit]').first()
      await cell.waitFor({ timeout: T })
      await page.waitForFunction(el => el.textContent.trim() !== '', await cell.elementHandle(), { timeout: T })
      const text = (await cell.textContent()).trim()
      if (text !== seen[1].title) throw new Error(`the print shows "${text}", expected the whole path "${seen[1].title}"`)
      await shot(`unit-paths-print-${tag}.png`)
    })

    await step(`${tag}: the committee's card names its parent only to whom it is known, never as "#id"`, async () => {
      await page.goto(`${host.base}/m/${MODULE}/org/${committee.id}?mode=view`)
      await page.locator('[data-test=card-view][data-dirty=false]').waitFor({ timeout: T })
      const parent = await pickedUnit('parentId')
      noId('the parent', parent.text)
      noId('the card', await page.locator('[data-test=card-view]').innerText())
      await page.locator('[data-test=breadcrumbs]', { hasText: committee.name }).waitFor({ timeout: T })
      const crumbs = (await page.locator('[data-test=breadcrumbs]').innerText()).trim()
      if (crumbs.endsWith(String(committee.id))) throw new Error(`the breadcrumbs name the organisation by its id: "${crumbs}"`)
      if (who === 'admin' && parent.text !== root.name) throw new Error(`the administrator sees the parent as "${parent.text}", not ${root.name}`)
      if (who === 'secretary' && (parent.text.includes(root.name) || parent.title.includes(root.name)))
        throw new Error(`the secretary sees the parent above their scope as "${parent.text}" (${parent.title})`)
      await shot(`unit-paths-org-${tag}.png`)
      // Printed and in its history alike: the parent by name to whom it is known, else said to
      // lie outside their view; never "#<id>".
      await page.goto(`${host.base}/m/${MODULE}/org/${committee.id}/print?history=1`)
      const doc = page.locator('[data-test=print-view]')
      await doc.locator('[data-test=print-unit]').first().waitFor({ timeout: T })
      await page.waitForLoadState('networkidle')
      const printed = await doc.innerText()
      noId('the printed card', printed)
      // (The heading names the deployment, which the root unit is named after here: the tables only.)
      const tables = (await doc.locator('table').allInnerTexts()).join('\n')
      if (who === 'secretary' && tables.includes(root.name)) throw new Error(`the secretary's print names ${root.name}, above their scope`)
      const parentCell = (await doc.locator('[data-test=print-unit]').first().textContent()).trim()
      if (parentCell !== (who === 'admin' ? root.name : '（不在您的查看范围内）')) throw new Error(`the print shows the parent as "${parentCell}"`)
    })
  })
})
