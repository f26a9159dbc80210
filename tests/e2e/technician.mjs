#!/usr/bin/env node
// Browser test of a ticket's technicians (biz.aftersales, fields of kind "user"), on a
// deployment of biz.customers and biz.aftersales whose clock stands at 10 June 2026:
//   - the service manager (王经理) makes a dispatch ticket from a call through its form and
//     picks the technician by name: the picker offers the department's technicians (李师傅,
//     赵师傅) only, not the manager nor the administrator; he picks 李师傅 to lead and 赵师傅 to
//     assist (a field of several users); the saved card names both; its visit is today;
//   - a second ticket is visited tomorrow;
//   - the assistant, on a phone, opens 我的派工单 from the menu (tickets?crew=me&visitOn=today):
//     the list says what it filters (服务人员：我, 预约上门日期：今天), shows today's ticket only
//     (and no 新建: tickets are the manager's to make), and its card leaves 到达现场 to the lead;
//   - the lead finds it the same way: the menu (and the header's drawer) lights 我的派工单
//     alone (服务派工单 alone on tickets), and the card, named 服务派工单 · PG2026-0001 in the
//     breadcrumbs, offers him 到达现场.
// Screenshots: technician-<what>.png in the artifacts folder.
//   node tests/e2e/technician.mjs   (same options as run.mjs)
import { ADMIN, SIZES, T, apiClient, runSuite, login, shellPage } from './lib.mjs'

const CLOCK = '2026-06-10T02:00:00Z'   // 10:00 in Beijing
const MANAGER = { username: 'manager', password: 'manager-e2e-pass' }
const TECH = { username: 'tech', password: 'tech-e2e-pass' }
const ASSISTANT = { username: 'zhao', password: 'zhao-e2e-pass' }

