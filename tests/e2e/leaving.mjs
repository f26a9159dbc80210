#!/usr/bin/env node
// Browser test of party members leaving and of the party reminders (issue 12, items 6 and 8),
// on a party.daily deployment filled by `tessera demo`, for the administrator and for a
// secretary scoped to one committee's subtree, at desktop (1440x900) and phone (390x844) size:
//   - the home page reminds of probation years ending, birthdays this month and members out of
//     contact for six months, each linking to the member list showing the members it counts
//     (birthdays: born in this month of any year);
//   - a member leaves through 减少 on the card: a dialog with the date and the reason from the
//     national list, a confirmation, then the card's PUT with If-Match; the card then shows
//     the decrease read only (before, not at all), and the member is found under the roll
//     filter 已减少, not under 在册党员, which the filter shows when none is picked;
//   - 撤销减少 puts a member recorded by mistake back on the roll.
// Screenshots: <what>-<user>-<desktop|phone>.png in the artifacts folder.
//   node tests/e2e/leaving.mjs   (same options as run.mjs)
import { ADMIN, SECRETARY, T, runSuite, shellPage, apiClient, layoutChecks, addSecretary, forEachUserAndSize, idNumber } from './lib.mjs'

const MODULE = 'party.daily'

const iso = d => d.toISOString().slice(0, 10)
const addDays = (day, n) => { const d = new Date(`${day}T00:00:00Z`); d.setUTCDate(d.getUTCDate() + n); return iso(d) }
const addMonths = (day, n) => { const d = new Date(`${day}T00:00:00Z`); d.setUTCMonth(d.getUTCMonth() + n); return iso(d) }

