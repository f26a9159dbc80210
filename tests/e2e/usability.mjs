#!/usr/bin/env node
// Browser test of the shell as its users meet it (issue 12), on a party.daily deployment
// filled by `tessera demo`, for the administrator and for a branch secretary scoped to one
// committee's subtree, each at desktop (1440x900) and phone (390x844) size:
//   - nothing typed is lost: leaving a card with unsaved changes asks first, and 返回列表
//     comes back to the same filters, page and scroll position;
// Screenshots: <what>-<user>-<desktop|phone>.png in the artifacts folder.
//   node tests/e2e/usability.mjs   (same options as run.mjs)
import { ADMIN, T, login, runSuite, shellPage } from './lib.mjs'

const MODULE = 'party.daily'
const SECRETARY = { username: 'secretary', password: 'secretary-e2e-pass' }
const SIZES = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } }

await runSuite({
  plugins: [MODULE],
  // A small tree (root, committees, branches) with enough members for several pages.
  prepare: cli => cli(['demo', '--organisations', '9', '--people', '180', '--depth', '3']),
}, async ({ step, shot, page, host, dialogs }) => {
  const { input, listSettled } = shellPage(page)
  const api = async (method, url, body, token) => {
    const r = await fetch(`${host.base}${url}`, {
      method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const data = r.status === 204 ? null : await r.json()
    if (!r.ok) throw new Error(`${method} ${url} answered ${r.status}: ${JSON.stringify(data)}`)
    return data
  }

  // The secretary: party.daily's rights and the tree's, on the first committee and below.
  let committee = null
  await step('a branch secretary scoped to one committee', async () => {
    const token = host.cli(['user', 'token', ADMIN.username, '--label', 'e2e']).trim().split(/\s+/).pop()
    const root = (await api('GET', '/api/v1/units', undefined, token)).items[0]
    const children = (await api('GET', `/api/v1/units?parent=${root.id}`, undefined, token)).items
    committee = children.find(u => u.childCount > 0) || children[0]
    const permissions = (await api('GET', '/api/v1/permissions', undefined, token)).items
      .map(p => p.id ?? p.name).filter(p => p.startsWith(`${MODULE}.`) || p === 'core.units.read')
    await api('POST', '/api/v1/roles', { name: 'secretary', label: '书记', permissions }, token)
    host.cli(['user', 'add', SECRETARY.username, '--display-name', '张书记', '--unit', String(committee.id), '--password-stdin'], `${SECRETARY.password}\n`)
    host.cli(['user', 'grant', SECRETARY.username, 'secretary', '--scope', 'subtree', '--unit', String(committee.id)])
  })

  const rows = page.locator('[data-test=list-table] .el-table__body-wrapper .el-table__row')
  const guard = page.locator('.el-message-box.leave-guard')
  const scrollY = () => page.evaluate(() => document.scrollingElement.scrollTop)
  // A leave attempt is stopped by the guard; 留在此页 keeps the card and what was typed.
  const stays = async (what, typed) => {
    const at = page.url()
    await guard.waitFor({ timeout: T })
    await guard.getByRole('button', { name: '留在此页' }).click()
    await guard.waitFor({ state: 'hidden', timeout: T })
    if (page.url() !== at) throw new Error(`${what}: the page went to ${page.url()} although 留在此页 was chosen`)
    const value = await input('phone').inputValue()
    if (value !== typed) throw new Error(`${what}: the phone field holds "${value}" after staying, expected "${typed}"`)
  }
  // The module's tree: beside the list, or in its drawer on a phone.
  const treeNode = async () => {
    const opener = page.locator('[data-test=module-drawer-open]')
    if (await opener.isVisible()) await opener.click()
    const node = page.locator('[data-test=org-tree] .el-tree-node__content:visible').first()
    await node.waitFor({ timeout: T })
    return node
  }

  for (const user of [ADMIN, SECRETARY]) {
    const who = user === ADMIN ? 'admin' : 'secretary'
    for (const [sizeName, size] of Object.entries(SIZES)) {
      const tag = `${who}-${sizeName}`
      await page.setViewportSize(size)

      if (sizeName === 'desktop') {
        await step(`${tag}: log in`, async () => {
          await page.context().clearCookies()
          await login(page, host.base, user)
        })
      }

      await step(`${tag}: leaving an edited card asks first; 返回列表 comes back to the list as it was`, async () => {
        const listPath = `/m/${MODULE}/members?category=formal&page=2`
        await page.goto(`${host.base}${listPath}`)
        await listSettled()
        await rows.nth(5).waitFor({ timeout: T })
        await page.evaluate(() => document.scrollingElement.scrollTo({ top: 300 }))
        await page.waitForFunction(() => document.scrollingElement.scrollTop === 300, null, { timeout: T })
        const listUrl = page.url()
        await rows.nth(5).locator('td').nth(2).click()
        await page.waitForURL(u => /\/member\/\d+$/.test(u.pathname), { timeout: T })
        await page.locator('[data-test=card-view][data-dirty=false]').waitFor({ timeout: T })
        if ((await scrollY()) !== 0) throw new Error(`the card opened scrolled to ${await scrollY()}`)
        const typed = `0571-${Date.now() % 10000000}`
        await input('phone').fill(typed)
        await page.locator('[data-test=card-view][data-dirty=true]').waitFor({ timeout: T })

        await page.locator('[data-test=card-back]').click()
        await stays('返回列表', typed)
        await shot(`leave-guard-${tag}.png`)
        await (await treeNode()).click()
        await stays('the tree', typed)
        await page.keyboard.press('Escape')
        await page.locator('[data-test=card-print]').click()
        await stays('打印', typed)
        // Reload: the browser asks (beforeunload); dismissing keeps the page as it is.
        const asked = dialogs.seen
        dialogs.beforeunload = 'dismiss'
        await page.reload({ timeout: 3000 }).catch(() => {})
        dialogs.beforeunload = 'accept'
        if (dialogs.seen !== asked + 1) throw new Error('reloading the edited card did not ask')
        if ((await input('phone').inputValue()) !== typed) throw new Error('the typed phone number is gone after declining the reload')

        await page.locator('[data-test=card-back]').click()
        await guard.waitFor({ timeout: T })
        await guard.getByRole('button', { name: '离开，不保存' }).click()
        await page.waitForURL(listUrl, { timeout: T })
        await listSettled()
        await page.waitForFunction(() => document.scrollingElement.scrollTop === 300, null, { timeout: T })
          .catch(async () => { throw new Error(`back in the list scrolled to ${await scrollY()}, expected 300`) })
        const filter = await page.locator('[data-test=filter-category]').innerText()
        if (!filter.includes('正式党员')) throw new Error(`the category filter shows "${filter}" after 返回列表`)
        if (!(await page.locator('.el-pager li.is-active').innerText()).includes('2')) throw new Error('返回列表 did not come back to page 2')
        // A card left unchanged does not ask.
        await rows.first().locator('td').nth(2).click()
        await page.waitForURL(u => /\/member\/\d+$/.test(u.pathname), { timeout: T })
        await page.locator('[data-test=card-view][data-dirty=false]').waitFor({ timeout: T })
        await page.locator('[data-test=card-back]').click()
        await page.waitForURL(listUrl, { timeout: T })
        await listSettled()
      })
    }
  }
})
