#!/usr/bin/env node
// Browser test of biz.orders on a phone (390x844), on a deployment of biz.customers and
// biz.orders whose clock stands at 10 June 2026, with the company's catalogue at the top unit
// and a sales branch (华东销售部) below it:
//   - a seller of the branch (销售小王) places an order through the order card's form and adds
//     a line of a product of the company's catalogue (千兆路由器, kept at the top unit, which
//     the branch may sell from but not edit): the line's picker offers it (lines/choices), and
//     the server prices it (350.00 x 2 = 700.00);
//   - the seller confirms the order; the branch's warehouse keeper (仓管老李) assigns it from
//     the card's step dialog, picking the assignee by name among those holding the
//     warehouse's duty there (仓管老李 and 仓管小张, not the seller), and the card then names
//     仓管小张, who alone finds the ship step waiting on the card.
// Screenshots: orders-<what>-phone.png in the artifacts folder.
//   node tests/e2e/orders-phone.mjs   (same options as run.mjs)
import { ADMIN, SIZES, T, apiClient, runSuite, login, shellPage } from './lib.mjs'

const CLOCK = '2026-06-10T02:00:00Z'   // 10:00 in Beijing
const SELLER = { username: 'seller', password: 'seller-e2e-pass' }
const KEEPER = { username: 'keeper', password: 'keeper-e2e-pass' }
const CLERK = { username: 'clerk', password: 'clerk-e2e-pass' }

