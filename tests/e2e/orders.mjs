#!/usr/bin/env node
// Browser test of an order's whole life (biz.orders), as the administrator at desktop size, on
// a deployment of biz.customers and biz.orders whose clock stands at 10 June 2026:
//   - an order is placed through the order card's form (菜单 订单 → 新建): the customer picked
//     by name, 先款后货; the server numbers it DD20260610-0001 and fills in the customer's
//     address;
//   - a line of five cameras is added through the line card (订单明细 → 新建): the order and
//     the product picked by name; the server takes the product's price (19.99) and totals it
//     exactly (99.95), and the order card's 订单明细 section shows the line;
//   - the order is confirmed and assigned to a warehouse keeper (仓管小王, picked by name
//     among those holding the warehouse's duty); 仓管老李, whose role fulfils but does not sell,
//     takes it over (改派, picking himself by name; the order stays assigned) and alone ships
//     and completes it: shipping before payment is refused under its field in Chinese, then it
//     is paid, shipped and completed, each from the card's step buttons and dialog; its history
//     lists the six steps;
//   - one camera of the shipped line comes back for a refund (退换货 → 新建): the server
//     refunds its share (19.99), and the order card shows 1 returned.
// Screenshots: orders-<what>-desktop.png in the artifacts folder.
//   node tests/e2e/orders.mjs   (same options as run.mjs)
import { ADMIN, SIZES, T, apiClient, runSuite, login, shellPage } from './lib.mjs'

const CLOCK = '2026-06-10T02:00:00Z'   // 10:00 in Beijing
const KEEPER = { username: 'keeper', password: 'keeper-e2e-pass' }
const SECOND = { username: 'second-keeper', password: 'second-e2e-pass' }

