#!/usr/bin/env node
// Browser test of workflows, the to-do list and printed documents, on party.transfer
// (docs/web-shell.md, "Workflows, 待办 and documents"), with three branch secretaries:
//   - A (第一党支部) starts a transfer of 张三 to 第二党支部 through the generic card, picking the
//     receiver, outside A's scope, with the unit lookup; the card shows it 待确认 as a tag;
//   - B (第二党支部) has it as a home reminder linking to 待办, and in 待办 (count in the header,
//     sender -> receiver by path); B reads the card without 保存/删除 (a notice says who edits
//     it) yet is offered 确认转入, and the letter it may not print shows why; a refusal of the step dialog shows under its field in
//     Chinese; B confirms it from 待办 (the date prefilled with today, a comment); 张三 is then
//     on B's member list, and the card's timeline shows who confirmed, when, 待确认 -> 已转入;
//   - C (北区党支部) sees no transfer, no to-do and no reminder;
//   - A starts an out-of-system transfer of 李四 and prints the introduction letter: the print
//     view shows its number (2026第0001号), calls window.print(), and prints 3 A4 pages
//     (page.pdf()); the card lists the copy, and 重新打印 shows the same number;
//   - A records a transfer in from outside the system (系统外转入): the intake form's
//     新建党员信息卡… opens the member card's own form in a dialog (its sections; a wrong
//     check digit refused there by the server, in Chinese), whose saved member fills the
//     reference by name; the member is then on A's roll; on a phone the dialog fits and
//     closing it with something typed asks first;
//   - a save the server answers with warnings (party.flow: a year away at a fixed place) shows
//     them as a warning naming the field, not as an error, and the record is saved.
// Screenshots at 1440x900 and 390x844: transfer-<what>-<desktop|phone>.png.
//   node tests/e2e/transfer.mjs   (same options as run.mjs)
import fs from 'node:fs'
import path from 'node:path'
import { ADMIN, SIZES, T, apiClient, layoutChecks, login, runSuite, shellPage, idNumber } from './lib.mjs'

const SECRETARIES = {
  a: { username: 'sec-a', password: 'sec-a-e2e-pass', displayName: '甲书记' },
  b: { username: 'sec-b', password: 'sec-b-e2e-pass', displayName: '乙书记' },
  c: { username: 'sec-c', password: 'sec-c-e2e-pass', displayName: '丙书记' },
}
const TRANSFERS = '/m/party.transfer/transfers'

