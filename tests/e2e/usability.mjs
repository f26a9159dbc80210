#!/usr/bin/env node
// Browser test of the shell as its users meet it (issue 12), on a party.daily deployment
// filled by `tessera demo`, for the administrator and for a branch secretary scoped to one
// committee's subtree, each at desktop (1440x900) and phone (390x844) size:
//   - nothing typed is lost: leaving a card with unsaved changes asks first, and 返回列表
//     comes back to the same filters, page and scroll position;
//   - lists as admin consoles have them: filters, page and page size in the URL (reload and a
//     second tab show the same), page jump, a column toggle, dictionary values as tags,
//     breadcrumbs (a card's naming its record by name, not by id), 查看 (read only) and
//     修改, 删除 of one row and of the selected rows, one DELETE each with If-Match, saying
//     which row was not deleted and why;
//   - usable on a phone: nothing wider than the window, the header on one line with its
//     links in a drawer, the module's menu and tree in a drawer, lists scrolling sideways
//     inside their table, cards in one column, dialogs with their buttons on screen, and
//     the print view as wide as the screen while printing still gives A4;
//   - messages that say what happened: the list names the user's scope (not 全部单位), times
//     read 2026-12-04 17:41, no version numbers, an import with errors counts no 新增 and its
//     job is not a green 已完成, a refused delete is titled 无法删除;
// Screenshots: <what>-<user>-<desktop|phone>.png in the artifacts folder.
//   node tests/e2e/usability.mjs   (same options as run.mjs)
import fs from 'node:fs'
import path from 'node:path'
import { ADMIN, SECRETARY, T, runSuite, shellPage, apiClient, layoutChecks, addSecretary, forEachUserAndSize } from './lib.mjs'

const MODULE = 'party.daily'

