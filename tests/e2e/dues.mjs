#!/usr/bin/env node
// Browser test of a quarter's party dues (party.dues) and the dues summary report, as a branch
// secretary, on a deployment of party.daily and party.dues whose clock stands at 15 December
// 2026 (the page's starts there too):
//   - the branch's four members have a base of 4000.00 yuan a month (1%: 40.00 due) from
//     October 2026, when the branch started recording dues;
//   - the secretary records the fourth quarter for three of them through the payment card's
//     form (菜单 党费交纳 → 新建): the member picked by name, 交纳截止年月 2026-12, the date and
//     how paid; the server fills 交纳起始年月 (the first month unpaid, 2026-10) and the amount
//     due (120.00);
//   - a payment of 100.00 for the fourth is refused on the amount field with the server's
//     message in Chinese (2026-10 to 2026-12 are due 120.00);
//   - the summary report (党费收缴汇总) for the branch picked in the tree shows the quarter paid
//     against due in exact yuan (360.00 of 480.00), by organisation and, chosen in the page
//     and kept in the URL, by month; each member's year (党员交纳情况) shows 交至年月 2026-12
//     for the three who paid; the Excel exports download real workbooks named after the
//     report, at desktop and phone size (where the table scrolls sideways);
//   - a member of another branch flowing in to this one (party.flow) pays here: the secretary,
//     who cannot read that member, picks them by name all the same (the picker finds them
//     through the flow) and the payment is saved with the member named on it.
// Screenshots: dues-<what>-<desktop|phone>.png in the artifacts folder.
//   node tests/e2e/dues.mjs   (same options as run.mjs)
import fs from 'node:fs'
import path from 'node:path'
import { ADMIN, SECRETARY, SIZES, T, apiClient, idNumber, layoutChecks, login, readReport, runSuite, shellPage } from './lib.mjs'

const CLOCK = '2026-12-15T02:00:00Z'   // 10:00 in Beijing
const TODAY = '2026-12-15'
const PAYMENTS = '/m/party.dues/payments'
const MEMBERS = ['王芳', '李强', '陈静', '赵磊']

