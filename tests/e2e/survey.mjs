#!/usr/bin/env node
// Browser test of biz.aftersales' satisfaction survey, work log and weekly summary (issue 17),
// on a deployment of biz.customers and biz.aftersales whose clock stands at 10 June 2026:
//   - the technician (李师傅), on a phone, opens his ticket from his own list, records his
//     arrival and the work through the steps' dialogs, and makes the customer's survey link
//     (满意度调查链接), shown whole to copy and send;
//   - the customer, on a phone and not logged in, opens the link, answers the four questions
//     (one 不满意) with a complaint, and is thanked; the link then says it was answered;
//   - the manager (王经理), at a desk, finds the complaint serious and with him (已上报经理),
//     and the weekly summary lists 李师傅 with his ticket, hours and satisfaction.
// Screenshots: survey-<what>.png in the artifacts folder.
//   node tests/e2e/survey.mjs   (same options as run.mjs)
import { ADMIN, SIZES, T, apiClient, runSuite, login, layoutChecks } from './lib.mjs'

const CLOCK = '2026-06-10T06:00:00Z'
const MANAGER = { username: 'manager', password: 'manager-e2e-pass' }
const TECH = { username: 'tech', password: 'tech-e2e-pass' }

await runSuite({ plugins: ['biz.customers', 'biz.aftersales'], clock: CLOCK }, async ({ step, shot, page, host }) => {
  const call = apiClient(host.base)
  let token = ''
  let techToken = ''
  let ticketId = 0
  let link = ''
  const api = (method, url, body) => call(method, url, body, token)

  await step('a closed ticket and its work log through the API and the CLI', async () => {
    token = host.cli(['user', 'token', ADMIN.username, '--label', 'e2e']).trim().split(/\s+/).pop()
    const root = (await api('GET', '/api/v1/units')).items[0]
    const customer = await api('POST', '/api/v1/biz.customers/customers', { name: '华联商厦', unitId: root.id, address: '北京市东城区王府井大街1号', phone: '010-65123456' })
    const registration = await api('POST', '/api/v1/biz.aftersales/registrations', {
      customerId: customer.id, unitId: root.id, situation: '三楼监控画面全黑', receivedBy: '李娜', receivedAt: '2026-06-10T09:00:00',
    })
    await api('POST', '/api/v1/roles', { name: 'service-manager', label: '售后经理',
      permissions: ['biz.customers.read', 'biz.aftersales.read', 'biz.aftersales.register', 'biz.aftersales.dispatch'] })
    await api('POST', '/api/v1/roles', { name: 'technician', label: '技术员',
      permissions: ['biz.customers.read', 'biz.aftersales.read', 'biz.aftersales.work'] })
    for (const [user, name, role] of [[MANAGER, '王经理', 'service-manager'], [TECH, '李师傅', 'technician']]) {
      host.cli(['user', 'add', user.username, '--display-name', name, '--unit', String(root.id), '--password-stdin'], `${user.password}\n`)
      host.cli(['user', 'grant', user.username, role, '--scope', 'subtree', '--unit', String(root.id)])
    }
    techToken = host.cli(['user', 'token', TECH.username, '--label', 'e2e']).trim().split(/\s+/).pop()
    const me = await call('GET', '/api/v1/auth/me', undefined, techToken)
    const ticket = await api('POST', '/api/v1/biz.aftersales/tickets', {
      registrationId: registration.id, serviceClass: 'C', technician: me.user.id, unitId: root.id,
    })
    ticketId = ticket.id
  })

  // Takes step `id` from the ticket's card on the phone: its button, its dialog, the fields
  // typed in it (a date and time as people type it, confirmed with Enter).
  async function takeStep(id, fields) {
    await page.locator(`[data-test=card-step-${id}]`).click({ timeout: T })
    const dialog = page.locator(`[data-test=step-dialog-${id}]`)
    await dialog.waitFor({ timeout: T })
    for (const [name, value] of Object.entries(fields)) {
      const input = dialog.locator(`[data-field=${name}] input, [data-field=${name}] textarea`).first()
      await input.fill(value)
      if (/^\d{4}-\d\d-\d\d \d\d:\d\d$/.test(value)) await input.press('Enter')
    }
    await layoutChecks(page).buttonsOnScreen(`[data-test=step-dialog-${id}]`, `the ${id} dialog`)
    const taken = page.waitForResponse(r => r.url().includes(`/steps/${id}`) && r.request().method() === 'POST', { timeout: T })
    await dialog.locator('[data-test=step-submit]').click()
    const response = await taken
    if (response.status() !== 200) throw new Error(`${id} answered ${response.status()}: ${await response.text()}`)
    await dialog.waitFor({ state: 'hidden', timeout: T })
  }

  await step('the technician, on a phone, opens his ticket, records the work and makes the survey link', async () => {
    await page.setViewportSize(SIZES.phone)
    await login(page, host.base, TECH)
    await page.goto(`${host.base}/m/biz.aftersales/tickets?technician=me`)
    await page.locator('[data-test=list-table] .el-table__row', { hasText: 'PG2026-0001' }).first().locator('text=PG2026-0001').first().click({ timeout: T })
    await page.waitForURL(u => u.pathname === `/m/biz.aftersales/ticket/${ticketId}`, { timeout: T })
    await takeStep('arrive', { arrivedAt: '2026-06-10 10:00' })
    await takeStep('close', { workDone: '更换录像机硬盘，恢复录像', hours: '1.5', closedAt: '2026-06-10 11:30' })
    await page.locator('[data-field=workDone]', { hasText: '更换录像机硬盘' }).waitFor({ timeout: T })
    await shot('survey-closed-phone.png')
    await call('POST', '/api/v1/biz.aftersales/worklog', { ticketId, travelHours: '0.5', travel: '地铁1号线' }, techToken)
    await page.locator('[data-test=card-link-survey-link]').click({ timeout: T })
    const url = page.locator('[data-test=public-link-url]').first()
    for (const until = Date.now() + T; !link.includes('/p/biz.aftersales/survey/') && Date.now() < until; await page.waitForTimeout(100))
      link = await url.inputValue().catch(() => '')
    if (!link.startsWith(`${host.base}/p/biz.aftersales/survey/`)) throw new Error(`the link reads "${link}"`)
    const expires = await page.locator('[data-test=public-link-expires]').textContent()
    if (!expires.includes('2026-06-17')) throw new Error(`the link's expiry reads "${expires}"`)
    await layoutChecks(page).buttonsOnScreen('[data-test=public-link-survey-link]', 'the link dialog')
    await shot('survey-link-phone.png')
  })

  await step('the customer answers on a phone without logging in, once', async () => {
    await page.context().clearCookies()   // the customer's own phone: no session
    await page.goto(link)
    await page.locator('[data-test=survey-facts]', { hasText: '李师傅' }).waitFor({ timeout: T })
    for (const [question, level] of [['attitude', '很满意'], ['skill', '满意'], ['timeliness', '不满意'], ['promise', '一般']])
      await page.locator(`[data-test=survey-${question}] .el-radio-button`, { hasText: new RegExp(`^${level}$`) }).click()
    await page.locator('[data-test=survey-complaint]').fill('报修后等了很久，希望出发前先电话告知')
    await layoutChecks(page).noOverflow('the survey form')
    await shot('survey-form-phone.png')
    await page.locator('[data-test=survey-submit]').click()
    await page.locator('[data-test=survey-thanks]').waitFor({ timeout: T })
    await shot('survey-thanks-phone.png')
    await page.reload()
    await page.locator('[data-test=survey-closed]', { hasText: '已经填写' }).waitFor({ timeout: T })
  })

  await step('the manager finds the serious complaint with him and the weekly summary', async () => {
    await page.context().clearCookies()
    await page.setViewportSize(SIZES.desktop)
    await login(page, host.base, MANAGER)
    await page.goto(`${host.base}/m/biz.aftersales/complaints`)
    const row = page.locator('[data-test=list-table] .el-table__row', { hasText: '华联商厦' }).first()
    await row.waitFor({ timeout: T })
    const text = await row.textContent()
    if (!text.includes('已上报经理') || !text.includes('严重')) throw new Error(`the complaint reads "${text}"`)
    await shot('survey-complaints-desktop.png')
    await page.goto(`${host.base}/m/biz.aftersales/weekly?week=2026-06-10`)
    const line = page.locator('.el-table__row', { hasText: '李师傅' }).first()
    await line.waitFor({ timeout: T })
    const cells = await line.locator('td').allTextContents()
    for (const expected of ['1.5', '0.5', '50.0'])
      if (!cells.some(c => c.trim() === expected)) throw new Error(`the week of 李师傅 reads ${JSON.stringify(cells)}`)
    await shot('survey-weekly-desktop.png')
  })
})
