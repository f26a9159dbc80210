#!/usr/bin/env node
// Browser test of party.develop's overview and one step, as the officer of a committee, on a
// deployment of party.daily and party.develop whose clock stands at 1 December 2026:
//   - 机关党委 has two branches: 第一党支部 with 王小明, a candidate filed with the higher
//     committee, and 李四, who applied on 2026-10-01 and was never talked to (overdue);
//     第二党支部 with 张三, an activist whose contacts were named on 2024-06-15 and who was never
//     reviewed (overdue); 赵正 and 钱正 are full members of 第一党支部;
//   - the stage overview (发展党员统计) for 机关党委 picked in the tree has a row per branch
//     with its stage counts and overdue steps; the 第一党支部 row drills down to that branch
//     (kept in the URL); the Excel export downloads a real workbook;
//   - on 王小明's development card the officer takes 9 确定入党介绍人 through the step dialog:
//     the date is today's, the two introducers are picked by name, and the card then shows
//     the stage 发展对象：已确定入党介绍人 with the step in its history and both introducers;
//   - the same at phone size: the overview scrolls sideways inside its table, no page overflow;
//     王小明's applicant card (party.daily) lists his steps with their dates and people.
// Screenshots: develop-<what>-<desktop|phone>.png in the artifacts folder.
//   node tests/e2e/develop.mjs   (same options as run.mjs)
import fs from 'node:fs'
import path from 'node:path'
import { ADMIN, SECRETARY, SIZES, T, apiClient, idNumber, layoutChecks, login, readReport, runSuite, shellPage } from './lib.mjs'

const CLOCK = '2026-12-01T02:00:00Z'   // 10:00 in Beijing
const TODAY = '2026-12-01'
const REPORT = '/m/party.develop/pipeline'