await runSuite({ plugins: ['biz.customers', 'biz.aftersales'], clock: CLOCK }, async ({ step, shot, page, host }) => {
  const call = apiClient(host.base)
  let token = ''
  const api = (method, url, body) => call(method, url, body, token)
  const { field, choose, saveAndWait } = shellPage(page)
  let root = null, registration = null

  await step('a call, a manager and a technician through the API and the CLI', async () => {
    token = host.cli(['user', 'token', ADMIN.username, '--label', 'e2e']).trim().split(/\s+/).pop()
    root = (await api('GET', '/api/v1/units')).items[0]
    const customer = await api('POST', '/api/v1/biz.customers/customers', { name: '华联商厦', unitId: root.id, address: '北京市东城区王府井大街1号', phone: '010-65123456' })
    await api('POST', '/api/v1/biz.aftersales/registrations', {
      customerId: customer.id, unitId: root.id, situation: '三楼监控画面全黑', receivedBy: '李娜',
    })
    registration = await api('POST', '/api/v1/biz.aftersales/registrations', {
      customerId: customer.id, unitId: root.id, situation: '门禁刷卡无反应', receivedBy: '李娜',
    })
    await api('POST', '/api/v1/roles', { name: 'service-manager', label: '售后经理',
      permissions: ['biz.customers.read', 'biz.aftersales.read', 'biz.aftersales.register', 'biz.aftersales.dispatch'] })
    await api('POST', '/api/v1/roles', { name: 'technician', label: '技术员',
      permissions: ['biz.customers.read', 'biz.aftersales.read', 'biz.aftersales.work'] })
    for (const [user, name, role] of [[MANAGER, '王经理', 'service-manager'], [TECH, '李师傅', 'technician'], [ASSISTANT, '赵师傅', 'technician']]) {
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
    const names = offered.items.map(p => p.name).sort()
    if (names.join() !== ['李师傅', '赵师傅'].sort().join()) throw new Error(`the picker offers ${JSON.stringify(names)}`)
    await page.locator('.el-select-dropdown__item:visible', { hasText: '李师傅' }).first().click()
    // The assistants: several people, picked the same way, shown as tags (once the lead's list closed).
    await page.locator('.el-select-dropdown__item:visible').first().waitFor({ state: 'hidden', timeout: T })
    const assistants = page.waitForResponse(r => r.url().includes('/api/v1/biz.aftersales/tickets/people/assistants'), { timeout: T })
    await field('assistants').locator('.el-select__wrapper').click()
    await assistants
    await page.locator('.el-select-dropdown__item:visible', { hasText: '赵师傅' }).first().click()
    await page.keyboard.press('Escape')
    await field('assistants').locator('.el-tag', { hasText: '赵师傅' }).waitFor({ timeout: T })
    await shot('technician-picked-desktop.png')
    await saveAndWait(u => /\/m\/biz\.aftersales\/ticket\/\d+$/.test(u.pathname))
    await page.waitForFunction(() => document.querySelector('.el-form-item[data-field=technician]')?.textContent?.includes('李师傅') &&
      document.querySelector('.el-form-item[data-field=assistants]')?.textContent?.includes('赵师傅'), null, { timeout: T })
    const id = page.url().split('/').pop()
    const saved = await api('GET', `/api/v1/biz.aftersales/tickets/${id}`)
    if (saved.visitOn !== '2026-06-10' || saved.labels.crew !== '李师傅、赵师傅')
      throw new Error(`the ticket is visited ${saved.visitOn} by ${saved.labels.crew}`)
    // Tomorrow's visit, made through the API: not in today's lists.
    const lead = offered.items.find(p => p.name === '李师傅')
    await api('POST', '/api/v1/biz.aftersales/tickets', { registrationId: registration.id, serviceClass: 'C', unitId: root.id,
      technician: lead.id, visitOn: '2026-06-11' })
  })

  // Opens 我的派工单 from the shell's menu on a phone, as the technicians do.
  async function openMyDay() {
    await page.locator('[data-test=nav-open]').click()
    await page.locator('.drawer-nav a', { hasText: '我的派工单' }).first().click()
    await page.waitForURL(u => u.pathname === '/m/biz.aftersales/tickets' && u.searchParams.get('crew') === 'me', { timeout: T })
    await page.locator('[data-test=list-table]').waitFor({ timeout: T })
    for (const said of ['服务人员：我', '预约上门日期：今天']) await page.locator(`text=${said}`).first().waitFor({ timeout: T })
    const row = page.locator('[data-test=list-table] .el-table__row', { hasText: 'PG2026-0001' }).first()
    await row.waitFor({ timeout: T })
    if (await page.locator('[data-test=list-table] .el-table__row', { hasText: 'PG2026-0002' }).count())
      throw new Error('tomorrow\'s visit is in today\'s list')
    if (await page.locator('[data-test=list-new]').count()) throw new Error('a technician is offered 新建 on tickets he may not make')
    return row
  }

  await step('the assistant, on a phone, finds today\'s ticket in 我的派工单; arriving is the lead\'s', async () => {
    await page.context().clearCookies()
    await page.setViewportSize(SIZES.phone)
    await login(page, host.base, ASSISTANT)
    await page.waitForURL(u => u.pathname === '/', { timeout: T })
    const row = await openMyDay()
    await shot('technician-assistant-day-phone.png')
    await row.locator('text=PG2026-0001').first().click()
    await page.waitForURL(u => /\/m\/biz\.aftersales\/ticket\/\d+$/.test(u.pathname), { timeout: T })
    await page.locator('.el-form-item[data-field=assistants]', { hasText: '赵师傅' }).waitFor({ timeout: T })
    if (await page.locator('[data-test=card-step-arrive]').count()) throw new Error('the assistant is offered 到达现场')
  })

  await step('the lead, on a phone, finds it the same way and may arrive', async () => {
    await page.context().clearCookies()
    await login(page, host.base, TECH)
    await page.waitForURL(u => u.pathname === '/', { timeout: T })
    const row = await openMyDay()
    await shot('technician-mine-phone.png')
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
    await page.waitForURL(u => u.pathname === '/m/biz.aftersales/tickets' && !u.searchParams.has('crew'), { timeout: T })
    await page.locator('[data-test=module-drawer]').waitFor({ state: 'hidden', timeout: T })
    await lit('服务派工单')
    await page.locator('[data-test=module-drawer] .menu a', { hasText: '我的派工单' }).click()
    await page.waitForURL(u => u.searchParams.get('crew') === 'me', { timeout: T })
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
