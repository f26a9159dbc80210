#!/usr/bin/env node
// Browser end-to-end tests of the web shell against a real tessera host.
//   node tests/e2e/run.mjs [--cli build/bin/tessera] [--plugin-dir build/lib/tessera/plugins]
//                          [--web-root build/share/tessera/web] [--artifacts build/e2e-artifacts]
// (or TESSERA_CLI, TESSERA_PLUGIN_DIR, TESSERA_WEB_ROOT, TESSERA_E2E_ARTIFACTS, TESSERA_CHROMIUM;
// TESSERA_E2E_BASE=http://... tests an already running shell whose admin password is ADMIN's).
// Prints one line per step and "N passed, N failed"; exits 1 on any failure.
import fs from 'node:fs'
import path from 'node:path'
import { ADMIN, SECRETARY, SIZES, T, addSecretary, apiClient, layoutChecks, login, runSuite, shellPage } from './lib.mjs'

const ENABLED = ['biz.customers']
const MODULE = 'biz.customers'
const stamp = Date.now().toString(36)
const NAME = `E2E客户-${stamp}`
// 1x1 PNG for the tile upload.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')

await runSuite({ plugins: ENABLED }, async ({ step, shot, page, host, opts, browser }) => {
  for (const f of fs.readdirSync(opts.artifacts)) if (f.startsWith('failure-')) fs.rmSync(path.join(opts.artifacts, f))
  const { field, input, listSettled, save, expectSaved } = shellPage(page)

  await step('unauthenticated visit goes to the login page', async () => {
    await page.goto(`${host.base}/m/${MODULE}/customers`)
    await page.waitForURL(u => u.pathname === '/login', { timeout: T })
    await page.locator('[data-test=login-submit]').waitFor({ timeout: T })
  })

  await step('wrong password is refused', async () => {
    await page.locator('input[name=username]').fill(ADMIN.username)
    await page.locator('input[name=password]').fill('not-the-password')
    await page.locator('[data-test=login-submit]').click()
    await page.locator('[data-test=login-error]').waitFor({ timeout: T })
  })

  await step('log in', async () => {
    await login(page, host.base)
    await page.waitForURL(u => u.pathname === '/', { timeout: T })
  })

  await step('home page: tiles of exactly the enabled plugins', async () => {
    await page.locator('[data-tile]').first().waitFor({ timeout: T })
    const ids = await page.locator('[data-tile]').evaluateAll(els => els.map(e => e.dataset.tile))
    const want = [...ENABLED].sort()
    if (JSON.stringify([...ids].sort()) !== JSON.stringify(want)) throw new Error(`tiles ${JSON.stringify(ids)}, expected ${JSON.stringify(want)}`)
    await page.locator('[data-test=reminders]').waitFor({ timeout: T })
    await page.waitForLoadState('networkidle')
    await shot('home.png')
  })

  await step('home page: an administrator replaces a tile picture', async () => {
    await page.locator(`[data-test="replace-${MODULE}"]`).waitFor({ timeout: T })
    const put = page.waitForResponse(r => r.url().includes(`/api/v1/shell/tiles/${MODULE}/image`) && r.request().method() === 'PUT', { timeout: T })
    const chooser = page.waitForEvent('filechooser', { timeout: T })
    await page.locator(`[data-test="replace-${MODULE}"]`).click()
    await (await chooser).setFiles({ name: 'tile.png', mimeType: 'image/png', buffer: PNG })
    const r = await put
    if (!r.ok()) throw new Error(`PUT tile image answered ${r.status()}`)
    await page.locator(`[data-tile="${MODULE}"] img`).waitFor({ timeout: T })
    const del = page.waitForResponse(r => r.url().includes(`/api/v1/shell/tiles/${MODULE}/image`) && r.request().method() === 'DELETE', { timeout: T })
    await page.locator(`[data-test="reset-${MODULE}"]`).click()
    if (!(await del).ok()) throw new Error('DELETE tile image failed')
    await page.locator(`[data-tile="${MODULE}"] .tile-default`).waitFor({ timeout: T })
  })

  await step('enter the module from its tile', async () => {
    await page.locator(`[data-tile="${MODULE}"]`).click()
    await page.waitForURL(u => u.pathname === `/m/${MODULE}/customers`, { timeout: T })
    await page.locator('[data-test=list-table], .el-alert--error').first().waitFor({ timeout: T })
    const views = (await page.request.get(`${host.base}/api/v1/shell`).then(r => r.json())).modules.find(m => m.id === MODULE)?.views
    if (!views?.lists?.some(l => l.id === 'customers')) throw new Error(`GET /api/v1/shell has no list view "customers" for ${MODULE}: views = ${JSON.stringify(views)}`)
    await listSettled()
    await page.locator('[data-test=org-tree] .el-tree-node').first().waitFor({ timeout: T })
  })

  let cardUrl = ''
  await step('create a customer through the generic card', async () => {
    await page.locator('[data-test=list-new]').click()
    await page.waitForURL(u => u.pathname === `/m/${MODULE}/customer/new`, { timeout: T })
    await page.locator('[data-test=legend] .mark-system').waitFor({ timeout: T })
    await input('name').fill(NAME)
    await input('phone').fill('010-1234 5678')
    // The unit: pick the top unit in the tree select.
    const unitName = (await page.request.get(`${host.base}/api/v1/units`).then(r => r.json())).items[0].name
    await field('unitId').locator('.el-select__wrapper, .el-select').first().click()
    await page.locator('.el-tree-select__popper .el-tree-node__content', { hasText: unitName }).first().click()
    await page.keyboard.press('Escape')
    const shown = await field('unitId').innerText()
    if (!shown.includes(unitName)) throw new Error(`unit picker shows "${shown}", expected ${unitName}`)
    await save()
    await page.waitForURL(u => /\/customer\/\d+$/.test(u.pathname), { timeout: T })
    await expectSaved()
    cardUrl = page.url().split('?')[0]
    await page.waitForLoadState('networkidle')
    await shot('card.png')
  })

  await step('the new customer is in the list', async () => {
    await page.getByText(/返回列表|Back to the list/).click()
    await page.waitForURL(u => u.pathname === `/m/${MODULE}/customers`, { timeout: T })
    await listSettled()
    await page.locator('[data-test=list-table] .el-table__row', { hasText: NAME }).waitFor({ timeout: T })
    await shot('list.png')
  })

  await step('search finds it', async () => {
    await page.locator('[data-test=list-search] input').fill(stamp)
    await page.locator('[data-test=list-search] input').press('Enter')
    await page.waitForURL(u => u.searchParams.get('q') === stamp, { timeout: T })
    await listSettled()
    const rows = page.locator('[data-test=list-table] .el-table__row')
    await rows.filter({ hasText: NAME }).waitFor({ timeout: T })
    if ((await rows.count()) !== 1) throw new Error(`search for ${stamp} shows ${await rows.count()} rows`)
  })

  await step('export the searched list as CSV, with progress, and download it', async () => {
    await page.locator('[data-test=list-export]').click()
    await page.locator('[data-test=export-csv]').click()
    await page.locator('[data-test=job-dialog] [data-test=job-state][data-state=succeeded]').waitFor({ timeout: T })
    const count = await page.locator('[data-test=job-dialog] [data-test=job-count]').innerText()
    if (count.trim() !== '1 / 1') throw new Error(`the export counted "${count}", expected "1 / 1" (the search matches one customer)`)
    const download = page.waitForEvent('download', { timeout: T })
    await page.locator('[data-test=job-download]').click()
    const file = await (await download).path()
    const csv = fs.readFileSync(file, 'utf8')
    if (!csv.includes(NAME)) throw new Error(`the exported CSV lacks ${NAME}:\n${csv.slice(0, 400)}`)
    if (csv.trim().split('\r\n').length !== 2) throw new Error(`the exported CSV should hold the header and one customer:\n${csv.slice(0, 400)}`)
    await page.locator('[data-test=job-close]').click()
    await page.locator('[data-test=job-dialog]').waitFor({ state: 'hidden', timeout: T })
    // The jobs page lists it, done.
    await page.locator('[data-test=jobs-link]').click()
    await page.locator('[data-test=jobs-table] [data-state=succeeded]').first().waitFor({ timeout: T })
    await shot('jobs.png')
    await page.goBack()
    await listSettled()
  })

  await step('the statistics chart counts the new customer in this month', async () => {
    await page.locator('.menu a', { hasText: '客户统计' }).click()
    await page.waitForURL(u => u.pathname === `/m/${MODULE}/by-month`, { timeout: T })
    await page.locator('[data-test=chart-canvas] canvas').waitFor({ timeout: T })
    const month = new Date().toISOString().slice(0, 7)
    const row = page.locator('[data-test=chart-table] .el-table__row', { hasText: month })
    await row.waitFor({ timeout: T })
    const count = Number((await row.locator('td').nth(1).innerText()).trim())
    if (!(count >= 1)) throw new Error(`this month (${month}) counts ${count} new customers`)
    await shot('chart.png')
    await page.goBack()
    await listSettled()
  })

  await step('edit it', async () => {
    await page.locator('[data-test=list-table] .el-table__row', { hasText: NAME }).click()
    await page.waitForURL(u => u.pathname === new URL(cardUrl).pathname, { timeout: T })
    await page.waitForFunction(n => document.querySelector('[data-field=name] input')?.value === n, NAME, { timeout: T })
    await input('contact').fill('王经理')
    await save()
    await expectSaved()
    await page.reload()
    await page.waitForFunction(() => document.querySelector('[data-field=contact] input')?.value === '王经理', null, { timeout: T })
  })

  await step('a validation error shows on its field', async () => {
    await input('phone').fill('call me')
    await save()
    const error = field('phone').locator('.el-form-item__error')
    await error.waitFor({ timeout: T })
    console.log(`#    phone: ${await error.innerText()}`)
  })

  await step('a stale edit is refused with a message', async () => {
    await page.reload()
    await page.waitForFunction(() => document.querySelector('[data-field=phone] input')?.value === '010-1234 5678', null, { timeout: T })
    const other = await browser.context.newPage()
    await other.goto(cardUrl)
    await other.waitForFunction(n => document.querySelector('[data-field=name] input')?.value === n, NAME, { timeout: T })
    const there = shellPage(other)
    await there.input('address').fill('上海市浦东新区')
    await there.save()
    await there.expectSaved()
    await other.close()
    await input('address').fill('北京市海淀区')
    await save()
    const stale = page.locator('[data-test=card-stale]')
    await stale.waitFor({ timeout: T })
    console.log(`#    stale: ${(await stale.innerText()).replace(/\s+/g, ' ')}`)
    await page.locator('[data-test=card-reload]').click()
    await stale.waitFor({ state: 'hidden', timeout: T })
    await page.waitForFunction(() => document.querySelector('[data-field=address] input')?.value === '上海市浦东新区', null, { timeout: T })
  })

  await step('print view', async () => {
    await page.locator('[data-test=card-print]').click()
    await page.waitForURL(u => u.pathname.endsWith('/print'), { timeout: T })
    const doc = page.locator('[data-test=print-view]')
    await doc.waitFor({ timeout: T })
    for (const text of [NAME, '010-1234 5678', '王经理', '上海市浦东新区', '客户名称', '电话']) {
      await doc.getByText(text, { exact: false }).first().waitFor({ timeout: T })
    }
    if (await page.locator('[data-test=logout]').count()) throw new Error('the print view shows the navigation')
    await page.waitForLoadState('networkidle')
    await page.emulateMedia({ media: 'print' })
    await shot('print.png')
    await page.emulateMedia({ media: 'screen' })
    await page.pdf({ path: path.join(opts.artifacts, 'print.pdf'), format: 'A4', preferCSSPageSize: true })
  })

  await step('delete it', async () => {
    await page.goBack()
    await page.locator('[data-test=card-delete]').click()
    await page.locator('.el-message-box .el-button--primary').click()
    await page.waitForURL(u => u.pathname === `/m/${MODULE}/customers`, { timeout: T })
    await listSettled()
    await page.locator('[data-test=list-search] input').fill(stamp)
    await page.locator('[data-test=list-search] input').press('Enter')
    await page.waitForURL(u => u.searchParams.get('q') === stamp, { timeout: T })
    await listSettled()
    const n = await page.locator('[data-test=list-table] .el-table__row').count()
    if (n !== 0) throw new Error(`${n} rows still match after the delete`)
  })

  await step('plugin page: a feature switch is saved and marked for the next restart', async () => {
    const back = page.url()
    await page.locator('[data-test=plugins-link]').click()
    const feature = page.locator(`[data-test="feature-${MODULE}-search"]`)
    await feature.waitFor({ timeout: T })
    const put = page.waitForResponse(r => r.url().endsWith(`/api/v1/plugins/${MODULE}/features/search`) && r.request().method() === 'PUT', { timeout: T })
    const before = await feature.locator('.el-switch').evaluate(e => e.classList.contains('is-checked'))
    await feature.locator('.el-switch').click()
    const answer = await put
    if (!answer.ok()) throw new Error('PUT feature switch failed')
    const sent = JSON.parse(answer.request().postData() || '{}')
    if (sent.enabled !== !before) throw new Error(`the switch was ${before ? 'on' : 'off'} and sent ${JSON.stringify(sent)}`)
    await feature.locator(before ? '.el-switch:not(.is-checked)' : '.el-switch.is-checked').waitFor({ timeout: T })
    await feature.locator('[data-test=restart-needed]').waitFor({ timeout: T })
    await shot('plugins.png')
    const del = page.waitForResponse(r => r.url().endsWith(`/api/v1/plugins/${MODULE}/features/search`) && r.request().method() === 'DELETE', { timeout: T })
    await feature.locator('[data-test=feature-reset]').click()
    if (!(await del).ok()) throw new Error('DELETE feature switch failed')
    await feature.locator('[data-test=restart-needed]').waitFor({ state: 'detached', timeout: T })
    await page.goto(back)
    await listSettled()
  })

  await step('an expired session goes to the login page and back', async () => {
    const here = new URL(page.url())
    await listSettled()
    await browser.context.clearCookies()
    await page.locator('[data-test=list-search-button]').click()
    await page.waitForURL(u => u.pathname === '/login', { timeout: T })
    await page.locator('[data-test=expired]').waitFor({ timeout: T })
    await page.locator('input[name=username]').fill(ADMIN.username)
    await page.locator('input[name=password]').fill(ADMIN.password)
    await page.locator('[data-test=login-submit]').click()
    await page.waitForURL(u => u.pathname === here.pathname, { timeout: T })
    await listSettled()
  })

  await step('the language switch is the user\'s own setting: the server and the shell follow it', async () => {
    const lang = page.locator('[data-test=lang]').first()
    const patched = () => page.waitForResponse(r => r.url().endsWith('/api/v1/auth/me') && r.request().method() === 'PATCH', { timeout: T })
    let answer = patched()
    await lang.click()
    if (!(await answer).ok()) throw new Error('PATCH /api/v1/auth/me failed')
    // Without this browser's own choice, a reload still shows English: the user's setting.
    await page.evaluate(() => localStorage.removeItem('tessera.locale'))
    await page.reload()
    await listSettled()
    if ((await lang.innerText()).trim() !== '中文') throw new Error(`after a reload the switch offers "${await lang.innerText()}", expected 中文 (the shell in English)`)
    const refusal = await page.request.get(`${host.base}/api/v1/units/abc`, { headers: { 'Accept-Language': 'zh-CN' } }).then(r => r.json())
    if (refusal.detail !== 'unit abc does not exist') throw new Error(`the server said ${JSON.stringify(refusal)} to a user who reads English`)
    answer = patched()
    await lang.click()
    if (!(await answer).ok()) throw new Error('PATCH /api/v1/auth/me failed')
    if ((await lang.innerText()).trim() !== 'English') throw new Error('the switch back to Chinese did not take')
  })

  await step('log out', async () => {
    await page.locator('[data-test=logout]').click()
    await page.waitForURL(u => u.pathname === '/login', { timeout: T })
    await page.goto(`${host.base}/`)
    await page.waitForURL(u => u.pathname === '/login', { timeout: T })
  })

  // The same flows for a branch secretary (the customers of one unit) on a phone.
  const { noOverflow } = layoutChecks(page)
  const PHONE_NAME = `E2E客户-手机-${stamp}`
  let unitName = ''
  await step('secretary-phone: log in as the secretary of one unit, at 390x844', async () => {
    const token = host.cli(['user', 'token', ADMIN.username, '--label', 'e2e']).trim().split(/\s+/).pop()
    const api = apiClient(host.base)
    const root = (await api('GET', '/api/v1/units', undefined, token)).items[0]
    unitName = `E2E网点-${stamp}`
    const unit = await api('POST', '/api/v1/units', { parentId: root.id, name: unitName }, token)
    await api('POST', '/api/v1/biz.customers/customers', { name: `E2E他处客户-${stamp}`, unitId: root.id }, token)
    await addSecretary(host, token, MODULE, unit.id)
    await page.setViewportSize(SIZES.phone)
    await login(page, host.base, SECRETARY)
    await page.locator('[data-test=nav-open]').waitFor({ timeout: T })
  })

  await step('secretary-phone: a customer made through the card lands in their unit; the list shows only theirs', async () => {
    await page.goto(`${host.base}/m/${MODULE}/customers`)
    await listSettled()
    await page.locator('[data-test=list-new]').click()
    await page.waitForURL(u => u.pathname === `/m/${MODULE}/customer/new`, { timeout: T })
    await input('name').fill(PHONE_NAME)
    await input('phone').fill('010-8765 4321')
    // Their own unit by default: nothing to pick.
    await page.waitForFunction(n => document.querySelector('[data-field=unitId]')?.innerText.includes(n), unitName, { timeout: T })
    await noOverflow('the new customer card on a phone')
    await save()
    await page.waitForURL(u => /\/customer\/\d+$/.test(u.pathname), { timeout: T })
    await expectSaved()
    await shot('customer-card-secretary-phone.png')
    await page.goto(`${host.base}/m/${MODULE}/customers`)
    await listSettled()
    await page.locator('[data-test=list-table] .el-table__row', { hasText: PHONE_NAME }).waitFor({ timeout: T })
    const listed = await page.locator('[data-test=list-table]').innerText()
    if (listed.includes(`E2E他处客户-${stamp}`) || listed.includes(NAME)) throw new Error('the secretary\'s list shows customers of other units')
    await noOverflow('the secretary\'s list on a phone')
    await shot('customers-secretary-phone.png')
  })

  await step('secretary-phone: search, a validation error on its field, print and delete', async () => {
    await page.locator('[data-test=list-search] input').fill('手机')
    await page.locator('[data-test=list-search] input').press('Enter')
    await page.waitForURL(u => u.searchParams.get('q') === '手机', { timeout: T })
    await listSettled()
    const row = page.locator('[data-test=list-table] .el-table__row', { hasText: PHONE_NAME })
    await row.waitFor({ timeout: T })
    await page.goto(`${host.base}/m/${MODULE}/customers`)
    await listSettled()
    await page.locator('[data-test=list-table] .el-table__row', { hasText: PHONE_NAME }).locator('[data-test=row-edit]').click()
    await page.waitForURL(u => /\/customer\/\d+$/.test(u.pathname), { timeout: T })
    const url = page.url().split('?')[0]
    await page.waitForFunction(n => document.querySelector('[data-field=name] input')?.value === n, PHONE_NAME, { timeout: T })
    await input('phone').fill('call me')
    await save()
    const error = field('phone').locator('.el-form-item__error')
    await error.waitFor({ timeout: T })
    const said = await error.innerText()
    if (!/[\u4e00-\u9fff]/.test(said)) throw new Error(`the phone's error reads "${said}"`)
    await noOverflow('a field error on a phone')
    await shot('customer-field-error-secretary-phone.png')
    await page.reload()
    await page.waitForFunction(() => document.querySelector('[data-field=phone] input')?.value === '010-8765 4321', null, { timeout: T })
    await page.goto(`${url}/print`)
    const doc = page.locator('[data-test=print-view]')
    await doc.getByText(PHONE_NAME, { exact: false }).first().waitFor({ timeout: T })
    await doc.getByText(unitName, { exact: false }).first().waitFor({ timeout: T })
    await noOverflow('the print view on a phone')
    await shot('customer-print-secretary-phone.png')
    await page.goto(url)
    await page.locator('[data-test=card-view][data-dirty=false]').waitFor({ timeout: T })
    await page.locator('[data-test=card-delete]').click()
    await page.locator('.el-message-box .el-button--primary').click()
    await page.waitForURL(u => u.pathname === `/m/${MODULE}/customers`, { timeout: T })
    await listSettled()
    if (await page.locator('[data-test=list-table] .el-table__row', { hasText: PHONE_NAME }).count()) throw new Error('the deleted customer is still listed')
  })
})