await runSuite({ plugins: ['party.daily', 'party.develop'], clock: CLOCK }, async ({ step, shot, page, host, opts }) => {
  const call = apiClient(host.base)
  let token = ''
  const api = (method, url, body) => call(method, url, body, token)
  const { field } = shellPage(page)
  const { noOverflow } = layoutChecks(page)
  let committee = 0
  let first = 0
  let development = 0
  let applicantCard = 0

  // Takes `stepId` on development record `id` with `body`, as the administrator.
  async function take(id, stepId, body) {
    const { version } = await api('GET', `/api/v1/party.develop/developments/${id}`)
    const r = await fetch(`${host.base}/api/v1/party.develop/developments/${id}/steps/${stepId}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'If-Match': `"${version}"` },
      body: JSON.stringify(body),
    })
    if (!r.ok) throw new Error(`step ${stepId} answered ${r.status}: ${await r.text()}`)
  }
  // An applicant of `unitId` and their development record, applied on `applied`.
  async function applicant(name, unitId, sequence, applied) {
    const card = await api('POST', '/api/v1/party.daily/applicants', { name, idNumber: idNumber('20000315', sequence), applicationDate: applied, unitId })
    const record = await api('POST', '/api/v1/party.develop/developments', { applicantId: card.id, applicationDate: applied })
    return { id: record.id, card: card.id }
  }

  await step('a committee of two branches, three people in development, and the committee\'s officer', async () => {
    token = host.cli(['user', 'token', ADMIN.username, '--label', 'e2e']).trim().split(/\s+/).pop()
    const root = (await api('GET', '/api/v1/units')).items[0]
    committee = (await api('POST', '/api/v1/units', { parentId: root.id, name: '机关党委', code: 'JG' })).id
    first = (await api('POST', '/api/v1/units', { parentId: committee, name: '第一党支部', code: 'JG01' })).id
    const second = (await api('POST', '/api/v1/units', { parentId: committee, name: '第二党支部', code: 'JG02' })).id
    const members = {}
    let sequence = 100
    for (const name of ['赵正', '钱正']) {
      members[name] = (await api('POST', '/api/v1/party.daily/members', {
        name, idNumber: idNumber('19800101', String(++sequence)), unitId: first, ethnicity: '01', education: '21',
        category: 'formal', joinDate: '2005-07-01', fullDate: '2006-07-01',
      })).id
    }
    ;({ id: development, card: applicantCard } = await applicant('王小明', first, '301', '2024-03-01'))
    const cultivation = [
      ['talk', { talkDate: '2024-03-20', talkBy: '支部书记 李强' }],
      ['activist', { activistDate: '2024-06-01', recommendation: '党员推荐' }],
      ['file-activist', { activistFiledDate: '2024-06-10' }],
      ['contacts', { contactsDate: '2024-06-15', contact1Id: members['赵正'] }],
    ]
    for (const [id, body] of [...cultivation,
      ['review', { lastReviewDate: '2024-12-15', reviewNotes: '表现良好' }],
      ['candidate', { candidateDate: '2025-06-15' }],
      ['file-candidate', { candidateFiledDate: '2025-06-20' }]]) await take(development, id, body)
    await applicant('李四', first, '302', '2026-10-01')
    const zhang = (await applicant('张三', second, '303', '2024-03-01')).id
    for (const [id, body] of cultivation) await take(zhang, id, body)
    const permissions = (await api('GET', '/api/v1/permissions')).items.map(p => p.id ?? p.name)
      .filter(p => /^party\.(daily|develop)\./.test(p) || p === 'core.units.read')
    await api('POST', '/api/v1/roles', { name: 'officer', label: '组织委员', permissions })
    host.cli(['user', 'add', SECRETARY.username, '--display-name', '王组织', '--unit', String(committee), '--password-stdin'], `${SECRETARY.password}\n`)
    host.cli(['user', 'grant', SECRETARY.username, 'officer', '--scope', 'subtree', '--unit', String(committee)])
    const today = (await api('GET', '/api/v1/reminders')).date
    if (today !== TODAY) throw new Error(`the host's today is ${today}, not ${TODAY}`)
  })

  // The row of `label`'s figures by column: { 入党申请人: '2', ... }.
  function figures(report, label) {
    const row = report.rows.find(r => r[0] === label)
    if (!row) throw new Error(`the report has no row ${label}: ${report.rows.map(r => r[0]).join('、')}`)
    return Object.fromEntries(report.header.map((h, i) => [h, row[i]]))
  }
  function expectFigures(report, label, expected) {
    const shown = figures(report, label)
    for (const [column, value] of Object.entries(expected)) {
      if (shown[column] !== value) throw new Error(`${label}'s ${column} is "${shown[column]}", not ${value}: ${JSON.stringify(shown)}`)
    }
  }

  // The overview of 机关党委 picked in the tree, then drilled down to 第一党支部.
  async function overviewAndDrillDown(tag) {
    await page.goto(`${host.base}${REPORT}?unit=${committee}`)
    await page.locator('[data-test=report-view]').waitFor({ timeout: T })
    await page.locator('[data-test=report-unit]', { hasText: '机关党委' }).waitFor({ timeout: T })
    const report = await readReport(page)
    expectFigures(report, '机关党委/第一党支部', { 入党申请人: '1', 发展对象: '1', 在发展中合计: '2', 超期未办: '1' })
    expectFigures(report, '机关党委/第二党支部', { 入党积极分子: '1', 在发展中合计: '1', 超期未办: '1' })
    if (!report.total || report.total[0] !== '合计' || report.total[report.header.indexOf('超期未办')] !== '2') {
      throw new Error(`the totals row is ${report.total?.join(' | ')}`)
    }
    // Overdue steps stand out: the 超期未办 cells in red.
    const alerted = await page.locator('[data-test=report-table] .el-table__body-wrapper [data-alert=true]').allInnerTexts()
    if (alerted.length !== 2 || alerted.some(v => v.trim() !== '1')) throw new Error(`the overdue cells standing out are ${JSON.stringify(alerted)}`)
    await shot(`develop-overview-${tag}.png`)
    await page.locator('[data-test=report-drill]', { hasText: '第一党支部' }).first().click()
    await page.waitForURL(u => u.searchParams.get('unit') === String(first), { timeout: T })
    await page.locator('[data-test=report-unit]', { hasText: '第一党支部' }).waitFor({ timeout: T })
    const branch = await readReport(page)
    if (branch.rows.length !== 1) throw new Error(`the branch shows ${branch.rows.length} rows: ${branch.rows.map(r => r[0]).join('、')}`)
    expectFigures(branch, '机关党委/第一党支部', { 入党申请人: '1', 发展对象: '1', 超期未办: '1' })
    if (await page.locator('[data-test=report-drill]').count()) throw new Error('the branch\'s own row still drills down')
  }

  await step('desktop: the officer opens 发展党员统计 from the menu and picks 机关党委 in the tree', async () => {
    await page.setViewportSize(SIZES.desktop)
    await login(page, host.base, SECRETARY)
    await page.goto(`${host.base}/m/party.develop/developments`)
    await page.locator('.menu a', { hasText: '发展党员统计' }).first().click()
    await page.locator('[data-test=report-view]').waitFor({ timeout: T })
    await page.locator('[data-test=org-tree] .el-tree-node__content', { hasText: '机关党委' }).first().click()
    await page.waitForURL(u => u.searchParams.get('unit') === String(committee), { timeout: T })
    await readReport(page)
  })

  await step('desktop: stage counts by branch with overdue steps, drilled down to 第一党支部; Excel', async () => {
    await overviewAndDrillDown('desktop')
    const download = page.waitForEvent('download', { timeout: T })
    await page.locator('[data-test=report-export-xlsx]').click()
    const file = await download
    const given = file.suggestedFilename()
    if (!given.includes('发展党员') || !given.endsWith('.xlsx')) throw new Error(`the export is named "${given}"`)
    const saved = path.join(opts.artifacts, 'develop-pipeline.xlsx')
    await file.saveAs(saved)
    const head = fs.readFileSync(saved).subarray(0, 2)
    if (head[0] !== 0x50 || head[1] !== 0x4b) throw new Error(`the export is no workbook: it starts with ${head.toString('hex')}`)
    await shot('develop-drilled-desktop.png')
  })

  // Picks `name` in the step dialog's member reference `fieldName`, searched by name.
  async function pickMember(dialog, fieldName, name) {
    const box = dialog.locator(`.el-form-item[data-field="${fieldName}"]`)
    const searched = page.waitForResponse(r => r.url().includes('/api/v1/party.daily/members?') && r.url().includes('q='), { timeout: T })
    await box.locator('.el-select__wrapper').click()
    await box.locator('input').pressSequentially(name)
    await searched
    await page.locator('.el-select-dropdown__item:visible', { hasText: name }).first().click()
  }

  await step('desktop: 9 确定入党介绍人 recorded on 王小明\'s card with 赵正 and 钱正', async () => {
    await page.goto(`${host.base}/m/party.develop/development/${development}`)
    await page.locator('[data-test=card-step-introducers]').click()
    const dialog = page.locator('[data-test=step-dialog-introducers]')
    await dialog.locator('[data-field=introducersDate] input').waitFor({ timeout: T })
    const day = await dialog.locator('[data-field=introducersDate] input').inputValue()
    if (day !== TODAY) throw new Error(`the step's date is prefilled with "${day}", not ${TODAY}`)
    await pickMember(dialog, 'introducer1Id', '赵正')
    await pickMember(dialog, 'introducer2Id', '钱正')
    await shot('develop-step-dialog-desktop.png')
    const sent = page.waitForResponse(r => r.url().includes(`/developments/${development}/steps/introducers`) && r.request().method() === 'POST', { timeout: T })
    await dialog.locator('[data-test=step-submit]').click()
    const answer = await sent
    if (answer.status() !== 200) throw new Error(`the step answered ${answer.status()}: ${await answer.text()}`)
    await dialog.waitFor({ state: 'hidden', timeout: T })
    await page.locator('[data-test=step-entry][data-step=introducers]').waitFor({ timeout: T })
    const state = (await field('state').innerText()).trim()
    if (!state.includes('已确定入党介绍人')) throw new Error(`the card's stage shows "${state}"`)
    for (const [name, who] of [['introducer1Id', '赵正'], ['introducer2Id', '钱正']]) {
      const shown = (await field(name).innerText()).trim()
      if (!shown.includes(who)) throw new Error(`${name} shows "${shown}", not ${who}`)
    }
    const saved = await api('GET', `/api/v1/party.develop/developments/${development}`)
    if (saved.state !== 'introduced' || saved.introducersDate !== TODAY) throw new Error(`the record is ${saved.state} on ${saved.introducersDate}`)
    await shot('develop-step-desktop.png')
  })

  await step('phone: the overview and its drill-down fit, the table scrolls sideways', async () => {
    await page.setViewportSize(SIZES.phone)
    await overviewAndDrillDown('phone')
    await noOverflow('the overview at phone size')
    const scrolls = await page.locator('[data-test=report-table] .el-table__body-wrapper .el-scrollbar__wrap').evaluate(w => w.scrollWidth > w.clientWidth)
    if (!scrolls) throw new Error('the overview\'s table does not scroll sideways on a phone')
    await shot('develop-drilled-phone.png')
  })

  await step('phone: 王小明\'s card shows the step with its introducers', async () => {
    await page.goto(`${host.base}/m/party.develop/development/${development}`)
    await page.locator('[data-test=step-entry][data-step=introducers]').waitFor({ timeout: T })
    const shown = (await field('introducer2Id').innerText()).trim()
    if (!shown.includes('钱正')) throw new Error(`the second introducer shows "${shown}"`)
    await noOverflow('the development card at phone size')
    await shot('develop-step-phone.png')
  })

  await step('phone: 王小明\'s applicant card lists his development steps with dates and people', async () => {
    await page.goto(`${host.base}/m/party.daily/applicant/${applicantCard}`)
    const section = page.locator('[data-test=contributed-applicant-steps]')
    await section.locator('.el-table__body-wrapper tr.el-table__row').first().waitFor({ timeout: T })
    const rows = await section.locator('.el-table__body-wrapper tr.el-table__row')
      .evaluateAll(trs => trs.map(tr => [...tr.querySelectorAll('td')].map(td => td.innerText.trim())))
    const introducers = rows.find(r => r[0] === '9 确定入党介绍人')
    if (!introducers || introducers[1] !== TODAY || introducers[2] !== '赵正、钱正') {
      throw new Error(`the section's steps are ${rows.map(r => r.join(' ')).join(' | ')}`)
    }
    if (!rows.some(r => r[0] === '2 谈话' && r[2] === '支部书记 李强')) throw new Error(`no talk with its talker: ${rows.map(r => r.join(' ')).join(' | ')}`)
    await section.scrollIntoViewIfNeeded()
    await shot('develop-applicant-steps-phone.png')
  })
})
