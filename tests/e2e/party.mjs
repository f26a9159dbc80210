#!/usr/bin/env node
// Browser test of party.daily through the generic shell: an organisation created from the
// organisation tree and its card, a member card with every field kind (drop-downs from the
// national dictionaries, dates, a checkbox, a sub-form edited in a dialog), a server-side
// rule shown on its field, the printed member card, and imports of organisations and
// members from CSV files (dry run with an error report, then the fixed file); then, as the
// organisation's own secretary at phone size (390x844): their member list, the rule on its
// field, the printed card, the charts and the refused delete (*-secretary-phone.png).
//   node tests/e2e/party.mjs   (same options as run.mjs)
import fs from 'node:fs'
import path from 'node:path'
import { ADMIN, SECRETARY, SIZES, T, addSecretary, idNumber, layoutChecks, login, runSuite, shellPage } from './lib.mjs'

const MODULE = 'party.daily'
const stamp = Date.now().toString(36)
const ORG = `E2E第一党支部-${stamp}`
const MEMBER = '李秀英'

// fx.sections (a test fixture) adds a "history" section (履历) to the member card.
await runSuite({ plugins: [MODULE, 'fx.sections'] }, async ({ step, shot, page, host, opts }) => {
  const { field, input, listSettled, save, saveAndWait, expectSaved, choose, date } = shellPage(page)
  const rootName = (await (await fetch(`${host.base}/api/v1/health`)).json()).deployment

  await step('log in and see the party module', async () => {
    await login(page, host.base)
    await page.locator(`[data-tile="${MODULE}"]`).waitFor({ timeout: T })
  })

  let orgUrl = ''
  await step('create an organisation under the root from the organisation tree', async () => {
    await page.goto(`${host.base}/m/${MODULE}/orgs`)
    await listSettled()
    // Pick the root in the tree: the new organisation goes under it.
    await page.locator('[data-test=org-tree] .el-tree-node__content', { hasText: rootName }).first().click()
    await page.waitForURL(u => u.searchParams.has('unit'), { timeout: T })
    await page.locator('[data-test=list-new]').click()
    await page.waitForURL(u => u.pathname === `/m/${MODULE}/org/new`, { timeout: T })
    await input('fullName').fill(ORG)
    await choose('orgType', '党支部')
    await date('setupDate', '2015-07-01')
    const shown = await field('parentId').innerText()
    if (!shown.includes(rootName)) throw new Error(`the parent shows "${shown}", expected the unit picked in the tree (${rootName})`)
    await field('retirementBranch').locator('.el-checkbox').click()
    await saveAndWait(u => /\/org\/\d+$/.test(u.pathname))
    await expectSaved()
    orgUrl = page.url().split('?')[0]
    // The tree shows the new organisation under the root without a reload.
    await page.locator('[data-test=org-tree] .el-tree-node__content', { hasText: ORG }).waitFor({ timeout: T })
  })

  let memberUrl = ''
  await step('create a member in it with every field kind', async () => {
    await page.locator('.menu a', { hasText: '党员' }).first().click()
    await page.waitForURL(u => u.pathname === `/m/${MODULE}/members`, { timeout: T })
    await page.locator('[data-test=org-tree] .el-tree-node__content', { hasText: ORG }).first().click()
    await page.waitForURL(u => u.searchParams.has('unit'), { timeout: T })
    await listSettled()
    await page.locator('[data-test=list-new]').click()
    await page.waitForURL(u => u.pathname === `/m/${MODULE}/member/new`, { timeout: T })
    if (!(await field('unitId').innerText()).includes(ORG)) throw new Error('the new member does not start in the organisation picked in the tree')
    await input('name').fill(MEMBER)
    await input('idNumber').fill(idNumber())
    await choose('ethnicity', '汉族')
    await choose('education', '大学本科毕业')
    await choose('category', '正式党员')
    await date('joinDate', '2008-07-01')
    await date('fullDate', '2009-07-01')
    await input('phone').fill('010-6512 3456')
    // A sub-form row, edited in its dialog.
    await field('awards').getByRole('button', { name: /添加/ }).click()
    const dialog = page.locator('.el-dialog:visible')
    await dialog.waitFor({ timeout: T })
    const when = dialog.locator('.el-date-editor input').first()
    for (let attempt = 1; (await when.inputValue()) !== '2019-07-01'; attempt++) {
      if (attempt > 3) throw new Error(`the award date shows "${await when.inputValue()}"`)
      await when.click()
      await when.fill('2019-07-01')
      await when.press('Enter')
    }
    await dialog.locator('.el-form-item', { hasText: '类别' }).locator('.el-select__wrapper, .el-select').first().click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '奖励' }).first().click()
    await dialog.locator('.el-form-item', { hasText: '名称' }).locator('input').first().fill('优秀共产党员')
    await dialog.getByRole('button', { name: /确定/ }).click()
    await dialog.waitFor({ state: 'hidden', timeout: T })
    await field('awards').getByText('优秀共产党员').waitFor({ timeout: T })
    await saveAndWait(u => /\/member\/\d+$/.test(u.pathname))
    await expectSaved()
    memberUrl = page.url().split('?')[0]
    // Gender and birth date come from the ID number.
    await page.reload()
    await page.waitForFunction(() => document.querySelector('[data-field=birthDate] input')?.value === '1985-03-15', null, { timeout: T })
    const gender = await field('gender').innerText()
    if (!gender.includes('女')) throw new Error(`gender shows "${gender}", expected 女 from the ID number`)
    // The section another plugin adds to the card, with the rows it gives for this member.
    const memberId = memberUrl.split('/').pop()
    await page.locator('[data-test=contributed-history]').getByText(`record ${memberId}`).waitFor({ timeout: T })
    await shot('member-card.png')
  })

  await step('a server-side rule shows on its field', async () => {
    await date('fullDate', '2008-06-01')
    await save()
    const item = field('fullDate')
    await item.locator('.el-form-item__error').waitFor({ timeout: T })
    const message = await item.locator('.el-form-item__error').innerText()
    // The server says it in the shell's language (zh-CN), from party.daily's catalogue.
    if (!message.includes('不晚于入党日期')) throw new Error(`fullDate shows "${message}"`)
    await page.reload()
    await page.waitForFunction(() => document.querySelector('[data-field=fullDate] input')?.value === '2009-07-01', null, { timeout: T })
  })

  await step('print the member card', async () => {
    await page.goto(memberUrl)
    await page.locator('[data-test=card-print]').click()
    await page.waitForURL(u => u.pathname.endsWith('/print'), { timeout: T })
    const doc = page.locator('[data-test=print-view]')
    await doc.waitFor({ timeout: T })
    for (const text of [MEMBER, idNumber(), '汉族', '正式党员', '女', ORG, '优秀共产党员', '民族', '入党日期', '履历', 'record ']) {
      await doc.getByText(text, { exact: false }).first().waitFor({ timeout: T })
    }
    await page.waitForLoadState('networkidle')
    await page.emulateMedia({ media: 'print' })
    await shot('member-print.png')
    await page.emulateMedia({ media: 'screen' })
  })

  await step('member counts of the organisation as charts', async () => {
    await page.goto(orgUrl)
    await page.locator('.menu a', { hasText: '党员统计' }).click()
    await page.waitForURL(u => u.pathname === `/m/${MODULE}/by-category`, { timeout: T })
    // Found with the tree's search box this time.
    await page.locator('[data-test=org-search]').fill(stamp)
    await page.locator('[data-test=org-tree] .hits li', { hasText: ORG }).first().click()
    await page.waitForURL(u => u.searchParams.has('unit'), { timeout: T })
    await page.locator('[data-test=chart-table] .el-table__row', { hasText: '正式党员' }).waitFor({ timeout: T })
    await page.locator('[data-test=chart-tabs]').getByText('党员性别分布').click()
    await page.waitForURL(u => u.pathname === `/m/${MODULE}/by-gender` && u.searchParams.has('unit'), { timeout: T })
    const row = page.locator('[data-test=chart-table] .el-table__row', { hasText: '女' })
    await row.waitFor({ timeout: T })
    const n = (await row.locator('td').nth(1).innerText()).trim()
    if (n !== '1') throw new Error(`the organisation counts ${n} women, expected 1`)
    await page.locator('[data-test=chart-canvas] canvas').waitFor({ timeout: T })
    await shot('member-chart.png')
  })

  await step('deleting the organisation while it has a member is refused with the reason', async () => {
    await page.goto(orgUrl)
    await page.locator('[data-test=card-delete]').click()
    await page.locator('.el-message-box').getByRole('button', { name: /确认/ }).click()
    const errors = page.locator('[data-test=card-errors]')
    await errors.waitFor({ timeout: T })
    const text = await errors.innerText()
    if (!text.includes('1 条党员信息卡')) throw new Error(`the refusal says "${text}"`)
    if (!text.startsWith('无法删除')) throw new Error(`the refusal is titled "${text.split('\n')[0]}", not 无法删除`)
    await errors.scrollIntoViewIfNeeded()
    await shot('org-delete-refused.png')
  })

  // Imports: a file written into the artifacts folder, picked in the list's 导入 dialog.
  const dialog = page.locator('[data-test=import-dialog]')
  const report = page.locator('[data-test=import-report]')
  const csv = (name, rows) => {
    const file = path.join(opts.artifacts, name)
    fs.writeFileSync(file, '\ufeff' + rows.map(r => r.join(',')).join('\r\n') + '\r\n')
    return file
  }
  let uploads = 0
  page.on('request', r => { if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/files') uploads++ })
  const openImport = async () => {
    await page.locator('[data-test=list-import]').click()
    await dialog.waitFor({ timeout: T })
  }
  // Picks `file`, clicks 试导入 or 导入 and waits for the report with these attributes.
  const runImport = async (file, button, attrs) => {
    if (file) {
      await dialog.locator('[data-test=import-file]').setInputFiles(file)
      await dialog.locator('[data-test=import-file-name]', { hasText: path.basename(file) }).waitFor({ timeout: T })
    }
    await dialog.locator(`[data-test=${button}]`).click()
    const selector = Object.entries(attrs).map(([k, v]) => `[data-${k}="${v}"]`).join('')
    try {
      await dialog.locator(`[data-test=import-report]${selector}`).waitFor({ timeout: T * 2 })
    } catch (e) {
      const shown = await dialog.locator('[data-test=import-error], [data-test=job-error], [data-test=import-report]').allInnerTexts()
      throw new Error(`${e.message.split('\n')[0]}; the dialog shows: ${shown.join(' | ') || 'nothing'}`)
    }
  }
  const closeImport = async () => {
    await dialog.locator('[data-test=import-close]').click()
    await dialog.waitFor({ state: 'hidden', timeout: T })
  }

  const BRANCH = `E2E临时党支部-${stamp}`
  const BRANCH_CODE = `E2E${stamp}`
  await step('import an organisation: the tree shows it under its parent at once', async () => {
    await page.goto(`${host.base}/m/${MODULE}/orgs`)
    await listSettled()
    const node = name => page.locator('[data-test=org-tree] .el-tree-node__content', { hasText: name }).first()
    await node(rootName).locator('.el-tree-node__expand-icon').click()
    await node(ORG).locator('.el-tree-node__expand-icon.is-leaf').waitFor({ state: 'attached', timeout: T })
    await openImport()
    // Imported at once, without a dry run.
    await runImport(csv('import-orgs.csv', [
      ['党组织代码', '党组织全称', '党组织类别', '上级党组织', '建立日期', '状态'],
      [BRANCH_CODE, BRANCH, '临时党支部', ORG, '2020-01-01', '正常'],
    ]), 'import-commit', { 'dry-run': 'false', committed: 'true', errors: '0' })
    const counts = await report.locator('[data-test=import-counts]').innerText()
    if (!counts.includes('共 1 行：新增 1，更新 0，未变 0')) throw new Error(`the report says "${counts}"`)
    await closeImport()
    await page.locator('[data-test=list-table] .el-table__row', { hasText: BRANCH }).waitFor({ timeout: T })
    // The organisation it went under is no longer a leaf in the tree, and opens to show it.
    await node(ORG).locator('.el-tree-node__expand-icon:not(.is-leaf)').click()
    await node(BRANCH).waitFor({ timeout: T })
  })

  await step('import members: the dry run reports a bad row and writes nothing; the fixed file imports', async () => {
    const GOOD = '王建国'
    const BAD = '赵小红'
    const badId = (() => { const id = idNumber('19920101', '246'); return id.slice(0, 17) + (id[17] === '0' ? '1' : '0') })()
    const header = ['姓名', '公民身份号码', '所在党组织', '人员类别', '入党日期', '转正日期']
    const good = [GOOD, idNumber('19900520', '235'), BRANCH_CODE, '正式党员', '2015-07-01', '2016-07-01']
    const bad = [BAD, badId, ORG, '预备党员', '2025-01-01', '']
    await page.goto(`${host.base}/m/${MODULE}/members`)
    await listSettled()
    await openImport()
    const before = uploads
    await runImport(csv('import-members-bad.csv', [header, good, bad]), 'import-dry-run', { 'dry-run': 'true', committed: 'false' })
    const counts = await report.locator('[data-test=import-counts]').innerText()
    if (counts.trim() !== '共 2 行') throw new Error(`the report says "${counts}": with errors nothing is imported, so it counts no 新增`)
    const failed = await report.locator('[data-test=import-failed]').innerText()
    if (!/有 \d+ 处错误，未导入任何数据/.test(failed)) throw new Error(`the report says "${failed}"`)
    const errorRow = report.locator('[data-test=import-errors] .el-table__row', { hasText: '公民身份号码' }).first()
    await errorRow.waitFor({ timeout: T })
    const cells = (await errorRow.locator('td').allInnerTexts()).map(c => c.trim())
    if (cells[0] !== '3' || cells[1] !== '公民身份号码') throw new Error(`the error row shows ${JSON.stringify(cells)}, expected row 3, column 公民身份号码`)
    // The full error report is the job's output.
    const href = await dialog.locator('[data-test=import-download-errors]').getAttribute('href')
    const errorsCsv = await (await page.request.get(`${host.base}${href}`)).text()
    if (!errorsCsv.includes('公民身份号码')) throw new Error(`the error report holds: ${errorsCsv.slice(0, 200)}`)
    await shot('import-errors.png')
    const listed = async name => (await (await page.request.get(`${host.base}/api/v1/${MODULE}/members`, { params: { q: name } })).json()).total
    if ((await listed(GOOD)) !== 0) throw new Error(`${GOOD} was written by a dry run with errors`)

    // Fixed: the bad row removed; a dry run, then 导入 with the same upload.
    await runImport(csv('import-members.csv', [header, good]), 'import-dry-run', { 'dry-run': 'true', committed: 'false', errors: '0' })
    await report.locator('[data-test=import-dry-ok]').waitFor({ timeout: T })
    const dryCounts = await report.locator('[data-test=import-counts]').innerText()
    if (!dryCounts.includes('共 1 行：将新增 1，更新 0，未变 0')) throw new Error(`the dry run says "${dryCounts}"`)
    // The file leaves 民族 empty, which a card should have: a warning to check, which does not stop the import.
    await report.locator('[data-test=import-warned]').waitFor({ timeout: T })
    const warned = report.locator('[data-test=import-warnings] .el-table__row', { hasText: '民族' }).first()
    await warned.waitFor({ timeout: T })
    const warning = (await warned.locator('td').allInnerTexts()).map(c => c.trim())
    if (warning[0] !== '2' || warning[1] !== '民族' || /[A-Za-z]{4,}/.test(warning[2])) throw new Error(`the warning row shows ${JSON.stringify(warning)}`)
    await shot('import-warnings.png')
    if ((await listed(GOOD)) !== 0) throw new Error(`${GOOD} was written by a dry run`)
    await runImport(null, 'import-commit', { 'dry-run': 'false', committed: 'true', errors: '0' })
    await report.locator('[data-test=import-done]').waitFor({ timeout: T })
    if (uploads - before !== 2) throw new Error(`${uploads - before} uploads for two files, expected the import to use the dry run's upload`)
    await closeImport()
    // The list shows the imported member without a reload.
    await page.locator('[data-test=list-table] .el-table__row', { hasText: GOOD }).waitFor({ timeout: T })
    if ((await listed(BAD)) !== 0) throw new Error(`${BAD} was imported`)
  })

  // The same checks for the organisation's own secretary (a scoped user) on a phone.
  const { noOverflow } = layoutChecks(page)
  await step('secretary-phone: the organisation\'s secretary logs in at 390x844 and sees its members only', async () => {
    const token = host.cli(['user', 'token', ADMIN.username, '--label', 'e2e']).trim().split(/\s+/).pop()
    await addSecretary(host, token, MODULE, Number(orgUrl.split('/').pop()))
    await page.context().clearCookies()
    await page.setViewportSize(SIZES.phone)
    await login(page, host.base, SECRETARY)
    await page.goto(`${host.base}/m/${MODULE}/members`)
    await listSettled()
    await page.locator('[data-test=list-table] .el-table__row', { hasText: MEMBER }).waitFor({ timeout: T })
    const text = await page.locator('[data-test=list-table]').innerText()
    if (text.includes('全部单位')) throw new Error('the secretary\'s list says 全部单位')
    await noOverflow('the secretary\'s member list on a phone')
    await shot('members-secretary-phone.png')
  })

  await step('secretary-phone: a server-side rule shows on its field', async () => {
    await page.goto(memberUrl)
    await page.waitForFunction(() => document.querySelector('[data-field=fullDate] input')?.value === '2009-07-01', null, { timeout: T })
    await date('fullDate', '2008-06-01')
    await save()
    const message = field('fullDate').locator('.el-form-item__error')
    await message.waitFor({ timeout: T })
    if (!(await message.innerText()).includes('不晚于入党日期')) throw new Error(`fullDate shows "${await message.innerText()}"`)
    await noOverflow('the member card with a field error on a phone')
    await shot('member-card-secretary-phone.png')
    await page.reload()
    await page.waitForFunction(() => document.querySelector('[data-field=fullDate] input')?.value === '2009-07-01', null, { timeout: T })
  })

  await step('secretary-phone: the printed member card names the organisation', async () => {
    await page.goto(`${memberUrl}/print`)
    const doc = page.locator('[data-test=print-view]')
    for (const text of [MEMBER, ORG, '正式党员']) await doc.getByText(text, { exact: false }).first().waitFor({ timeout: T })
    await page.waitForLoadState('networkidle')
    await noOverflow('the printed member card on a phone')
    await shot('member-print-secretary-phone.png')
  })

  await step('secretary-phone: member counts as charts', async () => {
    await page.goto(`${host.base}/m/${MODULE}/by-category`)
    await page.locator('[data-test=chart-table] .el-table__row', { hasText: '正式党员' }).waitFor({ timeout: T })
    await page.locator('[data-test=chart-canvas] canvas').waitFor({ timeout: T })
    await noOverflow('the charts on a phone')
    await shot('member-chart-secretary-phone.png')
  })

  await step('secretary-phone: deleting the organisation while it has a branch is refused as 无法删除', async () => {
    await page.goto(orgUrl)
    await page.locator('[data-test=card-view][data-dirty=false]').waitFor({ timeout: T })
    await page.locator('[data-test=card-delete]').click()
    await page.locator('.el-message-box').getByRole('button', { name: /确认/ }).click()
    const errors = page.locator('[data-test=card-errors]')
    await errors.waitFor({ timeout: T })
    const text = await errors.innerText()
    // (The branch imported above is under it now: the refusal names that first.)
    if (!text.startsWith('无法删除') || !text.includes(BRANCH)) throw new Error(`the refusal says "${text}"`)
    await noOverflow('the refused delete on a phone')
    await shot('org-delete-refused-secretary-phone.png')
  })
})
