#!/usr/bin/env node
// Browser test of charts with parameters and several series (issue 17 item 8, issue 18 item 5),
// on a deployment of biz.customers, biz.aftersales and biz.orders whose clock stands at 10 June
// 2026, as the administrator, at 1440x900 and at 390x844:
//   - 技术员工作量 (biz.aftersales): tickets and hours per technician by name, two series with
//     their legend, the table one column per series with its totals row; the year changed to
//     2025 in the picker above the chart shows last year's ticket; the year stays with the
//     module's other charts (the tabs);
//   - 每月销售额 (biz.orders): twelve months of a money series, the table showing the server's
//     exact amounts ("1479.50"); the year changed to 2025.
// On the phone nothing lies past the window's edge. Screenshots: charts-<what>.png.
//   node tests/e2e/charts.mjs   (same options as run.mjs)
import { ADMIN, SIZES, T, apiClient, layoutChecks, runSuite, login } from './lib.mjs'

const CLOCK = '2026-06-10T02:00:00Z'   // 10:00 in Beijing

await runSuite({ plugins: ['biz.customers', 'biz.aftersales', 'biz.orders'], clock: CLOCK }, async ({ step, shot, page, host }) => {
  const call = apiClient(host.base)
  let token = ''
  const api = (method, url, body, as = token) => call(method, url, body, as)
  const { noOverflow } = layoutChecks(page)
  // A step on a record as it is now (its version in the body).
  const takeStep = async (url, id, stepId, body, as = token) => {
    const { version } = await api('GET', `${url}/${id}`, undefined, as)
    return api('POST', `${url}/${id}/steps/${stepId}`, { ...body, version }, as)
  }

  await step('tickets of two technicians and orders of two years through the API and the CLI', async () => {
    token = host.cli(['user', 'token', ADMIN.username, '--label', 'e2e']).trim().split(/\s+/).pop()
    const root = (await api('GET', '/api/v1/units')).items[0]
    const customer = await api('POST', '/api/v1/biz.customers/customers', { name: '华联商厦', unitId: root.id, address: '北京市东城区王府井大街1号' })
    await api('POST', '/api/v1/roles', { name: 'technician', label: '技术员',
      permissions: ['biz.customers.read', 'biz.aftersales.read', 'biz.aftersales.work'] })
    const technicians = {}
    for (const [username, name] of [['li', '李师傅'], ['zhang', '张师傅']]) {
      host.cli(['user', 'add', username, '--display-name', name, '--unit', String(root.id), '--password-stdin'], `${username}-e2e-pass\n`)
      host.cli(['user', 'grant', username, 'technician', '--scope', 'subtree', '--unit', String(root.id)])
      const own = host.cli(['user', 'token', username, '--label', 'e2e']).trim().split(/\s+/).pop()
      technicians[name] = { token: own, id: (await api('GET', '/api/v1/auth/me', undefined, own)).user.id }
    }
    // [technician, called at, arrived at, closed at, hours]
    const tickets = [
      ['李师傅', '2026-06-08T09:00:00', '2026-06-08T11:00:00', '2026-06-08T14:00:00', '1.5'],
      ['李师傅', '2026-06-09T09:00:00', '2026-06-09T15:00:00', '2026-06-09T17:00:00', '2'],
      ['张师傅', '2026-06-09T10:00:00', '2026-06-09T12:00:00', '2026-06-09T16:00:00', '3'],
      ['李师傅', '2025-11-05T09:00:00', '2025-11-05T10:00:00', '2025-11-05T15:00:00', '4'],
    ]
    for (const [who, called, arrived, closed, hours] of tickets) {
      const reg = await api('POST', '/api/v1/biz.aftersales/registrations', {
        customerId: customer.id, unitId: root.id, situation: '录像机报警', receivedBy: '李娜', receivedAt: called })
      const ticket = await api('POST', '/api/v1/biz.aftersales/tickets', {
        registrationId: reg.id, serviceClass: 'C', unitId: root.id, technician: technicians[who].id })
      const url = '/api/v1/biz.aftersales/tickets'
      await takeStep(url, ticket.id, 'arrive', { arrivedAt: arrived }, technicians[who].token)
      await takeStep(url, ticket.id, 'close', { workDone: '更换硬盘', hours, closedAt: closed }, technicians[who].token)
    }
    const product = async (code, name, price) =>
      (await api('POST', '/api/v1/biz.orders/products', { code, name, price, measure: '台', unitId: root.id })).id
    const camera = await product('P-001', '网络摄像机', '199.50')
    const recorder = await product('P-002', '硬盘录像机', '1280.00')
    for (const [day, lines] of [['2026-03-05', [[camera, 2]]], ['2026-05-10', [[recorder, 1], [camera, 1]]], ['2025-11-20', [[recorder, 3]]]]) {
      const order = await api('POST', '/api/v1/biz.orders/orders', { customerId: customer.id, paymentType: 'cod', orderDate: day, unitId: root.id })
      for (const [productId, quantity] of lines) await api('POST', '/api/v1/biz.orders/lines', { orderId: order.id, productId, quantity })
      await takeStep('/api/v1/biz.orders/orders', order.id, 'confirm', {})
    }
  })

  // The chart's table as the user reads it: header, rows and the totals row.
  const readChart = async () => {
    await page.locator('[data-test=chart-canvas] canvas').waitFor({ timeout: T })
    await page.waitForFunction(() => ![...document.querySelectorAll('.el-loading-mask')].some(m => m.offsetParent !== null), null, { timeout: T })
    return page.locator('[data-test=chart-table]').evaluate(table => {
      const cells = tr => [...tr.querySelectorAll('td, th')].map(c => c.innerText.trim())
      const footer = table.querySelector('.el-table__footer-wrapper tr')
      return {
        header: cells(table.querySelector('.el-table__header-wrapper tr')),
        rows: [...table.querySelectorAll('.el-table__body-wrapper tr.el-table__row')].map(cells),
        total: footer ? cells(footer) : null,
      }
    })
  }
  const expectJson = (what, actual, expected) => {
    if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`${what}: ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`)
  }
  const legend = async () => (await page.locator('[data-test=chart-legend] .legend-item').allInnerTexts()).map(s => s.trim())
  // The year picked in the chart's year parameter, then the answer for it.
  const pickYear = async year => {
    const answered = page.waitForResponse(r => r.url().includes('/charts/') && r.url().includes(`year=${year}`), { timeout: T })
    await page.locator('[data-test=chart-param-year] input').click()
    await page.locator('.el-year-table td:visible', { hasText: String(year) }).first().click()
    await answered
    await page.waitForURL(u => u.searchParams.get('year') === String(year), { timeout: T })
  }

  for (const [size, viewport] of Object.entries(SIZES)) {
    await step(`${size}: tickets and hours per technician, two series, then 2025`, async () => {
      await page.setViewportSize(viewport)
      if (size === 'desktop') await login(page, host.base, ADMIN)
      const answered = page.waitForResponse(r => r.url().includes('/api/v1/biz.aftersales/charts/technicians'), { timeout: T })
      await page.goto(`${host.base}/m/biz.aftersales/tickets-by-technician`)
      await answered
      const chart = await readChart()
      expectJson('the header', chart.header, ['项目', '派工单数', '工时（小时）'])
      expectJson('the rows', chart.rows, [['李师傅', '2', '3.5'], ['张师傅', '1', '3']])
      expectJson('the totals', chart.total, ['合计', '3', '6.5'])
      expectJson('the legend', await legend(), ['派工单数', '工时（小时）'])
      const year = await page.locator('[data-test=chart-param-year] input').inputValue()
      if (year !== '2026') throw new Error(`the year shown is ${year}, not this year`)
      if (size === 'phone') await noOverflow('the technicians chart on a phone')
      await shot(`charts-technicians-${size}.png`)
      await pickYear(2025)
      const last = await readChart()
      expectJson('2025', last.rows, [['李师傅', '1', '4']])
      expectJson('2025 totals', last.total, ['合计', '1', '4'])
      await shot(`charts-technicians-2025-${size}.png`)
      if (size === 'desktop') {
        // The module's other charts keep the year: 2025's one ticket of class C.
        await page.locator('[data-test=chart-tabs]').getByText('派工单（按服务类别）').click()
        await page.waitForURL(u => u.pathname.endsWith('/tickets-by-class') && u.searchParams.get('year') === '2025', { timeout: T })
        await page.locator('[data-test=chart-table] .el-table__row', { hasText: 'C 免费服务（保修期内）' }).filter({ hasText: '1' }).waitFor({ timeout: T })
      }
    })

    await step(`${size}: sales by month as exact money, then 2025`, async () => {
      const answered = page.waitForResponse(r => r.url().includes('/api/v1/biz.orders/charts/monthly'), { timeout: T })
      await page.goto(`${host.base}/m/biz.orders/sales-by-month`)
      await answered
      const chart = await readChart()
      expectJson('the header', chart.header, ['项目', '销售额（元）'])
      if (chart.rows.length !== 12) throw new Error(`${chart.rows.length} months`)
      expectJson('March', chart.rows[2], ['2026-03', '399.00'])
      expectJson('May', chart.rows[4], ['2026-05', '1479.50'])
      expectJson('June', chart.rows[5], ['2026-06', '0.00'])
      expectJson('the totals', chart.total, ['合计', '1878.50'])
      expectJson('the legend', await legend(), ['销售额（元）'])
      if (size === 'phone') await noOverflow('the sales chart on a phone')
      await shot(`charts-sales-${size}.png`)
      await pickYear(2025)
      const last = await readChart()
      expectJson('2025 November', last.rows[10], ['2025-11', '3840.00'])
      expectJson('2025 totals', last.total, ['合计', '3840.00'])
      await shot(`charts-sales-2025-${size}.png`)
    })
  }
})
