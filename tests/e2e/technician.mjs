#!/usr/bin/env node
// Browser test of a ticket's technician (biz.aftersales, a field of kind "user"), on a
// deployment of biz.customers and biz.aftersales whose clock stands at 10 June 2026:
//   - the service manager (王经理) makes a dispatch ticket from a call through its form and
//     picks the technician by name: the picker offers the department's technicians (李师傅)
//     only, not the manager nor the administrator; the saved card names 李师傅;
//   - the technician, on a phone, opens 我的派工单 (tickets?technician=me): the list says
//     what it filters (主修技术员：我), shows the ticket (and no 新建: tickets are the manager's
//     to make), the menu (and the header's drawer) lights 我的派工单 alone (服务派工单 alone
//     on tickets), and the card, named 服务派工单 · PG2026-0001 in the breadcrumbs, offers
//     him 到达现场.
// Screenshots: technician-<what>.png in the artifacts folder.
//   node tests/e2e/technician.mjs   (same options as run.mjs)
import { ADMIN, SIZES, T, apiClient, runSuite, login, shellPage } from './lib.mjs'

const CLOCK = '2026-06-10T02:00:00Z'   // 10:00 in Beijing
const MANAGER = { username: 'manager', password: 'manager-e2e-pass' }
const TECH = { username: 'tech', password: 'tech-e2e-pass' }