await runSuite({ plugins: ['party.daily', 'party.transfer', 'party.flow'] }, async ({ step, shot, page, host, opts }) => {
  const { field, input, choose, date } = shellPage(page)
  const api = apiClient(host.base)
  const { noOverflow, buttonsOnScreen } = layoutChecks(page)
  let token = ''
  const units = {}
  let today = ''

  await step('three branches, a secretary of each, and two members of the first', async () => {
    token = host.cli(['user', 'token', ADMIN.username, '--label', 'e2e']).trim().split(/\s+/).pop()
    const root = (await api('GET', '/api/v1/units', undefined, token)).items[0]
    const unit = async (parentId, name, code) => (await api('POST', '/api/v1/units', { parentId, name, code }, token)).id
    units.committee = await unit(root.id, '机关党委', 'JG')
    units.a = await unit(units.committee, '第一党支部', 'JG01')
    units.b = await unit(units.committee, '第二党支部', 'JG02')
    units.c = await unit(root.id, '北区党支部', 'BQ01')
    const permissions = (await api('GET', '/api/v1/permissions', undefined, token)).items.map(p => p.id ?? p.name)
      .filter(p => /^party\.(daily|transfer|flow)\./.test(p) || p === 'core.units.read')
    await api('POST', '/api/v1/roles', { name: 'secretary', label: '书记', permissions }, token)
    for (const [key, s] of Object.entries(SECRETARIES)) {
      host.cli(['user', 'add', s.username, '--display-name', s.displayName, '--unit', String(units[key]), '--password-stdin'], `${s.password}\n`)
      host.cli(['user', 'grant', s.username, 'secretary', '--scope', 'subtree', '--unit', String(units[key])])
    }
    const member = (name, sequence) => api('POST', '/api/v1/party.daily/members', {
      name, idNumber: idNumber('19800101', sequence), unitId: units.a, ethnicity: '01', education: '21',
      category: 'formal', joinDate: '2005-07-01', fullDate: '2006-07-01',
    }, token)
    await member('张三', '101')
    await member('李四', '102')
    await member('王五', '103')
    today = (await api('GET', '/api/v1/reminders', undefined, token)).date
    if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error(`the server's day is "${today}"`)
  })

  const as = async who => {
    await page.context().clearCookies()
    await login(page, host.base, SECRETARIES[who])
  }
  const newTransfer = async (memberName, kind) => {
    await page.goto(`${host.base}${TRANSFERS}`)
    await page.locator('[data-test=list-new]').click()
    await page.waitForURL(u => u.pathname === `${TRANSFERS.replace(/s$/, '')}/new`, { timeout: T })
    // The state is the workflow's: not on a new card, never an input.
    if (await field('state').count()) throw new Error('a new transfer shows its state field')
    await field('memberId').locator('.el-select__wrapper').click()
    await field('memberId').locator('input').pressSequentially(memberName)
    await page.locator('.el-select-dropdown__item:visible', { hasText: memberName }).click()
    await choose('kind', kind)
    await date('startedOn', today)
  }
  const saveNew = async () => {
    await page.locator('[data-test=card-save]').click()
    await page.waitForURL(u => /\/transfer\/\d+$/.test(u.pathname), { timeout: T }).catch(async e => {
      const shown = await page.locator('.el-form-item__error, [data-test=card-errors]').allInnerTexts()
      throw new Error(`${e.message.split('\n')[0]}; the card shows: ${shown.join(' | ') || 'no error'}`)
    })
    return Number(page.url().match(/\/(\d+)(\?|$)/)[1])
  }
  const stateTag = () => page.locator('[data-test=card-state]').innerText()
  // The shell's phone layout (☰) or desktop header, once the window is that size.
  const resize = async (size, shell = true) => {
    await page.setViewportSize(SIZES[size])
    if (shell) await page.locator(size === 'phone' ? '[data-test=nav-open]' : '[data-test=jobs-link]').first().waitFor({ timeout: T })
  }

  let within = 0
  await step('A starts a transfer to 第二党支部, found by the unit lookup outside A\'s scope', async () => {
    await page.setViewportSize(SIZES.desktop)
    await as('a')
    await newTransfer('张三', '系统内转出')
    // The receiver's field asks the host's lookup, which reaches the whole tree.
    const looked = page.waitForResponse(r => r.url().includes('/api/v1/units/lookup?') && r.url().includes('field=party.transfer%2Ftransfer%2FtoUnitId'), { timeout: T })
    await field('toUnitId').locator('.el-select__wrapper').click()
    await field('toUnitId').locator('input').pressSequentially('第二')
    const answer = await looked
    if (answer.status() !== 200) throw new Error(`the lookup answered ${answer.status()}`)
    const option = page.locator('[data-test=unit-lookup-option]:visible', { hasText: '第二党支部' })
    const optionText = await option.first().innerText()
    if (!optionText.includes('机关党委')) throw new Error(`the lookup's choice reads "${optionText}", not its path`)
    await option.first().click()
    await input('reason').fill('工作调动')
    within = await saveNew()
    await page.locator('[data-test=card-state]').waitFor({ timeout: T })
    if ((await stateTag()) !== '待确认') throw new Error(`the new transfer's state reads "${await stateTag()}"`)
    const to = await field('toUnitId').innerText()
    if (!to.includes('第二党支部')) throw new Error(`the receiver shows as "${to}"`)
    if (/#\d/.test(to)) throw new Error(`the receiver shows an id: "${to}"`)
    // The sender may not confirm for the receiver: no such button; 撤销 is A's.
    if (await page.locator('[data-test=card-step-confirm]').count()) throw new Error('the sender is offered 确认转入')
    await page.locator('[data-test=card-step-cancel]').waitFor({ timeout: T })
    // The sender's own record: theirs to edit and delete, no read-only notice.
    for (const t of ['card-save', 'card-delete']) if (!(await page.locator(`[data-test=${t}]`).count())) throw new Error(`the sender has no ${t}`)
    if (await page.locator('[data-test=card-view-only]').count()) throw new Error('the sender is told the transfer is read-only')
    await shot('transfer-card-sender-desktop.png')
  })

  await step('B has it as a home reminder leading to 待办, with the count in the header', async () => {
    await as('b')
    const reminder = page.locator('[data-test=reminders] li', { hasText: '组织关系转接待确认' })
    await reminder.waitFor({ timeout: T })
    const text = await reminder.innerText()
    if (!text.includes('1 条组织关系转接待确认，待您处理')) throw new Error(`the reminder reads "${text}"`)
    await page.locator('[data-test=todo-count]').first().waitFor({ timeout: T })
    const count = await page.locator('[data-test=todo-count]').first().innerText()
    if (count.trim() !== '1') throw new Error(`the header's 待办 count reads "${count}"`)
    await shot('transfer-reminder-desktop.png')
    await reminder.locator('a').click()
    await page.waitForURL(u => u.pathname === '/todo', { timeout: T })
    const item = page.locator('[data-test=todo-item]')
    await item.first().waitFor({ timeout: T })
    if ((await item.count()) !== 1) throw new Error(`待办 lists ${await item.count()} items`)
    const title = await item.locator('[data-test=todo-title]').innerText()
    const state = await item.locator('[data-test=todo-state]').innerText()
    const unitsText = await item.locator('[data-test=todo-units]').innerText()
    const since = await item.locator('[data-test=todo-since]').innerText()
    if (title !== '张三' || state !== '待确认') throw new Error(`the to-do reads "${title}", "${state}"`)
    if (!/第一党支部.*→.*第二党支部/.test(unitsText)) throw new Error(`the to-do's units read "${unitsText}"`)
    if (!new RegExp(`${today} \\d{2}:\\d{2}`).test(since) || /:\d{2}:\d{2}/.test(since)) throw new Error(`the to-do's time reads "${since}"`)
    if (/#\d/.test(await item.innerText())) throw new Error('the to-do shows an id')
    await shot('transfer-todo-desktop.png')
    await resize('phone')
    await item.first().waitFor({ timeout: T })
    await noOverflow('待办 on a phone')
    await shot('transfer-todo-phone.png')
    await resize('desktop')
  })

  await step('B reads the transfer: no 保存/删除, told who edits it, 确认转入 offered, the letter refused with its reason', async () => {
    await page.locator('[data-test=todo-item] [data-test=todo-title]').click()
    await page.waitForURL(u => u.pathname === `${TRANSFERS.replace(/s$/, '')}/${within}`, { timeout: T })
    await page.locator('[data-test=card-step-confirm]').waitFor({ timeout: T })
    for (const t of ['card-save', 'card-delete', 'card-edit']) {
      if (await page.locator(`[data-test=${t}]`).count()) throw new Error(`the receiver is offered ${t}`)
    }
    if (await page.locator('[data-test^=card-action-]').count()) throw new Error('the receiver is offered the record\'s own actions')
    const notice = page.locator('[data-test=card-view-only]')
    await notice.waitFor({ timeout: T })
    const said = await notice.innerText()
    if (!said.includes('确认转入') || !said.includes('第一党支部') || !said.includes('修改')) throw new Error(`the read-only notice reads "${said}"`)
    if (!(await notice.evaluate(el => el.classList.contains('el-alert--info')))) throw new Error('the read-only notice is not drawn as information')
    if (await page.locator('[data-test=card-errors]').count()) throw new Error('the receiver is shown an error')
    if ((await page.locator('.card-form').getAttribute('data-read-only')) !== 'true') throw new Error('the receiver\'s form is editable')
    if (await input('reason').isEditable()) throw new Error('the receiver may type into 转接原因')
    // 确认转入 opens its dialog from the card too (taken below, from 待办).
    await page.locator('[data-test=card-step-confirm]').click()
    await page.locator('[data-test=step-dialog-confirm] [data-field=confirmedOn] input').waitFor({ timeout: T })
    await page.locator('[data-test=step-dialog-confirm] [data-test=step-cancel]').click()
    await page.locator('[data-test=step-dialog-confirm]').waitFor({ state: 'hidden', timeout: T })
    // The letter is the sender's to print: the reason is shown, not a silent grey item.
    await page.locator('[data-test=card-documents-button]').click()
    const letter = page.locator('[data-test=print-document-letter]:visible')
    await letter.waitFor({ timeout: T })
    if ((await letter.getAttribute('aria-disabled')) !== 'true') throw new Error('the receiver may print the letter')
    const why = await letter.locator('[data-test=print-document-reason]').innerText()
    if (!why.includes('第一党支部') || !why.includes('办理组织关系转出') || !why.includes('打印') || /[A-Za-z]{3,}/.test(why)) {
      throw new Error(`the refused letter's reason reads "${why}"`)
    }
    await shot('transfer-card-receiver-desktop.png')
    await page.keyboard.press('Escape')
    await letter.waitFor({ state: 'hidden', timeout: T })
    await resize('phone')
    await page.locator('[data-test=card-view-only]').waitFor({ timeout: T })
    await noOverflow('the receiver\'s read-only transfer on a phone')
    await page.locator('[data-test=card-documents-button]').click()
    await letter.waitFor({ timeout: T })
    await noOverflow('the refused letter\'s reason on a phone')
    await shot('transfer-card-receiver-phone.png')
    await page.keyboard.press('Escape')
    await letter.waitFor({ state: 'hidden', timeout: T })
    await resize('desktop')
    await page.goto(`${host.base}/todo`)
    await page.locator('[data-test=todo-item]').first().waitFor({ timeout: T })
  })

  await step('B confirms it from 待办: the date is today, a refusal shows under its field in Chinese', async () => {
    await page.locator('[data-test=todo-step-confirm]').click()
    const dialog = page.locator('[data-test=step-dialog-confirm]')
    await dialog.locator('[data-field=confirmedOn] input').waitFor({ timeout: T })
    const day = await dialog.locator('[data-field=confirmedOn] input').inputValue()
    if (day !== today) throw new Error(`the step's date is prefilled with "${day}", not ${today}`)
    const required = await dialog.locator('[data-field=confirmedOn] .mark-system').count()
    if (!required) throw new Error('the required date is not marked')
    // The server's refusal goes under its field, in Chinese: the picker offers no day after
    // today, so the request is altered on its way to ask for tomorrow.
    const url = `**/api/v1/party.transfer/transfers/${within}/steps/confirm`
    await page.route(url, route => route.continue({
      postData: JSON.stringify({ ...JSON.parse(route.request().postData() || '{}'), confirmedOn: `${Number(today.slice(0, 4)) + 1}${today.slice(4)}` }),
    }))
    const refused = page.waitForResponse(r => r.url().includes(`/transfers/${within}/steps/confirm`), { timeout: T })
    await dialog.locator('[data-test=step-submit]').click()
    if ((await refused).status() !== 422) throw new Error(`a future date answered ${(await refused).status()}`)
    await page.unroute(url)
    const error = dialog.locator('[data-field=confirmedOn] .el-form-item__error')
    await error.waitFor({ timeout: T })
    const message = await error.innerText()
    if (!/[\u4e00-\u9fff]/.test(message) || /[A-Za-z]{4,}/.test(message)) throw new Error(`the refusal reads "${message}"`)
    await dialog.locator('[data-field=comment] textarea').fill('已接收，欢迎张三同志')
    await shot('transfer-step-dialog-desktop.png')
    const taken = page.waitForResponse(r => r.url().includes(`/transfers/${within}/steps/confirm`) && r.request().method() === 'POST', { timeout: T })
    await dialog.locator('[data-test=step-submit]').click()
    const r = await taken
    if (r.status() !== 200) throw new Error(`confirming answered ${r.status()}: ${await r.text()}`)
    if (!/^"\d+"$/.test(r.request().headers()['if-match'] || '')) throw new Error(`the step was sent with If-Match ${r.request().headers()['if-match']}`)
    await page.locator('[data-test=todo-empty]').waitFor({ timeout: T })
    await page.locator('[data-test=todo-count]').waitFor({ state: 'detached', timeout: T })
  })

  await step('张三 is on B\'s member list, and the card\'s timeline shows the confirmation', async () => {
    await page.goto(`${host.base}/m/party.daily/members?q=${encodeURIComponent('张三')}`)
    await page.locator('[data-test=list-table] .el-table__row', { hasText: '张三' }).waitFor({ timeout: T })
    await page.goto(`${host.base}${TRANSFERS.replace(/s$/, '')}/${within}`)
    await page.locator('[data-test=card-state]').waitFor({ timeout: T })
    if ((await stateTag()) !== '已转入') throw new Error(`the state reads "${await stateTag()}" after confirming`)
    const entry = page.locator('[data-test=step-entry][data-step=confirm]')
    await entry.waitFor({ timeout: T })
    const text = await entry.innerText()
    for (const want of ['乙书记', '确认转入', '待确认', '已转入', '已接收，欢迎张三同志']) {
      if (!text.includes(want)) throw new Error(`the timeline's entry "${text}" lacks ${want}`)
    }
    if (!new RegExp(`${today} \\d{2}:\\d{2}`).test(text)) throw new Error(`the timeline's entry has no time like ${today} 17:41: "${text}"`)
    if (await page.locator('[data-test^=card-step-]').count()) throw new Error('a confirmed transfer still offers steps')
    // The state is never an input of the card.
    if (await field('state').locator('input').count()) throw new Error('the state field is editable')
    await shot('transfer-timeline-desktop.png')
    await resize('phone')
    await noOverflow('the confirmed transfer on a phone')
    await shot('transfer-timeline-phone.png')
    await resize('desktop')
  })

  await step('B\'s list of transfers offers only 查看 on the one B receives: no 修改/删除, no selection', async () => {
    await page.goto(`${host.base}${TRANSFERS}`)
    const row = page.locator(`[data-test=list-table] .el-table__row.row-id-${within}`).first()
    await row.locator('[data-test=row-view]').waitFor({ timeout: T })
    for (const t of ['row-edit', 'row-delete']) {
      if (await row.locator(`[data-test=${t}]`).count()) throw new Error(`the receiver's row offers ${t}`)
    }
    if (!(await row.locator('.el-checkbox.is-disabled').count())) throw new Error('the receiver may select the row for deletion')
  })

  await step('C sees no transfer, no to-do and no reminder', async () => {
    await as('c')
    await page.locator('[data-test=reminders]').waitFor({ timeout: T })
    if (await page.locator('[data-test=reminders] li', { hasText: '组织关系转接' }).count()) throw new Error('C is reminded of a transfer')
    if (await page.locator('[data-test=todo-count]').count()) throw new Error('C has a 待办 count')
    await page.goto(`${host.base}/todo`)
    await page.locator('[data-test=todo-empty]').waitFor({ timeout: T })
    await page.goto(`${host.base}${TRANSFERS}`)
    await page.locator('[data-test=list-table] .el-table__empty-text').waitFor({ timeout: T })
    await page.goto(`${host.base}${TRANSFERS.replace(/s$/, '')}/${within}`)
    await page.locator('.el-alert', { hasText: '记录不存在或不在您的权限范围内' }).waitFor({ timeout: T })
  })

  let out = 0
  let number = ''
  await step('A starts an out-of-system transfer and prints its letter: the number, window.print(), 3 A4 pages', async () => {
    await as('a')
    await page.addInitScript(() => { window.print = () => { window.__printed = (window.__printed || 0) + 1 } })
    await newTransfer('李四', '转出到系统外')
    await input('toOrgName').fill('某市直机关工委')
    await input('duesPaidTo').fill(today.slice(0, 7))
    out = await saveNew()
    await page.locator('[data-test=card-documents-button]').click()
    const item = page.locator('[data-test=print-document-letter]:visible')
    await item.waitFor({ timeout: T })
    const printed = page.waitForResponse(r => r.url().includes(`/transfers/${out}/documents/letter`) && r.request().method() === 'POST', { timeout: T })
    await item.click()
    const r = await printed
    if (r.status() !== 201) throw new Error(`printing answered ${r.status()}: ${await r.text()}`)
    number = (await r.json()).number
    if (number !== `${today.slice(0, 4)}第0001号`) throw new Error(`the letter is numbered "${number}"`)
    await page.waitForURL(u => /\/printed\/\d+$/.test(u.pathname), { timeout: T })
    const html = page.locator('[data-test=document-html]')
    await html.waitFor({ timeout: T })
    const shown = await html.innerText()
    if (!shown.includes(`编号：${number}`)) throw new Error(`the print view does not show 编号：${number}`)
    if (!shown.includes('李四') || !shown.includes('某市直机关工委')) throw new Error('the letter lacks the member or the destination')
    if ((await page.locator('.letter-page').count()) !== 3) throw new Error(`the letter has ${await page.locator('.letter-page').count()} pages`)
    await page.waitForFunction(() => window.__printed === 1, null, { timeout: T })
    // Nothing of the shell: no header, no buttons in print.
    if (await page.locator('.shell-header').count()) throw new Error('the print view has the shell\'s header')
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: false })
    fs.writeFileSync(path.join(opts.artifacts, 'transfer-letter.pdf'), pdf)
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) || []).length
    if (pages !== 3) throw new Error(`the printed letter has ${pages} pages, not 3`)
    const boxes = [...pdf.toString('latin1').matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map(m => [Number(m[1]), Number(m[2])])
    if (!boxes.length || boxes.some(([w, h]) => Math.abs(w - 595.3) > 2 || Math.abs(h - 841.9) > 2)) throw new Error(`the printed pages are ${JSON.stringify(boxes)} pt, not A4`)
    await shot('transfer-letter-desktop.png')
    await resize('phone', false)
    await noOverflow('the letter on a phone')
    await shot('transfer-letter-phone.png')
    await resize('desktop', false)
  })

  await step('the card lists the printed copy, and 重新打印 shows the same number', async () => {
    await page.locator('[data-test=document-back]').click()
    const copy = page.locator('[data-test=printed-copy]')
    await copy.first().waitFor({ timeout: T })
    if ((await copy.count()) !== 1) throw new Error(`the card lists ${await copy.count()} copies`)
    const text = await copy.innerText()
    if (!text.includes(number) || !text.includes('甲书记') || !new RegExp(`${today} \\d{2}:\\d{2}`).test(text)) throw new Error(`the copy reads "${text}"`)
    await shot('transfer-printed-desktop.png')
    await resize('phone')
    await noOverflow('the card with its printed copies on a phone')
    await shot('transfer-printed-phone.png')
    await resize('desktop')
    await page.evaluate(() => { window.__printed = 0 })
    const again = page.waitForResponse(r => /\/transfers\/\d+\/printed\/\d+$/.test(new URL(r.url()).pathname), { timeout: T })
    await copy.locator('[data-test=reprint]').click()
    if ((await again).status() !== 200) throw new Error(`the kept copy answered ${(await again).status()}`)
    await page.locator('[data-test=document-html]').waitFor({ timeout: T })
    if (!(await page.locator('[data-test=document-html]').innerText()).includes(`编号：${number}`)) throw new Error('the copy printed again has another number')
    await page.waitForFunction(() => window.__printed === 1, null, { timeout: T })
  })

  await step('A records a transfer in from outside, creating the member in place from the intake form', async () => {
    await page.setViewportSize(SIZES.desktop)
    await page.goto(`${host.base}/m/party.transfer/intakes`)
    await page.locator('[data-test=list-new]').click()
    await page.waitForURL(u => u.pathname === '/m/party.transfer/intake/new', { timeout: T })
    await input('letterNo').fill('外字2026第12号')
    await input('fromOrgName').fill('某省直机关工委')
    await date('arrivedOn', today)
    await choose('kind', '党员')
    // 新建党员信息卡…: the member's own card, in a dialog.
    const create = field('memberId').locator('[data-test=reference-create]')
    if ((await create.innerText()).trim() !== '新建党员信息卡…') throw new Error(`the picker offers "${await create.innerText()}"`)
    await create.click()
    const dialog = page.locator('[data-test=reference-create-dialog]')
    await dialog.locator('.el-form-item[data-field="idNumber"]').waitFor({ timeout: T })
    if (!(await dialog.locator('.el-dialog__title').innerText()).includes('新建党员信息卡')) throw new Error('the dialog does not say what it creates')
    for (const s of ['basic', 'membership', 'contact']) {
      if (!(await dialog.locator(`[data-test=section-${s}]`).count())) throw new Error(`the dialog lacks the member card's section ${s}`)
    }
    const member = shellPage(page, dialog)
    await member.input('name').fill('赵六')
    // A wrong check digit: the server's refusal under its field in the dialog, in Chinese.
    const good = idNumber('19850301', '104')
    const bad = good.slice(0, 17) + (good[17] === '1' ? '2' : '1')
    await member.input('idNumber').fill(bad)
    await member.choose('ethnicity', '汉族')
    await member.choose('education', '大学本科毕业')
    await member.choose('category', '正式党员')
    await member.date('joinDate', '2010-07-01')
    await member.date('fullDate', '2011-07-01')
    const refused = page.waitForResponse(r => r.url().endsWith('/api/v1/party.daily/members') && r.request().method() === 'POST', { timeout: T })
    await dialog.locator('[data-test=card-save]').click()
    if ((await refused).status() !== 422) throw new Error(`a wrong check digit answered ${(await refused).status()}`)
    const error = member.field('idNumber').locator('.el-form-item__error')
    await error.waitFor({ timeout: T })
    const said = await error.innerText()
    if (!/[\u4e00-\u9fff]/.test(said) || /[A-Za-z]{4,}/.test(said)) throw new Error(`the refusal reads "${said}"`)
    await shot('transfer-intake-create-refused-desktop.png')
    await member.input('idNumber').fill(good)
    const created = page.waitForResponse(r => r.url().endsWith('/api/v1/party.daily/members') && r.request().method() === 'POST', { timeout: T })
    await dialog.locator('[data-test=card-save]').click()
    const r = await created
    if (r.status() !== 201) throw new Error(`creating the member answered ${r.status()}: ${await r.text()}`)
    const memberId = (await r.json()).id
    await dialog.waitFor({ state: 'hidden', timeout: T })
    // The new member fills the reference, by name; the intake's page is still the intake's.
    const picked = (await field('memberId').locator('.el-select__placeholder').first().innerText()).trim()
    if (picked !== '赵六') throw new Error(`the member field shows "${picked}"`)
    if (!page.url().endsWith('/m/party.transfer/intake/new')) throw new Error(`the page went to ${page.url()}`)
    await shot('transfer-intake-member-created-desktop.png')
    await page.locator('[data-test=card-save]').click()
    await page.waitForURL(u => /\/intake\/\d+$/.test(u.pathname), { timeout: T }).catch(async e => {
      const shown = await page.locator('.el-form-item__error, [data-test=card-errors]').allInnerTexts()
      throw new Error(`${e.message.split('\n')[0]}; the card shows: ${shown.join(' | ') || 'no error'}`)
    })
    await page.locator('[data-test=card-view][data-dirty=false]').waitFor({ timeout: T })
    if ((await input('memberName').inputValue()) !== '赵六') throw new Error(`the intake names "${await input('memberName').inputValue()}"`)
    // On A's roll, in A's branch.
    const listed = await api('GET', `/api/v1/party.daily/members?q=${encodeURIComponent('赵六')}`, undefined, token)
    if (listed.items.length !== 1 || listed.items[0].id !== memberId || listed.items[0].unitId !== units.a) {
      throw new Error(`赵六 is listed as ${JSON.stringify(listed.items.map(m => ({ id: m.id, unitId: m.unitId })))}`)
    }
    await page.goto(`${host.base}/m/party.daily/members?q=${encodeURIComponent('赵六')}`)
    await page.locator('[data-test=list-table] .el-table__row', { hasText: '赵六' }).waitFor({ timeout: T })
    await shot('transfer-intake-roll-desktop.png')
  })

  await step('on a phone the administrator\'s 新建党员信息卡… makes the member in the intake\'s unit; the dialog fits', async () => {
    await page.context().clearCookies()
    await login(page, host.base)
    await resize('phone')
    // The intake for 第二党支部 (picked in the tree): the new member starts there, not at the
    // administrator's own unit.
    await page.goto(`${host.base}/m/party.transfer/intake/new?unit=${units.b}`)
    await page.waitForFunction(() => document.querySelector('[data-field=unitId]')?.innerText.includes('第二党支部'), null, { timeout: T })
    await field('memberId').locator('[data-test=reference-create]').click()
    const dialog = page.locator('[data-test=reference-create-dialog]')
    await dialog.locator('.el-form-item[data-field="idNumber"]').waitFor({ timeout: T })
    const where = await dialog.locator('.el-form-item[data-field="unitId"]').innerText()
    if (!where.includes('第二党支部')) throw new Error(`the new member starts in "${where}", not the intake's 第二党支部`)
    await noOverflow('the member\'s form in the intake\'s dialog on a phone')
    await shot('transfer-intake-dialog-phone.png')
    // Something typed is not lost by closing: it asks first.
    await shellPage(page, dialog).input('name').fill('钱七')
    await dialog.locator('.el-dialog__headerbtn').click()
    const ask = page.locator('.el-message-box.reference-discard')
    await ask.waitFor({ timeout: T })
    await buttonsOnScreen('.el-message-box.reference-discard', 'the discard question on a phone')
    await ask.getByRole('button', { name: '关闭，不保存' }).click()
    await dialog.waitFor({ state: 'hidden', timeout: T })
    await resize('desktop')
    await as('a')
  })

  await step('a save with warnings shows them as a warning on the field, and is saved', async () => {
    await page.goto(`${host.base}/m/party.flow/flows`)
    await page.locator('[data-test=list-new]').click()
    await page.waitForURL(u => u.pathname === '/m/party.flow/flow/new', { timeout: T })
    await field('memberId').locator('.el-select__wrapper').click()
    await field('memberId').locator('input').pressSequentially('王五')
    await page.locator('.el-select-dropdown__item:visible', { hasText: '王五' }).click()
    await input('destination').fill('深圳市')
    await choose('reason', '外出务工经商')
    await date('leftOn', today)
    await date('expectedBack', `${Number(today.slice(0, 4)) + 1}${today.slice(4)}`)
    await field('fixedPlace').locator('.el-checkbox').click()
    const saved = page.waitForResponse(r => r.url().endsWith('/api/v1/party.flow/flows') && r.request().method() === 'POST', { timeout: T })
    await page.locator('[data-test=card-save]').click()
    const r = await saved
    if (r.status() !== 201 || !(await r.json()).warnings?.length) throw new Error(`the flow was answered ${r.status()} without warnings`)
    await page.waitForURL(u => /\/flow\/\d+$/.test(u.pathname), { timeout: T })
    const warning = page.locator('[data-test=card-warnings]')
    await warning.waitFor({ timeout: T })
    const text = await warning.innerText()
    if (!text.includes('预计返回日期') || !text.includes('应当转接组织关系')) throw new Error(`the warning reads "${text}"`)
    if (await page.locator('[data-test=card-errors]').count()) throw new Error('the warning is shown as an error')
    if (!(await warning.evaluate(el => el.classList.contains('el-alert--warning')))) throw new Error('the warning is not drawn as a warning')
    await shot('transfer-save-warning-desktop.png')
  })
})