await runSuite({ plugins: ['biz.customers', 'biz.orders'], clock: CLOCK }, async ({ step, shot, page, host }) => {
  const call = apiClient(host.base)
  let token = ''
  const api = (method, url, body) => call(method, url, body, token)
  const { field, input, choose, saveAndWait } = shellPage(page)
  let orderPath = ''

  // Picks `name` in a reference field by typing part of it, as the picker searches.
  async function pick(within, fieldName, typed, name, searchedPath) {
    const searched = page.waitForResponse(r => r.url().includes(searchedPath) && r.url().includes('q='), { timeout: T })
    await within(fieldName).locator('.el-select__wrapper').click()
    await within(fieldName).locator('input').pressSequentially(typed)
    await searched
    await page.locator('.el-select-dropdown__item:visible', { hasText: name }).first().click()
  }

  // Takes step `id` from the order card: its button, its dialog, the fields typed in it.
  async function takeStep(id, fields = {}) {
    await page.locator(`[data-test=card-step-${id}]`).click()
    const dialog = page.locator(`[data-test=step-dialog-${id}]`)
    await dialog.waitFor({ timeout: T })
    for (const [name, value] of Object.entries(fields)) await dialog.locator(`[data-field=${name}] input, [data-field=${name}] textarea`).first().fill(value)
    const taken = page.waitForResponse(r => r.url().includes(`/steps/${id}`) && r.request().method() === 'POST', { timeout: T })
    await dialog.locator('[data-test=step-submit]').click()
    return { response: await taken, dialog }
  }

  await step('a customer and a product through the API', async () => {
    token = host.cli(['user', 'token', ADMIN.username, '--label', 'e2e']).trim().split(/\s+/).pop()
    const root = (await api('GET', '/api/v1/units')).items[0]
    await api('POST', '/api/v1/biz.customers/customers', { name: '华联商厦', unitId: root.id, address: '北京市东城区王府井大街1号' })
    await api('POST', '/api/v1/biz.orders/products', { code: 'P-001', name: '网络摄像机', measure: '台', price: '19.99', unitId: root.id })
    // The warehouse fulfils, takes payments and returns; it does not sell (edit orders).
    await api('POST', '/api/v1/roles', { name: 'warehouse', label: '仓管员', permissions: ['biz.customers.read', 'biz.orders.read',
      'biz.orders.fulfil', 'biz.orders.pay', 'biz.orders.returns'] })
    for (const [who, name] of [[KEEPER, '仓管老李'], [SECOND, '仓管小王']]) {
      host.cli(['user', 'add', who.username, '--display-name', name, '--unit', String(root.id), '--password-stdin'], `${who.password}\n`)
      host.cli(['user', 'grant', who.username, 'warehouse', '--scope', 'subtree', '--unit', String(root.id)])
    }
  })

  await step('log in', async () => {
    await page.setViewportSize(SIZES.desktop)
    await login(page, host.base)
    await page.waitForURL(u => u.pathname === '/', { timeout: T })
  })

  await step('an order placed through its form is numbered for the day and goes to the customer\'s address', async () => {
    await page.goto(`${host.base}/m/biz.orders/orders`)
    await page.locator('[data-test=list-new]').click()
    await page.waitForURL(u => u.pathname === '/m/biz.orders/order/new', { timeout: T })
    await pick(field, 'customerId', '华联', '华联商厦', '/api/v1/biz.customers/customers?')
    await choose('paymentType', '先款后货')
    await saveAndWait(u => /\/m\/biz\.orders\/order\/\d+$/.test(u.pathname))
    orderPath = new URL(page.url()).pathname
    await page.waitForFunction(() => document.querySelector('.el-form-item[data-field=orderNo] input')?.value, null, { timeout: T })
    const number = await input('orderNo').inputValue()
    if (number !== 'DD20260610-0001') throw new Error(`the order is numbered "${number}"`)
    const address = await input('address').inputValue()
    if (address !== '北京市东城区王府井大街1号') throw new Error(`the order goes to "${address}"`)
  })

  await step('a line of five cameras takes the product\'s price and totals 99.95', async () => {
    await page.goto(`${host.base}/m/biz.orders/lines`)
    await page.locator('[data-test=list-new]').click()
    await page.waitForURL(u => u.pathname === '/m/biz.orders/line/new', { timeout: T })
    await pick(field, 'orderId', 'DD2026', 'DD20260610-0001', '/api/v1/biz.orders/orders?')
    await pick(field, 'productId', '摄像', '网络摄像机', '/api/v1/biz.orders/lines/choices/productId')
    await input('quantity').fill('5')
    await saveAndWait(u => /\/m\/biz\.orders\/line\/\d+$/.test(u.pathname))
    await page.waitForFunction(() => document.querySelector('.el-form-item[data-field=total] input')?.value, null, { timeout: T })
    const price = await input('unitPrice').inputValue()
    const total = await input('total').inputValue()
    if (price !== '19.99' || total !== '99.95') throw new Error(`the line is priced "${price}" for "${total}"`)
    await shot('orders-line-desktop.png')
    await page.goto(`${host.base}${orderPath}`)
    await page.locator('[data-test=card-step-confirm]').waitFor({ timeout: T })
    await page.getByText('网络摄像机').first().waitFor({ timeout: T })
  })

  await step('confirmed, assigned, taken over by 改派; shipping before payment is refused in Chinese', async () => {
    let { response } = await takeStep('confirm')
    if (response.status() !== 200) throw new Error(`confirming answered ${response.status()}: ${await response.text()}`)
    // The assignee picked by name among the warehouse's people (the administrator is none).
    await page.locator('[data-test=card-step-assign]').click()
    const assign = page.locator('[data-test=step-dialog-assign]')
    await assign.waitFor({ timeout: T })
    await assign.locator('[data-field=assignee] .el-select__wrapper').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '仓管小王' }).first().click()
    await assign.locator('[data-field=assigneeNote] input').fill('一号仓库')
    const assigned = page.waitForResponse(r => r.url().includes('/steps/assign') && r.request().method() === 'POST', { timeout: T })
    await assign.locator('[data-test=step-submit]').click()
    response = await assigned
    if (response.status() !== 200) throw new Error(`assigning answered ${response.status()}: ${await response.text()}`)
    await assign.waitFor({ state: 'hidden', timeout: T })
    // 小王 is away: 老李, who may not sell, takes the order over, picking himself by name.
    await page.context().clearCookies()
    await login(page, host.base, KEEPER)
    await page.waitForURL(u => u.pathname === '/', { timeout: T })
    await page.goto(`${host.base}${orderPath}`)
    await page.locator('[data-test=card-step-reassign]').waitFor({ timeout: T })
    if (await page.locator('[data-test=card-step-ship]').count()) throw new Error('the keeper may ship an order assigned to someone else')
    await page.locator('[data-test=card-step-reassign]').click()
    const reassign = page.locator('[data-test=step-dialog-reassign]')
    await reassign.waitFor({ timeout: T })
    if (await reassign.locator('[data-test=step-to]').count()) throw new Error('改派 says the order will change state')
    const people = page.waitForResponse(r => r.url().includes('/people/assignee'), { timeout: T })
    await reassign.locator('[data-field=assignee] .el-select__wrapper').click()
    if ((await people).status() !== 200) throw new Error('the warehouse may not pick the assignee by name')
    await page.locator('.el-select-dropdown__item:visible', { hasText: '仓管老李' }).first().click()
    await reassign.locator('[data-field=comment] textarea, textarea').first().fill('小王休假，由老李接手')
    const reassigned = page.waitForResponse(r => r.url().includes('/steps/reassign') && r.request().method() === 'POST', { timeout: T })
    await reassign.locator('[data-test=step-submit]').click()
    response = await reassigned
    if (response.status() !== 200) throw new Error(`reassigning answered ${response.status()}: ${await response.text()}`)
    await reassign.waitFor({ state: 'hidden', timeout: T })
    await shot('orders-reassigned-desktop.png')
    // Shipping and completing are his now.
    await page.locator('[data-test=card-step-ship]').waitFor({ timeout: T })
    const refused = await takeStep('ship')
    if (refused.response.status() !== 422) throw new Error(`shipping before payment answered ${refused.response.status()}`)
    const error = refused.dialog.locator('.el-form-item__error, [data-test=step-errors]').first()
    await error.waitFor({ timeout: T })
    const said = (await refused.dialog.innerText()).trim()
    if (!said.includes('须付款后才能发货')) throw new Error(`the refused step says "${said}"`)
    await shot('orders-ship-refused-desktop.png')
    await refused.dialog.locator('[data-test=step-cancel]').click()
    await refused.dialog.waitFor({ state: 'hidden', timeout: T })
  })

  await step('paid, shipped and completed from the card; the history lists the six steps', async () => {
    for (const [id, fields] of [['pay', { paymentRef: '银行回单0042' }], ['ship', { waybill: 'SF1234567890' }], ['complete', {}]]) {
      const { response } = await takeStep(id, fields)
      if (response.status() !== 200) throw new Error(`${id} answered ${response.status()}: ${await response.text()}`)
      await page.locator(`[data-test=step-dialog-${id}]`).waitFor({ state: 'hidden', timeout: T })
    }
    const id = orderPath.split('/').pop()
    const steps = await api('GET', `/api/v1/biz.orders/orders/${id}/steps`)
    const taken = steps.history.map(h => h.step).join(' ')
    if (steps.state !== 'completed' || taken !== 'confirm assign reassign pay ship complete') throw new Error(`the order is ${steps.state} after ${taken}`)
    // The card reads the completed order again: no step is offered any more.
    await page.locator('[data-test^=card-step-]').first().waitFor({ state: 'detached', timeout: T })
      .catch(() => { throw new Error('a completed order still offers steps') })
    await shot('orders-completed-desktop.png')
  })

  await step('one camera comes back for its share of the price, and the order card shows it', async () => {
    await page.goto(`${host.base}/m/biz.orders/returns`)
    await page.locator('[data-test=list-new]').click()
    await page.waitForURL(u => u.pathname === '/m/biz.orders/return/new', { timeout: T })
    await pick(field, 'lineId', '摄像', '网络摄像机', '/api/v1/biz.orders/lines?')
    await choose('kind', '退货退款')
    await input('quantity').fill('1')
    await input('reason').fill('画面有坏点')
    await saveAndWait(u => /\/m\/biz\.orders\/return\/\d+$/.test(u.pathname))
    await page.waitForFunction(() => document.querySelector('.el-form-item[data-field=refund] input')?.value, null, { timeout: T })
    const refund = await input('refund').inputValue()
    if (refund !== '19.99') throw new Error(`the refund is "${refund}"`)
    await shot('orders-return-desktop.png')
    const id = orderPath.split('/').pop()
    const sections = await api('GET', `/api/v1/cards/biz.orders/order/${id}/sections`)
    const row = sections.items[0].rows[0]
    if (row.returned !== 1) throw new Error(`the order card shows ${row.returned} returned`)
  })
})
