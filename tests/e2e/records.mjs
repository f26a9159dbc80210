#!/usr/bin/env node
// Browser test of cards the host serves from their manifest (docs/records.md), on a
// deployment with biz.customers and the fixture plugin fx.records (a "visit" card with every
// field kind and a reference to biz.customers/customer), at desktop (1440x900) and phone
// (390x844) size:
//   - a visit is created through the generic card: its customer chosen in the reference
//     picker by typing part of the name, a decimal fee typed as 1234.5 and shown as 1234.50
//     (what the server stores), a pattern checked in the browser with the manifest's hint; the
//     breadcrumb says 新建, then names the saved visit by its subject (its title), not its id;
//   - the list sorts by subject from its column header (the server's sort, in the URL, kept
//     by a reload), in the server's pinyin order both ways;
//   - an edit shows in the card's history timeline (who, when as 2026-12-04 17:41, each
//     field's label, before -> after, the customer by name), and the print view prints the
//     history when 打印含历史 is ticked;
//   - a user who may not read customers sees a visit's customer as its id only, and saving
//     the visit keeps it.
// Screenshots: records-<what>-<desktop|phone>.png in the artifacts folder.
//   node tests/e2e/records.mjs --fixture-dir build/fixture-plugins   (same options as party.mjs)
import { ADMIN, T, login, runSuite, shellPage, apiClient } from './lib.mjs'

const SIZES = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } }
const LIST = '/m/fx.records/visits'
const MOMENT = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/