await runSuite({
  plugins: [MODULE],
  prepare: cli => cli(['demo', '--organisations', '9', '--people', '120', '--depth', '3']),
}, async ({ step, shot, page, host }) => {
  const { field, listSettled, choose } = shellPage(page)
  const api = apiClient(host.base)

  // The secretary (party.daily's rights on the first committee and below), the server's day,
  // and, in a branch of that committee, a probationary member whose year ends in ten days and
  // a member out of contact for seven months, born this month.
  let token = ''
  let committee = null
  let today = ''
  let branch = null
  let sequence = 300
  const member = async (name, changes = {}) => api('POST', `/api/v1/${MODULE}/members`, {
    name, idNumber: idNumber('19850101', String(++sequence)), unitId: branch.id, ethnicity: '01', education: '21',
    category: 'formal', joinDate: '2008-07-01', fullDate: '2009-07-01', ...changes,
  }, token)
  await step('a secretary scoped to one committee, and members to be reminded of', async () => {
    token = host.cli(['user', 'token', ADMIN.username, '--label', 'e2e']).trim().split(/\s+/).pop()
    const root = (await api('GET', '/api/v1/units', undefined, token)).items[0]
    const children = (await api('GET', `/api/v1/units?parent=${root.id}`, undefined, token)).items
    committee = children.find(u => u.childCount > 0)
    branch = (await api('GET', `/api/v1/units?parent=${committee.id}`, undefined, token)).items[0]
    await addSecretary(host, token, MODULE, committee.id)
    today = (await api('GET', '/api/v1/reminders', undefined, token)).date
    const joined = addDays(addMonths(today, -12), 10)
    await member('预备将满', { category: 'probationary', joinDate: joined, fullDate: undefined, idNumber: idNumber('19950101', '301') })
    await member('失联已久', { idNumber: idNumber(`1985${today.slice(5, 7)}01`, '302'), lostContact: true, lostContactDate: addMonths(today, -7) })
  })

  const rows = page.locator('[data-test=list-table] .el-table__body-wrapper .el-table__row')
  const names = () => rows.evaluateAll(trs => trs.map(tr => tr.querySelector('td:nth-child(2)')?.innerText.trim()))
  const reminder = words => page.locator('[data-test=reminders] li', { hasText: words })
  const { noOverflow, buttonsOnScreen } = layoutChecks(page)
  // The list's roll filter (人员范围): in the filter form, behind 筛选 on a phone.
  const rollFilter = async () => {
    const filter = page.locator('[data-test=filter-roll]')
    if (!(await filter.isVisible())) await page.locator('[data-test=filters-toggle]').click()
    await filter.waitFor({ timeout: T })
    return filter
  }
  const search = async name => {
    await page.locator('[data-test=list-search] input').first().fill(name)
    await page.locator('[data-test=list-search-button]').click()
    await page.waitForURL(u => u.searchParams.get('q') === name, { timeout: T })
    await listSettled()
  }

  await forEachUserAndSize({ page, step, host }, { admin: ADMIN, secretary: SECRETARY }, async ({ who, sizeName, tag }) => {
    await step(`${tag}: the home page reminds of the party's members, each linking to those it counts`, async () => {
      await page.goto(`${host.base}/`)
      const ending = reminder('预备期将在 30 天内期满')
      await ending.waitFor({ timeout: T })
      await reminder('过生日').waitFor({ timeout: T })
      await reminder('失去联系已满 6 个月').waitFor({ timeout: T })
      const text = await page.locator('[data-test=reminders]').innerText()
      if (/[A-Za-z]{4,}/.test(text.replace(/Tessera/g, ''))) throw new Error(`the reminders show English: ${text}`)
      await noOverflow('the home page')
      await shot(`party-reminders-${tag}.png`)

      const counted = Number((await ending.locator('.reminder-text').innerText()).match(/^(\d+) 名/)[1])
      await ending.locator('.reminder-text').click()
      await page.waitForURL(u => u.pathname === `/m/${MODULE}/members` && u.searchParams.get('category') === 'probationary', { timeout: T })
      await listSettled()
      const shown = await names()
      if (!shown.includes('预备将满')) throw new Error(`the linked list shows ${shown.join('、')}, not 预备将满`)
      if (shown.length !== counted) throw new Error(`the reminder counts ${counted}, its list shows ${shown.length}`)
      const category = page.locator('[data-test=filter-category]')
      if (sizeName === 'desktop' && !(await category.innerText()).includes('预备党员')) throw new Error(`the category filter shows "${await category.innerText()}"`)

      await page.goto(`${host.base}/`)
      await reminder('失去联系已满 6 个月').locator('.reminder-text').click()
      await page.waitForURL(u => u.searchParams.get('lostContact') === 'true', { timeout: T })
      await listSettled()
      const linked = page.locator('[data-test=link-filter-lostContact]')
      await linked.waitFor({ timeout: T })
      if (!(await linked.innerText()).includes('失去联系：是')) throw new Error(`the link's filter says "${await linked.innerText()}"`)
      const lost = await names()
      if (JSON.stringify(lost) !== JSON.stringify(['失联已久'])) throw new Error(`the out-of-contact list shows ${lost.join('、')}`)
      await noOverflow('the linked list')
      await shot(`party-reminder-list-${tag}.png`)

      // Birthdays: the members born in this month of any year, as many as the reminder counts.
      await page.goto(`${host.base}/`)
      const birthdays = reminder('过生日').locator('.reminder-text')
      const born = Number((await birthdays.innerText()).match(/本月有 (\d+) 名/)[1])
      await birthdays.click()
      const month = Number(today.slice(5, 7))
      await page.waitForURL(u => u.searchParams.get('birthDateMonth') === String(month), { timeout: T })
      await listSettled()
      const monthTag = page.locator('[data-test=link-filter-birthDateMonth]')
      if ((await monthTag.innerText()).trim() !== `出生日期：${month} 月`) throw new Error(`the link's filter says "${await monthTag.innerText()}"`)
      const total = Number((await page.locator('[data-test=list-pager] .el-pagination__total').innerText()).match(/\d+/)[0])
      if (total !== born) throw new Error(`the birthday reminder counts ${born}, its list shows ${total}`)
      if (!(await names()).includes('失联已久')) throw new Error(`the birthday list shows ${(await names()).join('、')}, not 失联已久 (born this month)`)
    })

    // A member of the branch who leaves, one per user and size.
    const name = `减少${who === 'admin' ? '甲' : '乙'}${sizeName === 'desktop' ? '一' : '二'}`
    let id = 0
    await step(`${tag}: 减少 on the member card records the date and reason, with If-Match`, async () => {
      id = (await member(name)).id
      await page.goto(`${host.base}/m/${MODULE}/member/${id}`)
      await page.locator('[data-test=card-view][data-dirty=false]').waitFor({ timeout: T })
      if (await page.locator('[data-test=section-decrease]').count()) throw new Error('the card shows the decrease fields of a member on the roll')
      if (sizeName === 'desktop') {
        // Unsaved changes first: 减少 waits for them to be saved or dropped.
        await field('phone').locator('input').fill('010-1234 5678')
        await page.locator('[data-test=card-view][data-dirty=true]').waitFor({ timeout: T })
        if (!(await page.locator('[data-test=card-action-decrease]').isDisabled())) throw new Error('减少 is offered on a card with unsaved changes')
        await page.reload()
        await page.locator('[data-test=card-view][data-dirty=false]').waitFor({ timeout: T })
      }
      await page.locator('[data-test=card-action-decrease]').click()
      const dialog = page.locator('[data-test=action-dialog-decrease]')
      await dialog.waitFor({ timeout: T })
      const when = dialog.locator('[data-field=leftDate] input')
      const local = await page.evaluate(() => { const d = new Date(); return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}` })
      if ((await when.inputValue()) !== local) throw new Error(`the date starts as "${await when.inputValue()}", not today ${local}`)
      // The reason is required: 下一步 without it stays on the form.
      await dialog.locator('[data-test=action-next]').click()
      await dialog.locator('[data-field=leftReason] .el-form-item__error').waitFor({ timeout: T })
      if (local !== today) { await when.fill(today); await when.press('Enter') }
      await dialog.locator('[data-field=leftReason] .el-select__wrapper').click()
      await page.locator('.el-select-dropdown__item:visible').first().waitFor({ timeout: T })
      const options = await page.locator('.el-select-dropdown__item:visible').allInnerTexts()
      for (const reason of ['组织关系转出', '死亡', '退党除名', '自行脱党除名', '劝退', '开除党籍', '取消预备党员资格'])
        if (!options.includes(reason)) throw new Error(`the reasons are ${options.join('、')}: no ${reason}`)
      // Picked, and the list closed, before going on: a click on an option still sliding into
      // place can miss it, and the open list would then lie over 下一步.
      const reasonBox = dialog.locator('[data-field=leftReason] .el-select__wrapper')
      for (let attempt = 1; ; attempt++) {
        await page.locator('.el-select-dropdown__item:visible', { hasText: '组织关系转出' }).click()
        await page.waitForFunction(() => ![...document.querySelectorAll('.el-select-dropdown__item')].some(i => i.offsetParent !== null), null, { timeout: T }).catch(() => {})
        if ((await reasonBox.innerText()).includes('组织关系转出')) break
        if (attempt === 3) throw new Error(`the reason shows "${await reasonBox.innerText()}" after picking 组织关系转出`)
        if (!(await page.locator('.el-select-dropdown__item:visible').count())) await reasonBox.click()
      }
      await noOverflow('the 减少 dialog')
      await buttonsOnScreen('[data-test=action-dialog-decrease]', 'the 减少 dialog')
      await shot(`leave-dialog-${tag}.png`)
      await dialog.locator('[data-test=action-next]').click()
      const question = await dialog.locator('[data-test=action-confirm-text]').innerText()
      if (!question.includes(name) || !question.includes(today) || !question.includes('组织关系转出')) throw new Error(`the confirmation says "${question}"`)
      await buttonsOnScreen('[data-test=action-dialog-decrease]', 'the confirmation')
      await shot(`leave-confirm-${tag}.png`)
      const put = page.waitForRequest(r => r.method() === 'PUT' && r.url().endsWith(`/members/${id}`), { timeout: T })
      await dialog.locator('[data-test=action-confirm]').click()
      const sent = await put
      if (!/^"\d+"$/.test(sent.headers()['if-match'] || '')) throw new Error(`the PUT sent If-Match ${sent.headers()['if-match']}`)
      const body = JSON.parse(sent.postData())
      if (body.leftDate !== today || body.leftReason !== 'transferred-out' || body.name !== name) throw new Error(`the PUT sent ${sent.postData()}`)
      await dialog.waitFor({ state: 'hidden', timeout: T })
      await page.locator('[data-test=card-done-decrease]').waitFor({ timeout: T })
      const section = page.locator('[data-test=section-decrease]')
      await section.waitFor({ timeout: T })
      if (!(await section.locator('[data-field=leftDate] input').isDisabled())) throw new Error('the decrease date can be edited as a plain field')
      if (!(await section.innerText()).includes('组织关系转出')) throw new Error(`the card's decrease section says "${await section.innerText()}"`)
      if (await page.locator('[data-test=card-action-decrease]').count()) throw new Error('减少 is still offered after the member left')
      await page.locator('[data-test=card-undo-decrease]').waitFor({ timeout: T })
      await noOverflow('the card of a member who left')
      await shot(`left-card-${tag}.png`)
      const stored = await api('GET', `/api/v1/${MODULE}/members/${id}`, undefined, token)
      if (stored.leftDate !== today || stored.leftReason !== 'transferred-out') throw new Error(`the member is stored as ${JSON.stringify(stored)}`)
    })

    await step(`${tag}: the roll filter shows 在册党员 until 已减少 is picked, which finds the member`, async () => {
      await page.goto(`${host.base}/m/${MODULE}/members`)
      await listSettled()
      await search(name)
      const roll = await rollFilter()
      const picked = await roll.locator('.el-select__wrapper').innerText()
      if (!picked.includes('在册党员')) throw new Error(`the roll filter shows "${picked}", not 在册党员`)
      if ((await rows.count()) !== 0) throw new Error(`${name} is still listed among the members on the roll`)
      await roll.locator('.el-select__wrapper').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '已减少' }).click()
      await page.locator('[data-test=list-search-button]').click()
      await page.waitForURL(u => u.searchParams.get('roll') === 'former', { timeout: T })
      await listSettled()
      if (JSON.stringify(await names()) !== JSON.stringify([name])) throw new Error(`under 已减少 the list shows ${(await names()).join('、')}`)
      if (!(await (await rollFilter()).locator('.el-select__wrapper').innerText()).includes('已减少')) throw new Error('the roll filter does not say 已减少')
      await noOverflow('the list of former members')
      await shot(`former-members-${tag}.png`)
    })

    if (sizeName === 'desktop') {
      await step(`${tag}: 撤销减少 puts a member recorded by mistake back on the roll`, async () => {
        await page.goto(`${host.base}/m/${MODULE}/member/${id}`)
        await page.locator('[data-test=card-undo-decrease]').click()
        const box = page.locator('.el-message-box.action-undo-confirm')
        await box.waitFor({ timeout: T })
        if (!(await box.innerText()).includes(name)) throw new Error(`the question says "${await box.innerText()}"`)
        await box.locator('.el-button--primary').click()
        await page.locator('[data-test=card-action-decrease]').waitFor({ timeout: T })
        if (await page.locator('[data-test=section-decrease]').count()) throw new Error('the decrease is still shown after undoing it')
        const stored = await api('GET', `/api/v1/${MODULE}/members/${id}`, undefined, token)
        if (stored.leftDate || stored.leftReason) throw new Error(`the member is stored as ${JSON.stringify(stored)}`)
      })
    }
  })
})
