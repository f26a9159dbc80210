#!/usr/bin/env node
// Browser test of party.daily through the generic shell: an organisation created from the
// organisation tree and its card, a member card with every field kind (drop-downs from the
// national dictionaries, dates, a checkbox, a sub-form edited in a dialog), a server-side
// rule shown on its field, and the printed member card.
//   node tests/e2e/party.mjs   (same options as run.mjs)
import { T, login, runSuite, shellPage } from './lib.mjs'

const MODULE = 'party.daily'
const stamp = Date.now().toString(36)
const ORG = `E2E第一党支部-${stamp}`
const MEMBER = '李秀英'

// A valid citizen ID number (GB 11643) for a woman born on 1985-03-15.
function idNumber(birth = '19850315', sequence = '128') {
  const first17 = `110105${birth}${sequence}`
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i], 0)
  return first17 + '10X98765432'[sum % 11]
}

// fx.sections (a test fixture) adds a "history" section (履历) to the member card.
await runSuite({ plugins: [MODULE, 'fx.sections'] }, async ({ step, shot, page, host }) => {
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
    if (!message.includes('not after the join date')) throw new Error(`fullDate shows "${message}"`)
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
    if (!text.includes('1 member(s)')) throw new Error(`the refusal says "${text}"`)
  })
})