await runSuite({ plugins: ['biz.customers', 'fx.records'] }, async ({ step, shot, page, host }) => {
  const { field, input, listSettled, save, expectSaved, date } = shellPage(page)
  let token = ''
  const call = apiClient(host.base)
  const api = (method, url, body) => call(method, url, body, token)
  const customers = {}

  await step('two customers and three visits through the API', async () => {
    token = host.cli(['user', 'token', ADMIN.username, '--label', 'e2e']).trim().split(/\s+/).pop()
    for (const name of ['东海电器', '西湖食品']) customers[name] = (await api('POST', '/api/v1/biz.customers/customers', { name })).id
    // Pinyin order: 安装 (an) < 保修 (bao) < 维修 (wei), not the order of their code points.
    for (const subject of ['维修回访', '安装回访', '保修回访']) await api('POST', '/api/v1/fx.records/visits', { subject, visitDate: '2026-11-02' })
  })

  await step('log in', async () => {
    await login(page, host.base)
    await page.waitForURL(u => u.pathname === '/', { timeout: T })
  })

  const errorOf = name => field(name).locator('.el-form-item__error')
  const subjects = () => page.locator('[data-test=list-table] .el-table__body-wrapper .el-table__row td:nth-child(2)').allInnerTexts()
    .then(texts => texts.map(s => s.trim()))

  for (const [sizeName, size] of Object.entries(SIZES)) {
    const subject = `客户回访${sizeName === 'desktop' ? '甲' : '乙'}`
    let cardPath = ''
    await page.setViewportSize(size)

    await step(`${sizeName}: a visit with a customer picked by name and a decimal fee`, async () => {
      await page.goto(`${host.base}${LIST}`)
      await listSettled()
      await page.locator('[data-test=list-new]').click()
      await page.waitForURL(u => u.pathname === `${LIST.replace('visits', 'visit')}/new`, { timeout: T })
      const crumb = page.locator('[data-test=breadcrumbs] .el-breadcrumb__item').last()
      await page.locator('[data-test=breadcrumbs] .el-breadcrumb__item:last-child', { hasText: '新建' }).waitFor({ timeout: T })
      if ((await crumb.innerText()).trim() !== '回访 · 新建') throw new Error(`a new card's breadcrumb says "${await crumb.innerText()}"`)
      await input('subject').fill(subject)
      // The reference picker searches the customers' list with q= as one types.
      const searched = page.waitForResponse(r => r.url().includes('/api/v1/biz.customers/customers?') && r.url().includes('q='), { timeout: T })
      await field('customerId').locator('.el-select__wrapper').click()
      await field('customerId').locator('input').pressSequentially('东海')
      await searched
      await page.locator('.el-select-dropdown__item:visible', { hasText: '东海电器' }).click()
      // More decimals than the field's scale: said in the browser, before any request.
      await input('fee').fill('12.345')
      await input('fee').blur()
      await errorOf('fee').waitFor({ timeout: T })
      const scale = await errorOf('fee').innerText()
      if (scale !== '应为数字，小数点后最多 2 位') throw new Error(`the fee field says "${scale}" for 12.345`)
      await input('fee').fill('1234.5')
      await input('fee').blur()
      await errorOf('fee').waitFor({ state: 'detached', timeout: T })
      const shown = await input('fee').inputValue()
      if (shown !== '1234.50') throw new Error(`the fee field shows "${shown}" after typing 1234.5, expected 1234.50`)
      await input('minutes').fill('45')
      await date('visitDate', '2026-11-30')
      // A pattern is checked in the browser, with the manifest's hint.
      await input('code').fill('ab12')
      await input('code').blur()
      await errorOf('code').waitFor({ timeout: T })
      const hint = await errorOf('code').innerText()
      if (hint !== '应为两个大写字母加四位数字') throw new Error(`the code field says "${hint}", expected the manifest's hint`)
      await input('code').fill('AB1234')
      await input('code').blur()
      await errorOf('code').waitFor({ state: 'detached', timeout: T })
      // The summary is the plugin's (read-only): shown, not editable.
      if (await input('summary').isEditable()) throw new Error('the read-only summary field is editable')
      const posted = page.waitForResponse(r => r.url().endsWith('/api/v1/fx.records/visits') && r.request().method() === 'POST', { timeout: T })
      await save()
      const r = await posted
      const body = r.request().postDataJSON()
      if (body.fee !== '1234.50' || body.customerId !== customers['东海电器'] || 'summary' in body) {
        throw new Error(`the card sent ${JSON.stringify(body)}: expected fee "1234.50" as a string, the customer's id, no summary`)
      }
      if (r.status() !== 201) throw new Error(`POST answered ${r.status()}: ${await r.text()}`)
      await page.waitForURL(u => /\/visit\/\d+$/.test(u.pathname), { timeout: T })
      cardPath = new URL(page.url()).pathname
      // Saved, the breadcrumb names the visit by its title (the subject), never by its id.
      await page.locator('[data-test=breadcrumbs] .el-breadcrumb__item:last-child', { hasText: subject }).waitFor({ timeout: T })
      const named = (await crumb.innerText()).trim()
      if (named !== `回访 · ${subject}` || /·\s*\d+$/.test(named)) throw new Error(`the saved visit's breadcrumb says "${named}"`)
    })

    await step(`${sizeName}: the saved visit shows 1234.50 and the customer's name`, async () => {
      await page.reload()
      await page.waitForFunction(() => document.querySelector('[data-field=fee] input')?.value === '1234.50', null, { timeout: T })
      const customer = await field('customerId').locator('.el-select__placeholder').innerText()
      if (customer.trim() !== '东海电器') throw new Error(`the customer field shows "${customer}", expected 东海电器`)
      const stored = await api('GET', `/api/v1/fx.records/visits/${cardPath.split('/').pop()}`)
      if (stored.fee !== '1234.50' || stored.labels?.customerId !== '东海电器') throw new Error(`the server holds ${JSON.stringify(stored)}`)
      await shot(`records-card-${sizeName}.png`)
    })

    await step(`${sizeName}: the list sorts by subject from its header, in the URL`, async () => {
      await page.goto(`${host.base}${LIST}`)
      await listSettled()
      const header = page.locator('[data-test=sort-subject]').first()
      await header.click()
      await page.waitForURL(u => u.searchParams.get('sort') === 'subject', { timeout: T })
      await listSettled()
      const server = (await api('GET', '/api/v1/fx.records/visits?sort=subject&size=50')).items.map(v => v.subject)
      let shown = await subjects()
      if (JSON.stringify(shown) !== JSON.stringify(server)) throw new Error(`ascending: the list shows ${shown}, the server's order is ${server}`)
      const three = shown.filter(s => s.endsWith('修回访') || s === '安装回访')
      if (three.join() !== '安装回访,保修回访,维修回访') throw new Error(`pinyin order expected, the list shows ${three}`)
      if (await header.getAttribute('data-sort') !== 'asc') throw new Error('the subject header does not show ascending')
      await header.click()
      await page.waitForURL(u => u.searchParams.get('sort') === '-subject', { timeout: T })
      await listSettled()
      await page.reload()
      await listSettled()
      shown = await subjects()
      if (JSON.stringify(shown) !== JSON.stringify([...server].reverse())) throw new Error(`descending after a reload: the list shows ${shown}`)
      if (await page.locator('[data-test=sort-subject]').first().getAttribute('data-sort') !== 'desc') throw new Error('the header does not show descending')
      await shot(`records-list-${sizeName}.png`)
    })

    await step(`${sizeName}: an edit shows in the history timeline`, async () => {
      await page.goto(`${host.base}${cardPath}`)
      await page.waitForFunction(() => document.querySelector('[data-field=fee] input')?.value === '1234.50', null, { timeout: T })
      await page.locator('[data-test=card-history] [data-test=history-entry]').first().waitFor({ timeout: T })
      await input('fee').fill('99')
      await field('customerId').locator('.el-select__wrapper').click()
      await field('customerId').locator('input').pressSequentially('西湖')
      await page.locator('.el-select-dropdown__item:visible', { hasText: '西湖食品' }).click()
      await save()
      await expectSaved()
      const entry = page.locator('[data-test=card-history] [data-test=history-entry]').first()
      await entry.locator('[data-field=fee]').waitFor({ timeout: T })
      const fee = (await entry.locator('[data-field=fee]').innerText()).replace(/\s+/g, ' ')
      if (fee !== '费用: 1234.50 → 99.00') throw new Error(`the history says "${fee}"`)
      await page.waitForFunction(() => document.querySelector('[data-test=card-history] [data-test=history-entry] [data-field=customerId]')
        ?.innerText.replace(/\s+/g, ' ') === '客户: 东海电器 → 西湖食品', null, { timeout: T })
      const who = await entry.locator('.who').innerText()
      if (!who.includes(ADMIN.username) || !who.includes('修改')) throw new Error(`the entry says "${who}"`)
      const when = (await entry.locator('.el-timeline-item__timestamp').innerText()).trim()
      if (!MOMENT.test(when)) throw new Error(`the entry's time reads "${when}", not like 2026-12-04 17:41`)
      const entries = await page.locator('[data-test=card-history] [data-test=history-entry]').count()
      if (entries !== 2) throw new Error(`${entries} history entries, expected the creation and the edit`)
      await page.locator('[data-test=card-history]').scrollIntoViewIfNeeded()
      await shot(`records-history-${sizeName}.png`)
    })

    await step(`${sizeName}: 打印含历史 prints the history`, async () => {
      await page.locator('[data-test=card-print]').click()
      await page.locator('[data-test=print-view]').waitFor({ timeout: T })
      const printed = page.locator('[data-test=print-view]')
      await printed.locator('[data-field=fee]', { hasText: '99.00' }).waitFor({ timeout: T })
      await printed.locator('[data-field=customerId]', { hasText: '西湖食品' }).waitFor({ timeout: T })
      if (await printed.locator('[data-test=card-history]').count()) throw new Error('the history is printed without being asked for')
      await page.locator('[data-test=print-history]').click()
      await page.waitForURL(u => u.searchParams.get('history') === '1', { timeout: T })
      await printed.locator('[data-test=card-history] [data-test=history-change]', { hasText: '1234.50 → 99.00' }).waitFor({ timeout: T })
      await printed.locator('[data-test=card-history] [data-test=history-change]', { hasText: '东海电器 → 西湖食品' }).waitFor({ timeout: T })
      await shot(`records-print-${sizeName}.png`)
    })
  }

  // A user who may work on visits but not read customers: the customer shows as a record
  // they may not see (neither its name nor its id), and saving the visit keeps it.
  const CLERK = { username: 'clerk', password: 'clerk-e2e-pass' }
  await step('without the right to read customers a reference shows neither name nor id and is kept', async () => {
    await api('POST', '/api/v1/roles', { name: 'visits', label: '回访', permissions: ['fx.records.read', 'fx.records.write', 'core.units.read'] })
    host.cli(['user', 'add', CLERK.username, '--unit', '1', '--password-stdin'], `${CLERK.password}\n`)
    host.cli(['user', 'grant', CLERK.username, 'visits', '--scope', 'subtree', '--unit', '1'])
    const visit = (await api('GET', `/api/v1/fx.records/visits?q=${encodeURIComponent('客户回访甲')}`)).items[0]
    await page.setViewportSize(SIZES.desktop)
    await page.goto(`${host.base}/`)
    await page.locator('[data-test=logout]:visible').first().click()
    await page.waitForURL(u => u.pathname === '/login', { timeout: T })
    await login(page, host.base, CLERK)
    await page.goto(`${host.base}${LIST.replace('visits', 'visit')}/${visit.id}`)
    await page.waitForFunction(() => document.querySelector('[data-field=minutes] input')?.value === '45', null, { timeout: T })
    const customer = (await field('customerId').locator('.el-select__placeholder').innerText()).trim()
    if (customer !== '无权查看的记录') throw new Error(`the customer field shows "${customer}", expected 无权查看的记录`)
    const change = await page.locator('[data-test=card-history] [data-field=customerId]').first().innerText()
    if (change.includes('东海电器') || change.includes('西湖食品') || change.includes('#')) throw new Error(`the history names a customer: "${change}"`)
    if (!change.includes('无权查看的记录')) throw new Error(`the history shows "${change}", expected 无权查看的记录`)
    await input('minutes').fill('50')
    await save()
    await expectSaved()
    const stored = await api('GET', `/api/v1/fx.records/visits/${visit.id}`)
    if (stored.minutes !== 50 || stored.customerId !== customers['西湖食品']) throw new Error(`the server holds ${JSON.stringify(stored)}`)
    await shot('records-no-customers-desktop.png')
  })
})