await runSuite({ plugins: ['biz.customers', 'biz.orders'], clock: CLOCK }, async ({ step, shot, page, host }) => {
  const call = apiClient(host.base)
  let token = ''
  const api = (method, url, body) => call(method, url, body, token)
  const { field, input, choose, saveAndWait } = shellPage(page)
  let orderPath = ''

  // Picks `name` in a reference field by typing part of it, as the picker searches `searchedPath`.
  async function pick(fieldName, typed, name, searchedPath) {
    const searched = page.waitForResponse(r => r.url().includes(searchedPath) && r.url().includes('q='), { timeout: T })
    await field(fieldName).locator('.el-select__wrapper').click()
    await field(fieldName).locator('input').pressSequentially(typed)
    const answer = await searched
    await page.locator('.el-select-dropdown__item:visible', { hasText: name }).first().click()
    return answer
  }

  async function loginAs(user) {
    await page.context().clearCookies()
    await page.setViewportSize(SIZES.phone)
    await login(page, host.base, user)
    await page.waitForURL(u => u.pathname === '/', { timeout: T })
  }

  await step('the company\'s catalogue, a branch, its seller and warehouse keepers through the API and the CLI', async () => {
    token = host.cli(['user', 'token', ADMIN.username, '--label', 'e2e']).trim().split(/\s+/).pop()
    const root = (await api('GET', '/api/v1/units')).items[0]
    const branch = (await api('POST', '/api/v1/units', { parentId: root.id, name: '华东销售部', code: 'HD' })).id
    await api('POST', '/api/v1/biz.customers/customers', { name: '华联商厦', unitId: branch, address: '北京市东城区王府井大街1号' })
    await api('POST', '/api/v1/biz.orders/products', { code: 'C-001', name: '千兆路由器', measure: '台', price: '350.00', unitId: root.id })
    await api('POST', '/api/v1/roles', { name: 'seller', label: '销售员',
      permissions: ['biz.customers.read', 'biz.orders.read', 'biz.orders.sell'] })
    await api('POST', '/api/v1/roles', { name: 'warehouse', label: '仓管员',
      permissions: ['biz.customers.read', 'biz.orders.read', 'biz.orders.sell', 'biz.orders.fulfil'] })
    for (const [user, name, role] of [[SELLER, '销售小王', 'seller'], [KEEPER, '仓管老李', 'warehouse'], [CLERK, '仓管小张', 'warehouse']]) {
      host.cli(['user', 'add', user.username, '--display-name', name, '--unit', String(branch), '--password-stdin'], `${user.password}\n`)
      host.cli(['user', 'grant', user.username, role, '--scope', 'subtree', '--unit', String(branch)])
    }
  })

  await step('the seller, on a phone, places an order', async () => {
    await loginAs(SELLER)
    await page.goto(`${host.base}/m/biz.orders/orders`)
    await page.locator('[data-test=list-new]').click()
    await page.waitForURL(u => u.pathname === '/m/biz.orders/order/new', { timeout: T })
    await pick('customerId', '华联', '华联商厦', '/api/v1/biz.customers/customers?')
    await choose('paymentType', '货到付款')
    await saveAndWait(u => /\/m\/biz\.orders\/order\/\d+$/.test(u.pathname))
    orderPath = new URL(page.url()).pathname
    await page.waitForFunction(() => document.querySelector('.el-form-item[data-field=orderNo] input')?.value, null, { timeout: T })
    const number = await input('orderNo').inputValue()
    if (number !== 'DD20260610-0001') throw new Error(`the order is numbered "${number}"`)
    await shot('orders-placed-phone.png')
  })

  await step('the line picks the company\'s product by name, priced from it', async () => {
    await page.goto(`${host.base}/m/biz.orders/lines`)
    await page.locator('[data-test=list-new]').click()
    await page.waitForURL(u => u.pathname === '/m/biz.orders/line/new', { timeout: T })
    await pick('orderId', 'DD2026', 'DD20260610-0001', '/api/v1/biz.orders/orders?')
    const offered = await (await pick('productId', '路由', '千兆路由器', '/api/v1/biz.orders/lines/choices/productId')).json()
    if (!offered.items.some(p => p.title === '千兆路由器')) throw new Error(`the picker offers ${JSON.stringify(offered.items)}`)
    await shot('orders-company-product-phone.png')
    await input('quantity').fill('2')
    await saveAndWait(u => /\/m\/biz\.orders\/line\/\d+$/.test(u.pathname))
    await page.waitForFunction(() => document.querySelector('.el-form-item[data-field=total] input')?.value, null, { timeout: T })
    const price = await input('unitPrice').inputValue()
    const total = await input('total').inputValue()
    if (price !== '350.00' || total !== '700.00') throw new Error(`the line is priced "${price}" for "${total}"`)
    // The saved line names the product (labels.productId): the branch reads it through the line.
    await field('productId').getByText('千兆路由器').first().waitFor({ timeout: T })
    await shot('orders-line-phone.png')
  })

  await step('the seller confirms the order from its card', async () => {
    await page.goto(`${host.base}${orderPath}`)
    await page.locator('[data-test=card-step-confirm]').click()
    const dialog = page.locator('[data-test=step-dialog-confirm]')
    await dialog.waitFor({ timeout: T })
    const taken = page.waitForResponse(r => r.url().includes('/steps/confirm') && r.request().method() === 'POST', { timeout: T })
    await dialog.locator('[data-test=step-submit]').click()
    const response = await taken
    if (response.status() !== 200) throw new Error(`confirming answered ${response.status()}: ${await response.text()}`)
    await dialog.waitFor({ state: 'hidden', timeout: T })
  })

  await step('the warehouse keeper assigns it, picking the assignee by name among the warehouse\'s people', async () => {
    await loginAs(KEEPER)
    await page.goto(`${host.base}${orderPath}`)
    await page.locator('[data-test=card-step-assign]').click()
    const dialog = page.locator('[data-test=step-dialog-assign]')
    await dialog.waitFor({ timeout: T })
    const people = page.waitForResponse(r => r.url().includes('/api/v1/biz.orders/orders/people/assignee'), { timeout: T })
    await dialog.locator('[data-field=assignee] .el-select__wrapper').click()
    const offered = (await (await people).json()).items.map(p => p.name).sort()
    if (offered.join() !== ['仓管小张', '仓管老李'].sort().join()) throw new Error(`the picker offers ${JSON.stringify(offered)}`)
    await page.locator('.el-select-dropdown__item:visible', { hasText: '仓管小张' }).first().click()
    await dialog.locator('[data-field=assigneeNote] input').fill('一号仓库')
    await shot('orders-assign-phone.png')
    const taken = page.waitForResponse(r => r.url().includes('/steps/assign') && r.request().method() === 'POST', { timeout: T })
    await dialog.locator('[data-test=step-submit]').click()
    const response = await taken
    if (response.status() !== 200) throw new Error(`assigning answered ${response.status()}: ${await response.text()}`)
    await dialog.waitFor({ state: 'hidden', timeout: T })
    await page.waitForFunction(() => document.querySelector('.el-form-item[data-field=assignee]')?.textContent?.includes('仓管小张'),
      null, { timeout: T })
    if (await page.locator('[data-test=card-step-ship]').count()) throw new Error('the keeper is offered the step of the one assigned')
    await shot('orders-assigned-phone.png')
  })

  await step('the one assigned finds the ship step on the card', async () => {
    await loginAs(CLERK)
    await page.goto(`${host.base}${orderPath}`)
    await page.locator('[data-test=card-step-ship]').waitFor({ timeout: T })
    await shot('orders-ship-waiting-phone.png')
  })
})