await runSuite({
  plugins: [MODULE],
  // A small tree (root, committees, branches) with enough members for several pages.
  prepare: cli => cli(['demo', '--organisations', '9', '--people', '180', '--depth', '3']),
}, async ({ step, shot, page, host, dialogs, opts }) => {
  const { input, listSettled } = shellPage(page)
  const api = apiClient(host.base)

  let adminToken = ''
  // The secretary: party.daily's rights and the tree's, on the first committee and below.
  let committee = null
  await step('a branch secretary scoped to one committee', async () => {
    const token = host.cli(['user', 'token', ADMIN.username, '--label', 'e2e']).trim().split(/\s+/).pop()
    const root = (await api('GET', '/api/v1/units', undefined, token)).items[0]
    const children = (await api('GET', `/api/v1/units?parent=${root.id}`, undefined, token)).items
    committee = children.find(u => u.childCount > 0) || children[0]
    await addSecretary(host, token, MODULE, committee.id)
    adminToken = token
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

  const memberOf = async id => api('GET', `/api/v1/${MODULE}/members/${id}`, undefined, adminToken)
  // Changes a member behind the list's back: its version moves on.
  const touch = async id => {
    const { id: _, createdAt, updatedAt, ...m } = await memberOf(id)
    await api('PUT', `/api/v1/${MODULE}/members/${id}`, { ...m, phone: `0571-${Date.now() % 10000000}` }, adminToken)
  }
  // The ids of the rows shown, in order (each row has the class row-id-<id>).
  const rowIds = () => rows.evaluateAll(trs => trs.map(tr => Number([...tr.classList].find(c => c.startsWith('row-id-')).slice(7))))

  const { noOverflow, buttonsOnScreen } = layoutChecks(page)

  await forEachUserAndSize({ page, step, host }, { admin: ADMIN, secretary: SECRETARY }, async ({ user, sizeName, size, tag }) => {
    await step(`${tag}: leaving an edited card asks first; 返回列表 comes back to the list as it was`, async () => {
      const listPath = `/m/${MODULE}/members?category=formal&page=2`
      await page.goto(`${host.base}${listPath}`)
      await listSettled()
      await rows.nth(5).waitFor({ timeout: T })
      await page.evaluate(() => document.scrollingElement.scrollTo({ top: 200 }))
      await page.waitForFunction(() => document.scrollingElement.scrollTop === 200, null, { timeout: T })
      const listUrl = page.url()
      await rows.nth(5).locator('td').nth(2).click()
      await page.waitForURL(u => /\/member\/\d+$/.test(u.pathname), { timeout: T })
      await page.locator('[data-test=card-view][data-dirty=false]').waitFor({ timeout: T })
      if ((await scrollY()) !== 0) throw new Error(`the card opened scrolled to ${await scrollY()}`)
      const typed = `0571-${Date.now() % 10000000}`
      await input('phone').fill(typed)
      await page.locator('[data-test=card-view][data-dirty=true]').waitFor({ timeout: T })

      await page.locator('[data-test=card-back]').click()
      await guard.waitFor({ timeout: T })
      await buttonsOnScreen('.el-message-box.leave-guard', 'the leave question')
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
      await page.waitForFunction(() => document.scrollingElement.scrollTop === 200, null, { timeout: T })
        .catch(async () => { throw new Error(`back in the list scrolled to ${await scrollY()}, expected 200`) })
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

    await step(`${tag}: a list's filters, page and page size are in its URL; page jump; tags; breadcrumbs`, async () => {
      await page.goto(`${host.base}/m/${MODULE}/members`)
      await listSettled()
      const crumbs = (await page.locator('[data-test=breadcrumbs]').innerText()).replace(/\s+/g, '')
      if (!crumbs.includes('首页/日常管理/党员名册')) throw new Error(`the breadcrumbs say "${crumbs}"`)
      const toggle = page.locator('[data-test=filters-toggle]')
      if (await toggle.isVisible()) await toggle.click()
      await page.locator('[data-test=filter-gender] .el-select__wrapper').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '女' }).first().click()
      await page.locator('[data-test=list-search-button]').click()
      await page.waitForURL(u => u.searchParams.get('gender') === '2', { timeout: T })
      await listSettled()
      await page.locator('[data-test=list-pager] .el-pagination__sizes .el-select__wrapper').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '10' }).first().click()
      await page.waitForURL(u => u.searchParams.get('size') === '10', { timeout: T })
      await listSettled()
      const jump = page.locator('[data-test=list-pager] .el-pagination__jump input')
      await jump.fill('2')
      await jump.press('Enter')
      await page.waitForURL(u => u.searchParams.get('page') === '2', { timeout: T })
      await listSettled()
      const names = async () => (await rows.locator('td:nth-child(2)').allInnerTexts()).map(n => n.trim())
      const shown = await names()
      if (shown.length !== 10) throw new Error(`page 2 of size 10 shows ${shown.length} rows`)
      // Every gender cell is the dictionary's label as a tag.
      const tags = await rows.locator('td:nth-child(3) [data-test=value-tag]').allInnerTexts()
      if (tags.length !== 10 || tags.some(g => g.trim() !== '女')) throw new Error(`the gender column shows ${JSON.stringify(tags)}, expected 10 tags 女`)
      // Coloured as the manifest says: a gender means nothing good or bad (plain), a category does.
      const classes = async n => rows.locator(`td:nth-child(${n}) [data-test=value-tag]`).evaluateAll(ts => ts.map(t => [t.innerText.trim(), t.className]))
      if ((await classes(3)).some(([, c]) => !c.includes('el-tag--info'))) throw new Error('a gender tag is coloured')
      const categories = await classes(5)
      const wrong = categories.filter(([label, c]) => !c.includes(label === '预备党员' ? 'el-tag--warning' : 'el-tag--primary'))
      if (categories.length !== 10 || wrong.length) throw new Error(`category tags: ${JSON.stringify(categories)}`)
      const url = page.url()
      await page.reload()
      await listSettled()
      if (page.url() !== url) throw new Error(`the reload went to ${page.url()}`)
      if (JSON.stringify(await names()) !== JSON.stringify(shown)) throw new Error('the reloaded list shows other rows')
      if (!(await page.locator('[data-test=filter-gender]').innerText()).includes('女')) throw new Error('the gender filter is empty after the reload')
      // The same address in another tab (a bookmark, a link sent to a colleague).
      const other = await page.context().newPage()
      await other.setViewportSize(size)
      await other.goto(url)
      const otherRows = other.locator('[data-test=list-table] .el-table__body-wrapper .el-table__row')
      await otherRows.nth(9).waitFor({ timeout: T })
      const there = (await otherRows.locator('td:nth-child(2)').allInnerTexts()).map(n => n.trim())
      await other.close()
      if (JSON.stringify(there) !== JSON.stringify(shown)) throw new Error(`the same URL in a new tab shows ${JSON.stringify(there)}, not ${JSON.stringify(shown)}`)
      await shot(`list-${tag}.png`)
    })

    await step(`${tag}: a column can be hidden and stays hidden`, async () => {
      const header = () => page.locator('[data-test=list-table] .el-table__header-wrapper').innerText()
      if (!(await header()).includes('公民身份号码')) throw new Error('the ID number column is not shown to begin with')
      await page.locator('[data-test=list-columns]').click()
      const panel = page.locator('[data-test=list-columns-panel]:visible')
      await panel.locator('[data-test=column-idNumber]').click()
      await page.waitForFunction(() => !document.querySelector('[data-test=list-table] .el-table__header-wrapper').innerText.includes('公民身份号码'), null, { timeout: T })
      await page.reload()
      await listSettled()
      if ((await header()).includes('公民身份号码')) throw new Error('the hidden column is back after a reload')
      await page.locator('[data-test=list-columns]').click()
      await panel.locator('[data-test=column-idNumber]').click()
      await page.waitForFunction(() => document.querySelector('[data-test=list-table] .el-table__header-wrapper').innerText.includes('公民身份号码'), null, { timeout: T })
      await page.keyboard.press('Escape')
    })

    await step(`${tag}: 查看 shows the card to read, 修改 makes it editable`, async () => {
      await rows.first().locator('[data-test=row-view]').click()
      await page.waitForURL(u => /\/member\/\d+$/.test(u.pathname) && u.searchParams.get('mode') === 'view', { timeout: T })
      await page.locator('form[data-read-only=true]').waitFor({ timeout: T })
      if (!(await input('name').isDisabled())) throw new Error('the name can be typed into in 查看')
      if (await page.locator('[data-test=card-save]').count()) throw new Error('查看 shows 保存')
      await page.locator('[data-test=card-edit]').click()
      await page.locator('form[data-read-only=false]').waitFor({ timeout: T })
      if (await input('name').isDisabled()) throw new Error('修改 left the name disabled')
      await page.locator('[data-test=card-back]').click()
      await page.waitForURL(u => u.pathname === `/m/${MODULE}/members`, { timeout: T })
      await listSettled()
      // The row's own 修改 opens the card ready to edit.
      const second = (await rows.nth(1).locator('td:nth-child(2)').innerText()).trim()
      await rows.nth(1).locator('[data-test=row-edit]').click()
      await page.waitForURL(u => /\/member\/\d+$/.test(u.pathname) && u.searchParams.get('mode') !== 'view', { timeout: T })
      await page.locator('form[data-read-only=false]').waitFor({ timeout: T })
      if ((await input('name').inputValue()) !== second || (await input('name').isDisabled())) throw new Error(`修改 of ${second} opened "${await input('name').inputValue()}", disabled: ${await input('name').isDisabled()}`)
      await page.locator('[data-test=card-back]').click()
      await page.waitForURL(u => u.pathname === `/m/${MODULE}/members`, { timeout: T })
      await listSettled()
    })

    await step(`${tag}: 删除 of one row and of the selected rows, each with If-Match; a changed row is named`, async () => {
      const deletes = []
      const onRequest = r => { if (r.method() === 'DELETE') deletes.push({ url: r.url(), ifMatch: r.headers()['if-match'] }) }
      page.on('request', onRequest)
      try {
        const ids = await rowIds()
        // One row, from its 删除.
        const first = (await rows.first().locator('td:nth-child(2)').innerText()).trim()
        await rows.first().locator('[data-test=row-delete]').click()
        const box = page.locator('.el-message-box.delete-confirm')
        await box.waitFor({ timeout: T })
        if (!(await box.innerText()).includes(first)) throw new Error(`the question does not name ${first}: ${await box.innerText()}`)
        await box.locator('.el-button--primary').click()
        const outcome = page.locator('[data-test=delete-outcome]')
        await outcome.filter({ hasText: '已删除 1 条记录' }).waitFor({ timeout: T })
        await listSettled()
        if (deletes.length !== 1 || !deletes[0].url.endsWith(`/members/${ids[0]}`) || !/^"\d+"$/.test(deletes[0].ifMatch || '')) {
          throw new Error(`one delete sent ${JSON.stringify(deletes)}`)
        }
        // Two selected rows, one of them changed by someone else meanwhile.
        const next = await rowIds()
        const [a, b] = next
        await rows.nth(0).locator('.el-checkbox').click()
        await rows.nth(1).locator('.el-checkbox').click()
        const changed = (await rows.nth(1).locator('td:nth-child(2)').innerText()).trim()
        await touch(b)
        await page.locator('[data-test=list-delete-selected]').click()
        await box.waitFor({ timeout: T })
        if (!(await box.innerText()).includes('2 条')) throw new Error(`the question says: ${await box.innerText()}`)
        await box.locator('.el-button--primary').click()
        await outcome.filter({ hasText: '已删除 1 条，1 条未删除' }).waitFor({ timeout: T })
        const failure = await outcome.locator('[data-test=delete-failure]').innerText()
        if (!failure.includes(changed) || !failure.includes('已被他人修改')) throw new Error(`the failure says "${failure}"`)
        if (deletes.length !== 3 || deletes.slice(1).some(d => !/^"\d+"$/.test(d.ifMatch || ''))) throw new Error(`the bulk delete sent ${JSON.stringify(deletes.slice(1))}`)
        await shot(`bulk-delete-${tag}.png`)
        const gone = await fetch(`${host.base}/api/v1/${MODULE}/members/${a}`, { headers: { Authorization: `Bearer ${adminToken}` } })
        if (gone.status !== 404) throw new Error(`the deleted member ${a} answers ${gone.status}`)
        await memberOf(b)
      } finally {
        page.off('request', onRequest)
      }
    })

    await step(`${tag}: every page fits the window; menus, tree, cards, dialogs and print follow its size`, async () => {
      const phone = sizeName === 'phone'
      await page.goto(`${host.base}/`)
      await page.locator('[data-test=reminders]').waitFor({ timeout: T })
      await noOverflow('the home page')
      const header = await page.locator('.shell-header').boundingBox()
      if (header.height > 60) throw new Error(`the header is ${header.height} px high: it wraps`)
      const brand = await page.locator('[data-test=home-link]').boundingBox()
      if (brand.height > 30) throw new Error(`the deployment's name is ${brand.height} px high: it wraps`)
      if (phone) {
        if (await page.locator('.shell-header [data-test=jobs-link]').count()) throw new Error('the header shows its links on a phone')
        await page.locator('[data-test=nav-open]').click()
        const drawer = page.locator('[data-test=nav-drawer]')
        await drawer.locator('[data-test=jobs-link]').waitFor({ timeout: T })
        await noOverflow('the menu drawer')
        await shot(`menu-${tag}.png`)
        await drawer.locator('[data-test=jobs-link]').click()
        await page.waitForURL(u => u.pathname === '/jobs', { timeout: T })
        await drawer.waitFor({ state: 'hidden', timeout: T })
      } else {
        await page.locator('.shell-header [data-test=jobs-link]').click()
        await page.waitForURL(u => u.pathname === '/jobs', { timeout: T })
      }
      await page.locator('[data-test=jobs-table]').waitFor({ timeout: T })
      await noOverflow('the jobs page')

      // The list: the tree in a drawer on a phone; the table scrolls inside itself.
      await page.goto(`${host.base}/m/${MODULE}/members`)
      await listSettled()
      if (phone) {
        if (await page.locator('[data-test=org-tree]').isVisible()) throw new Error('the tree takes room beside the list on a phone')
        await page.locator('[data-test=module-drawer-open]').click()
        const drawer = page.locator('[data-test=module-drawer]')
        await drawer.locator('[data-test=org-tree] .el-tree-node__content').first().waitFor({ timeout: T })
        await noOverflow('the module drawer')
        await shot(`tree-drawer-${tag}.png`)
        await drawer.locator('[data-test=org-tree] .el-tree-node__content').first().click()
        await page.waitForURL(u => u.searchParams.has('unit'), { timeout: T })
        await drawer.waitFor({ state: 'hidden', timeout: T })
        await listSettled()
      }
      await noOverflow('the list')
      const table = await page.locator('[data-test=list-table]').evaluate(t => {
        const body = t.querySelector('.el-table__body-wrapper .el-scrollbar__wrap') || t.querySelector('.el-table__body-wrapper')
        const cells = [...t.querySelectorAll('.el-table__body-wrapper tr.el-table__row:first-child td')]
        return { scrollWidth: body.scrollWidth, clientWidth: body.clientWidth, tallest: Math.max(...cells.map(c => c.getBoundingClientRect().height)) }
      })
      if (table.tallest > 60) throw new Error(`a list row is ${table.tallest} px high: its cells wrap`)
      if (phone && table.scrollWidth <= table.clientWidth) throw new Error('the list does not scroll sideways on a phone although its columns are wider')

      // The import dialog: its buttons on screen.
      await page.locator('[data-test=list-import]').click()
      await page.locator('[data-test=import-dialog]').waitFor({ timeout: T })
      await noOverflow('the import dialog')
      await buttonsOnScreen('[data-test=import-dialog]', 'the import dialog')
      await shot(`import-dialog-${tag}.png`)
      await page.locator('[data-test=import-close]').click()
      await page.locator('[data-test=import-dialog]').waitFor({ state: 'hidden', timeout: T })

      // The card: one column on a phone, several on a desktop.
      await rows.first().locator('td').nth(2).click()
      await page.waitForURL(u => /\/member\/\d+$/.test(u.pathname), { timeout: T })
      await page.locator('[data-test=card-view][data-dirty=false]').waitFor({ timeout: T })
      await noOverflow('the card')
      const lefts = await page.locator('[data-test=section-basic] .grid > .el-form-item').evaluateAll(items => [...new Set(items.map(i => Math.round(i.getBoundingClientRect().left)))])
      if (phone ? lefts.length !== 1 : lefts.length < 2) throw new Error(`the card's first section has ${lefts.length} column(s)`)
      // The breadcrumbs name the member as the card does (its title, the name), never by id.
      const name = await input('name').inputValue()
      const here = page.locator('[data-test=breadcrumbs] .el-breadcrumb__item').last()
      await page.locator('[data-test=breadcrumbs] .el-breadcrumb__item:last-child', { hasText: name }).waitFor({ timeout: T })
      const crumb = (await here.innerText()).trim()
      if (crumb !== `党员信息卡 · ${name}` || /·\s*\d+$/.test(crumb)) throw new Error(`the card's breadcrumb says "${crumb}", expected 党员信息卡 · ${name}`)
      await shot(`card-${tag}.png`)
      // A sub-form row's dialog: its buttons on screen.
      await page.locator('[data-field=awards]').getByRole('button', { name: /添加/ }).click()
      const dialog = page.locator('.el-dialog:visible')
      await dialog.waitFor({ timeout: T })
      await noOverflow('the sub-form dialog')
      await buttonsOnScreen('.el-dialog:visible', 'the sub-form dialog')
      await dialog.getByRole('button', { name: '取消' }).click()
      await dialog.waitFor({ state: 'hidden', timeout: T })

      // The print view: as wide as the screen; printed, A4.
      await page.locator('[data-test=card-print]').click()
      await page.waitForURL(u => u.pathname.endsWith('/print'), { timeout: T })
      await page.locator('[data-test=print-view]').waitFor({ timeout: T })
      await page.waitForLoadState('networkidle')
      await noOverflow('the print view')
      await shot(`print-${tag}.png`)
      const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1')
      const boxes = [...pdf.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map(m => [Number(m[1]), Number(m[2])])
      if (!boxes.length || boxes.some(([w, h]) => Math.abs(w - 595.3) > 2 || Math.abs(h - 841.9) > 2)) throw new Error(`the printed pages are ${JSON.stringify(boxes)} pt, not A4`)
    })

    await step(`${tag}: the scope, times and outcomes are said as people say them`, async () => {
      const iso = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/
      const version = /\bv\d+\b/
      await page.goto(`${host.base}/m/${MODULE}/members`)
      await listSettled()
      const scope = await page.locator('[data-test=list-scope]').innerText()
      const top = user === ADMIN ? 'e2e' : committee.name
      if (scope.includes('全部单位') || !scope.includes(top)) throw new Error(`the list says "${scope}", expected the scope ${top}`)
      await rows.first().locator('td').nth(2).click()
      await page.waitForURL(u => /\/member\/\d+$/.test(u.pathname), { timeout: T })
      const meta = await page.locator('[data-test=card-meta]').innerText()
      if (!/^编号 \d+ · 最后修改 \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(meta.trim())) throw new Error(`the card says "${meta}"`)
      const cardText = await page.locator('[data-test=card-view]').innerText()
      if (iso.test(cardText) || version.test(cardText)) throw new Error(`the card shows an ISO time or a version: ${cardText.match(iso) || cardText.match(version)}`)
      await page.locator('[data-test=card-print]').click()
      const doc = page.locator('[data-test=print-view]')
      await doc.waitFor({ timeout: T })
      const printed = await doc.locator('.doc-meta').innerText()
      if (version.test(printed) || iso.test(printed) || !/打印时间 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(printed)) throw new Error(`the print heading says "${printed}"`)

      // An import whose only row is wrong: the report counts the row, not a 新增.
      await page.goto(`${host.base}/m/${MODULE}/members`)
      await listSettled()
      const file = path.join(opts.artifacts, `import-bad-${tag}.csv`)
      fs.writeFileSync(file, `\ufeff姓名,公民身份号码,所在党组织,人员类别,入党日期\r\n王错号,110105199001011230,${committee.name},正式党员,2015-07-01\r\n`)
      await page.locator('[data-test=list-import]').click()
      const dialog = page.locator('[data-test=import-dialog]')
      await dialog.locator('[data-test=import-file]').setInputFiles(file)
      await dialog.locator('[data-test=import-dry-run]').click()
      await dialog.locator('[data-test=import-failed]').waitFor({ timeout: T * 2 })
      const counts = (await dialog.locator('[data-test=import-counts]').innerText()).trim()
      if (!/^共 \d+ 行$/.test(counts)) throw new Error(`a failed import's report says "${counts}"`)
      await shot(`import-failed-${tag}.png`)
      await dialog.locator('[data-test=import-close]').click()
      await dialog.waitFor({ state: 'hidden', timeout: T })
      await page.goto(`${host.base}/jobs`)
      const state = page.locator('[data-test=jobs-table] .el-table__row').first().locator('[data-test=job-state]')
      await state.waitFor({ timeout: T })
      const [text, outcome, cls] = [await state.innerText(), await state.getAttribute('data-outcome'), await state.getAttribute('class')]
      if (outcome !== 'withErrors' || text.includes('已完成') || !cls.includes('el-tag--danger')) throw new Error(`the import with errors is shown as "${text}" (${outcome}, ${cls})`)
      const jobsText = await page.locator('[data-test=jobs-table]').innerText()
      if (iso.test(jobsText) || !/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(jobsText)) throw new Error(`the jobs page shows times as ${jobsText.match(iso) || 'nothing'}`)
      await shot(`jobs-${tag}.png`)

      // The committee still has organisations under it: its deletion is refused, as 无法删除.
      const org = (await api('GET', `/api/v1/${MODULE}/orgs?unit=${committee.id}&size=100`, undefined, adminToken)).items
        .find(o => o.unitId === committee.id || o.id === committee.id || o.fullName === committee.name)
      if (!org) throw new Error(`no organisation record for ${committee.name}`)
      await page.goto(`${host.base}/m/${MODULE}/org/${org.id}`)
      await page.locator('[data-test=card-view][data-dirty=false]').waitFor({ timeout: T })
      await page.locator('[data-test=card-delete]').click()
      await page.locator('.el-message-box').getByRole('button', { name: /确认/ }).click()
      const refused = page.locator('[data-test=card-errors]')
      await refused.waitFor({ timeout: T })
      const title = await refused.locator('.el-alert__title').innerText()
      if (title.trim() !== '无法删除') throw new Error(`the refused delete is titled "${title}"`)
      await refused.scrollIntoViewIfNeeded()
      await shot(`delete-refused-${tag}.png`)
    })
  })
})