await runSuite({ plugins: ['party.daily', 'party.flow', 'party.dues'], clock: CLOCK }, async ({ step, shot, page, host, opts }) => {
  const call = apiClient(host.base)
  let token = ''
  const api = (method, url, body) => call(method, url, body, token)
  const { field, input, choose, date } = shellPage(page)
  const { noOverflow } = layoutChecks(page)
  const errorOf = name => field(name).locator('.el-form-item__error')
  let branch = 0
  let summaryPath = ''

  await step('a branch of four members with a dues base from October 2026, and its secretary', async () => {
    token = host.cli(['user', 'token', ADMIN.username, '--label', 'e2e']).trim().split(/\s+/).pop()
    const root = (await api('GET', '/api/v1/units')).items[0]
    const committee = (await api('POST', '/api/v1/units', { parentId: root.id, name: '机关党委', code: 'JG' })).id
    branch = (await api('POST', '/api/v1/units', { parentId: committee, name: '第一党支部', code: 'JG01' })).id
    let sequence = 100
    for (const name of MEMBERS) {
      const member = await api('POST', '/api/v1/party.daily/members', {
        name, idNumber: idNumber('19800101', String(++sequence)), unitId: branch, ethnicity: '01', education: '21',
        category: 'formal', joinDate: '2005-07-01', fullDate: '2006-07-01',
      })
      await api('POST', '/api/v1/party.dues/profiles', { memberId: member.id, category: 'employed', base: '4000.00', fromMonth: '2026-10' })
    }
    await api('POST', '/api/v1/party.dues/starts', { unitId: branch, startMonth: '2026-10' })
    const permissions = (await api('GET', '/api/v1/permissions')).items.map(p => p.id ?? p.name)
      .filter(p => /^party\.(daily|dues)\./.test(p) || p === 'party.flow.read' || p === 'core.units.read')
    await api('POST', '/api/v1/roles', { name: 'secretary', label: '书记', permissions })
    host.cli(['user', 'add', SECRETARY.username, '--display-name', '张书记', '--unit', String(branch), '--password-stdin'], `${SECRETARY.password}\n`)
    host.cli(['user', 'grant', SECRETARY.username, 'secretary', '--scope', 'subtree', '--unit', String(branch)])
    // 周敏 of another branch works in this one's town: she flowed in to it in November.
    const second = (await api('POST', '/api/v1/units', { parentId: committee, name: '第二党支部', code: 'JG02' })).id
    const away = await api('POST', '/api/v1/party.daily/members', {
      name: '周敏', idNumber: idNumber('19900101', '201'), unitId: second, ethnicity: '01', education: '21',
      category: 'formal', joinDate: '2012-07-01', fullDate: '2013-07-01',
    })
    await api('POST', '/api/v1/party.dues/profiles', { memberId: away.id, category: 'employed', base: '4000.00', fromMonth: '2026-10' })
    await api('POST', '/api/v1/party.flow/flows', { memberId: away.id, destination: '本市', toUnitId: branch, reason: 'work', leftOn: '2026-11-01' })
    const today = (await api('GET', '/api/v1/reminders')).date
    if (today !== TODAY) throw new Error(`the host's today is ${today}, not ${TODAY}`)
  })

  // 党费交纳 → 新建: the member by name, paid to the end of the year, today, in cash.
  async function fillPayment(name, amount = '') {
    await page.locator('.menu a', { hasText: '党费交纳' }).first().click()
    await page.waitForURL(u => u.pathname === PAYMENTS, { timeout: T })
    await page.locator('[data-test=list-new]').click()
    await page.waitForURL(u => u.pathname === '/m/party.dues/payment/new', { timeout: T })
    const searched = page.waitForResponse(r => r.url().includes('/api/v1/party.daily/members?') && r.url().includes('q='), { timeout: T })
    await field('memberId').locator('.el-select__wrapper').click()
    await field('memberId').locator('input').pressSequentially(name)
    await searched
    await page.locator('.el-select-dropdown__item:visible', { hasText: name }).first().click()
    await input('toMonth').fill('2026-12')
    if (amount) await input('amount').fill(amount)
    await date('paidOn', TODAY)
    await choose('method', '现金')
  }

  // Saves the new payment; the server filled the months from 2026-10 and the 120.00 due.
  async function recordPayment(name) {
    await fillPayment(name)
    await page.locator('[data-test=card-save]').click()
    try {
      await page.waitForURL(u => /\/m\/party\.dues\/payment\/\d+$/.test(u.pathname), { timeout: T })
    } catch (e) {
      const shown = await page.locator('.el-form-item__error, [data-test=card-errors]').allInnerTexts()
      throw new Error(`${name}'s payment was not saved; the card shows: ${shown.join(' | ') || 'no error'}`)
    }
    await page.locator('[data-test=card-view][data-dirty=false]').waitFor({ timeout: T })
    // The saved record is read again: its months and amount as the server filled them.
    await page.waitForFunction(() => document.querySelector('.el-form-item[data-field=amount] input')?.value, null, { timeout: T })
    const from = await input('fromMonth').inputValue()
    const amount = await input('amount').inputValue()
    if (from !== '2026-10' || amount !== '120.00') throw new Error(`${name}'s payment is from "${from}" for "${amount}", not from 2026-10 for 120.00`)
  }

  await step('desktop: the secretary records the quarter for two members through the payment form', async () => {
    await page.setViewportSize(SIZES.desktop)
    await login(page, host.base, SECRETARY)
    await page.goto(`${host.base}${PAYMENTS}`)
    await recordPayment('王芳')
    await recordPayment('李强')
    await shot('dues-payment-desktop.png')
  })

  await step('desktop: a payment that is not what is due is refused on the amount, in Chinese', async () => {
    await fillPayment('赵磊', '100.00')
    await page.locator('[data-test=card-save]').click()
    await errorOf('amount').waitFor({ timeout: T })
    const said = (await errorOf('amount').innerText()).trim()
    if (!said.includes('120.00') || !said.includes('100.00') || !said.includes('应交')) throw new Error(`the amount field says "${said}"`)
    if (/[A-Za-z]{3,}/.test(said)) throw new Error(`the refusal is not in Chinese: ${said}`)
    if (!page.url().endsWith('/payment/new')) throw new Error(`the refused payment went to ${page.url()}`)
    await shot('dues-refused-desktop.png')
  })

  await step('phone: the third member\'s quarter recorded on a phone', async () => {
    await page.setViewportSize(SIZES.phone)
    // The card with the refused payment is left unsaved: the shell asks, and we leave.
    await page.goto(`${host.base}${PAYMENTS}`)
    await page.locator('[data-test=module-drawer-open]').click()
    await page.locator('[data-test=module-drawer]').waitFor({ timeout: T })
    await recordPayment('陈静')
    await noOverflow('the saved payment at phone size')
    await shot('dues-payment-phone.png')
  })

  const column = (report, label) => {
    const i = report.header.indexOf(label)
    if (i < 0) throw new Error(`the report has no column ${label}: ${report.header.join(' | ')}`)
    return i
  }

  // Exports the report as Excel: a real workbook (a ZIP: PK) named after the report's title.
  async function exportExcel(name, tag) {
    const download = page.waitForEvent('download', { timeout: T })
    await page.locator('[data-test=report-export-xlsx]').click()
    const file = await download
    const given = file.suggestedFilename()
    if (!given.startsWith('2026年') || !given.includes(name) || !given.endsWith('.xlsx')) throw new Error(`the export is named "${given}"`)
    const saved = path.join(opts.artifacts, `dues-${tag}.xlsx`)
    await file.saveAs(saved)
    const head = fs.readFileSync(saved).subarray(0, 4)
    if (head[0] !== 0x50 || head[1] !== 0x4b) throw new Error(`the export is no workbook: it starts with ${head.toString('hex')}`)
    if (await page.locator('[data-test=report-export-error]').count()) throw new Error('the page shows an export error')
  }
  // The totals row's due and paid, as shown (the columns so labelled).
  async function expectTotals(report, due, paid, labels = ['应交（元）', '已交（元）']) {
    if (!report.total) throw new Error('the report has no totals row')
    const shown = labels.map(label => report.total[column(report, label)])
    if (report.total[0] !== '合计' || shown[0] !== due || shown[1] !== paid) throw new Error(`the totals row is ${report.total.join(' | ')}`)
  }

  await step('desktop: the branch\'s summary shows the quarter paid against due, in exact yuan; Excel', async () => {
    await page.setViewportSize(SIZES.desktop)
    await page.goto(`${host.base}${PAYMENTS}`)
    await page.locator('.menu a', { hasText: '党费收缴汇总' }).first().click()
    await page.locator('[data-test=report-view]').waitFor({ timeout: T })
    // The branch picked in the organisation tree.
    await page.locator('[data-test=org-tree] .el-tree-node__content', { hasText: '第一党支部' }).first().click()
    await page.waitForURL(u => u.searchParams.get('unit') === String(branch), { timeout: T })
    await page.locator('[data-test=report-unit]', { hasText: '第一党支部' }).waitFor({ timeout: T })
    const report = await readReport(page)
    const title = (await page.locator('[data-test=report-title]').innerText()).trim()
    if (title !== '2026年党费收缴汇总（按党组织）') throw new Error(`the report's title is "${title}"`)
    await expectTotals(report, '480.00', '360.00')
    const row = report.rows.find(r => r[0].endsWith('第一党支部'))
    if (!row || row[column(report, '应交（元）')] !== '480.00' || row[column(report, '未交（元）')] !== '120.00') {
      throw new Error(`the branch's row is ${row?.join(' | ')}`)
    }
    for (const label of ['应交（元）', '已交（元）']) {
      const align = await page.locator('[data-test=report-table] .el-table__footer-wrapper td').nth(column(report, label))
        .evaluate(td => getComputedStyle(td.querySelector('.cell')).textAlign)
      if (align !== 'right') throw new Error(`${label} is aligned ${align}`)
    }
    await exportExcel('党费收缴汇总', 'summary-desktop')
    await shot('dues-summary-desktop.png')
  })

  await step('desktop: summed by month, kept in the URL: October to December paid, the totals the same', async () => {
    await page.locator('[data-test=report-param-by] .el-select__wrapper').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '按月份' }).first().click()
    await page.waitForURL(u => u.searchParams.get('by') === 'month' && u.searchParams.get('unit') === String(branch), { timeout: T })
    await page.locator('[data-test=report-title]', { hasText: '按月份' }).waitFor({ timeout: T })
    const report = await readReport(page)
    await expectTotals(report, '480.00', '360.00')
    const december = report.rows.find(r => r[0].includes('2026') && r[0].includes('12'))
    if (!december || december[column(report, '应交（元）')] !== '160.00' || december[column(report, '已交（元）')] !== '120.00') {
      throw new Error(`December is ${december?.join(' | ')}; the months are ${report.rows.map(r => r[0]).join('、')}`)
    }
    summaryPath = new URL(page.url()).pathname + new URL(page.url()).search
    await shot('dues-summary-month-desktop.png')
  })

  await step('desktop: each member\'s year: the three who paid are paid up to 2026-12; Excel', async () => {
    await page.locator('.menu a', { hasText: '党员交纳情况' }).first().click()
    await page.locator('[data-test=report-title]', { hasText: '党员交纳党费情况' }).waitFor({ timeout: T })
    const report = await readReport(page)
    const to = column(report, '交至年月')
    for (const name of MEMBERS) {
      const row = report.rows.find(r => r[0] === name)
      if (!row) throw new Error(`${name} is not in the report: ${report.rows.map(r => r[0]).join('、')}`)
      if (name === '赵磊' ? row[to] === '2026-12' : row[to] !== '2026-12') throw new Error(`${name} is paid up to "${row[to]}"`)
    }
    await expectTotals(report, '480.00', '360.00', ['本年应交（元）', '本年已交（元）'])
    await exportExcel('党员交纳党费情况', 'standing-desktop')
    await shot('dues-standing-desktop.png')
  })

  await step('phone: the bookmarked summary by month scrolls sideways and exports', async () => {
    await page.setViewportSize(SIZES.phone)
    await page.goto(`${host.base}${summaryPath}`)
    await page.locator('[data-test=report-view]').waitFor({ timeout: T })
    const report = await readReport(page)
    await expectTotals(report, '480.00', '360.00')
    const by = await page.locator('[data-test=report-param-by] .el-select__wrapper').innerText()
    if (!by.includes('按月份')) throw new Error(`the bookmark's 汇总方式 shows "${by}"`)
    await noOverflow('the report at phone size')
    const scrolls = await page.locator('[data-test=report-table] .el-table__body-wrapper .el-scrollbar__wrap').evaluate(w => w.scrollWidth > w.clientWidth)
    if (!scrolls) throw new Error('the report\'s table does not scroll sideways on a phone')
    await exportExcel('党费收缴汇总', 'summary-phone')
    await shot('dues-summary-phone.png')
  })

  await step('desktop: a member flowing in from another branch pays here, picked by name through the flow', async () => {
    await page.setViewportSize(SIZES.desktop)
    await page.goto(`${host.base}${PAYMENTS}`)
    await recordPayment('周敏')
    const member = (await field('memberId').innerText()).trim()
    if (!member.includes('周敏')) throw new Error(`the saved payment names its member "${member}"`)
    await shot('dues-flowing-in-desktop.png')
  })
})