await runSuite({ plugins: ['biz.customers', 'biz.aftersales'], clock: CLOCK }, async ({ step, shot, page, host }) => {
  const call = apiClient(host.base)
  let token = ''
  const api = (method, url, body) => call(method, url, body, token)
  const { field, choose, saveAndWait } = shellPage(page)

  await step('a call, a manager and a technician through the API and the CLI', async () => {
    token = host.cli(['user', 'token', ADMIN.username, '--label', 'e2e']).trim().split(/\s+/).pop()
    const root = (await api('GET', '/api/v1/units')).items[0]
    const customer = await api('POST', '/api/v1/biz.customers/customers', { name: '华联商厦', unitId: root.id, address: '北京市东城区王府井大街1号', phone: '010-65123456' })
    await api('POST', '/api/v1/biz.aftersales/registrations', {
      customerId: customer.id, unitId: root.id, situation: '三楼监控画面全黑', receivedBy: '李娜',
    })
    await api('POST', '/api/v1/roles', { name: 'service-manager', label: '售后经理',
      permissions: ['biz.customers.read', 'biz.aftersales.read', 'biz.aftersales.register', 'biz.aftersales.dispatch'] })
    await api('POST', '/api/v1/roles', { name: 'technician', label: '技术员',
      permissions: ['biz.customers.read', 'biz.aftersales.read', 'biz.aftersales.work'] })
    for (const [user, name, role] of [[MANAGER, '王经理', 'service-manager'], [TECH, '李师傅', 'technician']]) {
      host.cli(['user', 'add', user.username, '--display-name', name, '--unit', String(root.id), '--password-stdin'], `${user.password}\n`)
      host.cli(['user', 'grant', user.username, role, '--scope', 'subtree', '--unit', String(root.id)])
    }
  })

  await step('the manager picks the technician by name, among the technicians only', async () => {
    await page.setViewportSize(SIZES.desktop)
    await login(page, host.base, MANAGER)
    await page.goto(`${host.base}/m/biz.aftersales/tickets`)
    await page.locator('[data-test=list-new]').click()
    await page.waitForURL(u => u.pathname === '/m/biz.aftersales/ticket/new', { timeout: T })
    const searched = page.waitForResponse(r => r.url().includes('/api/v1/biz.aftersales/registrations?') && r.url().includes('q='), { timeout: T })
    await field('registrationId').locator('.el-select__wrapper').click()
    await field('registrationId').locator('input').pressSequentially('BX')
    await searched
    await page.locator('.el-select-dropdown__item:visible', { hasText: 'BX2026-0001' }).first().click()
    await choose('serviceClass', 'C')
    const people = page.waitForResponse(r => r.url().includes('/api/v1/biz.aftersales/tickets/people/technician'), { timeout: T })
    await field('technician').locator('.el-select__wrapper').click()
    const offered = await (await people).json()
    const names = offered.items.map(p => p.name)
    if (names.join() !== '李师傅') throw new Error(`the picker offers ${JSON.stringify(names)}`)
    await page.locator('.el-select-dropdown__item:visible', { hasText: '李师傅' }).first().click()
    await shot('technician-picked-desktop.png')
    await saveAndWait(u => /\/m\/biz\.aftersales\/ticket\/\d+$/.test(u.pathname))
    await page.waitForFunction(() => document.querySelector('.el-form-item[data-field=technician]')?.textContent?.includes('李师傅'),
      null, { timeout: T })
  })

  await step('the technician, on a phone, finds the ticket among his own and may arrive', async () => {
    await page.context().clearCookies()
    await page.setViewportSize(SIZES.phone)
    await login(page, host.base, TECH)
    await page.goto(`${host.base}/m/biz.aftersales/tickets?technician=me`)
    await page.locator('[data-test=list-table]').waitFor({ timeout: T })
    await page.locator('text=主修技术员：我').first().waitFor({ timeout: T })
    const row = page.locator('[data-test=list-table] .el-table__row', { hasText: 'PG2026-0001' }).first()
    await row.waitFor({ timeout: T })
    await shot('technician-mine-phone.png')
    if (await page.locator('[data-test=list-new]').count()) throw new Error('the technician is offered 新建 on tickets he may not make')
    // The module's menu lights the entry of this URL, query and all: 我的派工单, not also 服务派工单.
    const lit = async expected => {
      await page.locator('[data-test=module-drawer-open]').click()
      const menu = page.locator('[data-test=module-drawer] .menu')
      await menu.locator('a', { hasText: '服务派工单' }).waitFor({ timeout: T })
      const active = (await menu.locator('a.active').allInnerTexts()).map(s => s.trim())
      if (active.join() !== expected) throw new Error(`the menu lights ${JSON.stringify(active)}, expected only ${expected}`)
      return menu
    }
    const menu = await lit('我的派工单')
    await shot('technician-menu-phone.png')
    await menu.locator('a', { hasText: '服务派工单' }).click()
    await page.waitForURL(u => u.pathname === '/m/biz.aftersales/tickets' && !u.searchParams.has('technician'), { timeout: T })
    await page.locator('[data-test=module-drawer]').waitFor({ state: 'hidden', timeout: T })
    await lit('服务派工单')
    await page.locator('[data-test=module-drawer] .menu a', { hasText: '我的派工单' }).click()
    await page.waitForURL(u => u.searchParams.get('technician') === 'me', { timeout: T })
    await page.locator('[data-test=module-drawer]').waitFor({ state: 'hidden', timeout: T })
    // So does the header's drawer, which lists every module's entries.
    await page.locator('[data-test=nav-open]').click()
    const nav = page.locator('[data-test=nav-drawer]')
    await nav.locator('a.sub', { hasText: '服务派工单' }).waitFor({ timeout: T })
    const navLit = (await nav.locator('a.sub.active').allInnerTexts()).map(s => s.trim())
    if (navLit.join() !== '售后服务 · 我的派工单') throw new Error(`the header's drawer lights ${JSON.stringify(navLit)}`)
    await page.keyboard.press('Escape')
    await nav.waitFor({ state: 'hidden', timeout: T })
    await row.locator('text=PG2026-0001').first().click()
    await page.waitForURL(u => /\/m\/biz\.aftersales\/ticket\/\d+$/.test(u.pathname), { timeout: T })
    await page.locator('[data-test=card-step-arrive]').waitFor({ timeout: T })
    // The breadcrumb names the ticket by its number, not by its id.
    await page.locator('[data-test=breadcrumbs] .el-breadcrumb__item:last-child', { hasText: 'PG2026-0001' }).waitFor({ timeout: T })
    const crumb = (await page.locator('[data-test=breadcrumbs] .el-breadcrumb__item').last().innerText()).trim()
    if (crumb !== '服务派工单 · PG2026-0001') throw new Error(`the ticket's breadcrumb says "${crumb}"`)
    await shot('technician-ticket-phone.png')
  })
})
