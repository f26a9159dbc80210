#!/usr/bin/env node
// Browser test of what the shell says and keeps for its users (issue 12, items 1 to 5), on a
// party.daily deployment filled by `tessera demo`, for the administrator and for a branch
// secretary scoped to one committee's subtree, each at desktop (1440x900) and phone (390x844):
//   - the server's refusals reach a zh-CN user in Chinese: a mistyped ID number says it was
//     probably mistyped and to check it against the ID card, a stale edit and a refused move
//     have no English sentence in them;
//   - a new member saved with gender, birth date and status left to the server gets no
//     warning that they are empty;
//   - a refused move of an organisation names both units by their paths, never by an id;
//   - closing the tab of a card with unsaved changes asks first;
//   - 导出选中 exports exactly the selected rows, their units by path, nothing above the
//     user's scope.
// Screenshots: messages-<what>-<user>-<desktop|phone>.png in the artifacts folder.
//   node tests/e2e/messages.mjs   (same options as run.mjs)
import fs from 'node:fs'
import { ADMIN, SECRETARY, T, runSuite, shellPage, apiClient, layoutChecks, addSecretary, forEachUserAndSize, idNumber } from './lib.mjs'

const MODULE = 'party.daily'

// Its last digit changed: the check digit no longer matches.
const mistyped = id => id.slice(0, 17) + (id[17] === '1' ? '2' : '1')
// An English sentence in text meant for a zh-CN reader (a word of four letters or more).
const english = text => text.match(/[A-Za-z]{4,}(?:\s+[A-Za-z]+)*/)?.[0]

await runSuite({
  plugins: [MODULE],
  prepare: cli => cli(['demo', '--organisations', '9', '--people', '60', '--depth', '3']),
}, async ({ step, shot, page, host }) => {
  const { field, input, listSettled, choose, date, saveAndWait } = shellPage(page)
  const { buttonsOnScreen } = layoutChecks(page)
  const api = apiClient(host.base)

  let token = ''
  let root = null
  let committee = null
  let general = null  // a unit directly under the committee
  let branch = null   // a unit under that one
  await step('a secretary scoped to one committee', async () => {
    token = host.cli(['user', 'token', ADMIN.username, '--label', 'e2e']).trim().split(/\s+/).pop()
    root = (await api('GET', '/api/v1/units', undefined, token)).items[0]
    committee = (await api('GET', `/api/v1/units?parent=${root.id}`, undefined, token)).items.find(u => u.childCount > 0)
    general = (await api('GET', `/api/v1/units?parent=${committee.id}`, undefined, token)).items.find(u => u.childCount > 0)
    branch = (await api('GET', `/api/v1/units?parent=${general.id}`, undefined, token)).items[0]
    await addSecretary(host, token, MODULE, committee.id)
  })

  const rows = page.locator('[data-test=list-table] .el-table__body-wrapper .el-table__row')
  // The message under field `name` lies above the next field, not over it.
  const errorFits = async name => {
    const overlap = await field(name).evaluate(item => {
      const error = item.querySelector('.el-form-item__error').getBoundingClientRect()
      const next = [...document.querySelectorAll('[data-test=card-view] .el-form-item')]
        .map(i => i.getBoundingClientRect()).filter(r => r.top >= item.getBoundingClientRect().bottom - 1 && r.left < error.right && r.right > error.left)
        .sort((a, b) => a.top - b.top)[0]
      return next && error.bottom > next.top + 1 ? `${Math.round(error.bottom)} > ${Math.round(next.top)}` : ''
    })
    if (overlap) throw new Error(`the message under ${name} lies over the next field (${overlap})`)
  }
  let sequence = 400

  await forEachUserAndSize({ page, step, host }, { admin: ADMIN, secretary: SECRETARY }, async ({ who, sizeName, tag }) => {
    const name = `消息${who === 'admin' ? '甲' : '乙'}${sizeName === 'desktop' ? '一' : '二'}`
    let memberId = 0

    await step(`${tag}: a mistyped ID number is refused in Chinese; the saved member gets no warning about what the server filled in`, async () => {
      await page.goto(`${host.base}/m/${MODULE}/member/new?unit=${branch.id}`)
      await page.locator('[data-test=card-view]').waitFor({ timeout: T })
      const id = idNumber('19880808', String(++sequence))
      await input('name').fill(name)
      await input('idNumber').fill(mistyped(id))
      await choose('ethnicity', '汉族')
      await choose('education', '大学本科毕业')
      await choose('category', '正式党员')
      await date('joinDate', '2012-07-01')
      await date('fullDate', '2013-07-01')
      await page.locator('[data-test=card-save]').click()
      const error = field('idNumber').locator('.el-form-item__error')
      await error.waitFor({ timeout: T })
      const said = (await error.innerText()).trim()
      if (!said.includes('可能输错') || !said.includes('身份证')) throw new Error(`the mistyped ID number is refused with "${said}"`)
      const cardText = await page.locator('[data-test=card-view]').innerText()
      if (english(cardText)) throw new Error(`the card shows English: "${english(cardText)}"`)
      await errorFits('idNumber')
      await shot(`messages-idnumber-${tag}.png`)

      // Corrected; gender, birth date and status left to the server.
      await input('idNumber').fill(id)
      const warnings = []
      const seen = () => page.locator('.el-message--warning').allInnerTexts().then(t => warnings.push(...t)).catch(() => {})
      await saveAndWait(u => /\/member\/\d+$/.test(u.pathname))
      memberId = Number(new URL(page.url()).pathname.split('/').pop())
      await page.locator('.el-message--success').last().waitFor({ timeout: T })
      await seen()
      await page.waitForTimeout(300)
      await seen()
      const about = warnings.filter(w => /性别|出生日期|党籍状态/.test(w))
      if (about.length) throw new Error(`after saving, the shell warns: ${about.join(' | ')}`)
      const stored = await api('GET', `/api/v1/${MODULE}/members/${memberId}`, undefined, token)
      if (!stored.gender || !stored.birthDate || !stored.status) throw new Error(`the server did not fill the member in: ${JSON.stringify(stored)}`)
    })

    await step(`${tag}: a stale edit is said in Chinese`, async () => {
      await page.goto(`${host.base}/m/${MODULE}/member/${memberId}`)
      await page.locator('[data-test=card-view][data-dirty=false]').waitFor({ timeout: T })
      // Someone else changes the member meanwhile.
      const { id: _, createdAt, updatedAt, ...m } = await api('GET', `/api/v1/${MODULE}/members/${memberId}`, undefined, token)
      await api('PUT', `/api/v1/${MODULE}/members/${memberId}`, { ...m, phone: '0571-8888 8888' }, token)
      await input('phone').fill('010-1234 5678')
      await page.locator('[data-test=card-save]').click()
      const stale = page.locator('[data-test=card-stale]')
      await stale.waitFor({ timeout: T })
      const said = (await stale.innerText()).trim()
      if (!said.includes('已被他人修改') || english(said)) throw new Error(`the stale edit says "${said}"`)
      await page.locator('[data-test=card-reload]').click()
      await stale.waitFor({ state: 'hidden', timeout: T })
      await page.waitForFunction(() => document.querySelector('[data-field=phone] input')?.value === '0571-8888 8888', null, { timeout: T })
    })

    await step(`${tag}: a refused move names both organisations by their paths, in Chinese, with no id`, async () => {
      await page.goto(`${host.base}/m/${MODULE}/org/${committee.id}`)
      await page.locator('[data-test=card-view][data-dirty=false]').waitFor({ timeout: T })
      // The committee under its own general branch, picked in the parent's tree (opened level
      // by level, each open before the next is clicked; picked again if a click landed on a
      // node still moving into place).
      const generalShown = who === 'admin' ? `${committee.name}/${general.name}` : general.name
      const picked = field('parentId').locator('[data-test=unit-picker-label]')
      for (let attempt = 1; ; attempt++) {
        await field('parentId').locator('.el-select__wrapper').first().click()
        const popper = page.locator('.el-tree-select__popper:visible')
        const exact = text => new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`)
        const content = unitName => popper.locator('.el-tree-node__content', { hasText: exact(unitName) }).first()
        for (const name of [...(who === 'admin' ? [root.name] : []), committee.name]) {
          const node = content(name).locator('xpath=..')
          if ((await node.getAttribute('aria-expanded')) !== 'true') await content(name).locator('.el-tree-node__expand-icon').click()
          await node.locator('xpath=./div[contains(@class, "el-tree-node__children")]//div[contains(@class, "el-tree-node__content")]').first().waitFor({ timeout: T })
        }
        await content(general.name).click()
        await page.keyboard.press('Escape')
        if ((await picked.textContent()).trim() === generalShown) break
        if (attempt === 3) throw new Error(`the parent picked shows "${(await picked.textContent()).trim()}", not ${generalShown}`)
      }
      await page.locator('[data-test=card-view][data-dirty=true]').waitFor({ timeout: T })
      await page.locator('[data-test=card-save]').click()
      const error = field('parentId').locator('.el-form-item__error')
      await error.waitFor({ timeout: T })
      const said = (await error.innerText()).trim()
      if (!said.includes(`“${committee.name}”`) || !said.includes(`“${generalShown}”`)) throw new Error(`the refused move says "${said}", expected “${committee.name}” and “${generalShown}”`)
      if (/[（(]\s*\d+\s*[)）]|#\s*\d/.test(said)) throw new Error(`the refused move names a unit by its id: "${said}"`)
      if (english(said)) throw new Error(`the refused move says "${said}" in English`)
      await errorFits('parentId')
      if (who === 'secretary' && said.includes(root.name)) throw new Error(`the secretary is told of ${root.name}, above their scope: "${said}"`)
      await shot(`messages-move-${tag}.png`)
      // Nothing moved.
      const unit = await api('GET', `/api/v1/units/${committee.id}`, undefined, token)
      if (unit.parentId !== root.id) throw new Error(`the committee now lies under ${unit.parentId}`)
    })

    await step(`${tag}: closing the tab of a card with unsaved changes asks first`, async () => {
      const tab = await page.context().newPage()
      try {
        await tab.setViewportSize(page.viewportSize())
        let asked = 0
        tab.on('dialog', d => { if (d.type() === 'beforeunload') asked++; return d.dismiss() })
        await tab.goto(`${host.base}/m/${MODULE}/member/${memberId}`)
        await tab.locator('[data-test=card-view][data-dirty=false]').waitFor({ timeout: T })
        const there = shellPage(tab)
        await there.input('phone').fill('010-8765 4321')
        await tab.locator('[data-test=card-view][data-dirty=true]').waitFor({ timeout: T })
        await tab.close({ runBeforeUnload: true })
        await tab.waitForTimeout(500)
        if (asked !== 1) throw new Error(`closing the edited card's tab asked ${asked} times`)
        if (tab.isClosed()) throw new Error('the tab closed although leaving was declined')
        if ((await there.input('phone').inputValue()) !== '010-8765 4321') throw new Error('the typed phone number is gone after declining to close')
      } finally {
        if (!tab.isClosed()) await tab.close()
      }
    })

    await step(`${tag}: 导出选中 exports exactly the selected rows, their units by path`, async () => {
      await page.goto(`${host.base}/m/${MODULE}/members?unit=${general.id}&size=10`)
      await listSettled()
      await rows.nth(2).waitFor({ timeout: T })
      const picked = []
      for (const i of [0, 2]) {
        await rows.nth(i).locator('.el-checkbox').click()
        picked.push((await rows.nth(i).locator('td:nth-child(2)').innerText()).trim())
      }
      const units = await rows.evaluateAll((trs, idx) => idx.map(i => trs[i].querySelector('[data-test=unit-label]')?.getAttribute('title') || ''), [0, 2])
      await page.locator('[data-test=list-export]').click()
      const item = page.locator('[data-test=export-selected-csv]:visible')
      await item.waitFor({ timeout: T })
      if (!(await item.innerText()).includes('导出选中的 2 条')) throw new Error(`the menu offers "${await item.innerText()}"`)
      await item.click()
      const dialog = page.locator('[data-test=job-dialog]')
      await dialog.locator('[data-test=job-state][data-state=succeeded]').waitFor({ timeout: T })
      const count = (await dialog.locator('[data-test=job-count]').innerText()).trim()
      if (count !== '2 / 2') throw new Error(`the export counted "${count}", expected "2 / 2"`)
      await buttonsOnScreen('[data-test=job-dialog]', 'the export dialog')
      await shot(`messages-export-selected-${tag}.png`)
      const download = page.waitForEvent('download', { timeout: T })
      await dialog.locator('[data-test=job-download]').click()
      const csv = fs.readFileSync(await (await download).path(), 'utf8').replace(/^\ufeff/, '')
      const lines = csv.trim().split(/\r?\n/)
      if (lines.length !== 3) throw new Error(`the export holds ${lines.length - 1} rows, expected the 2 selected:\n${csv.slice(0, 600)}`)
      for (const n of picked) if (!lines.some(l => l.includes(n))) throw new Error(`the export lacks ${n}:\n${csv.slice(0, 600)}`)
      if (/#\d/.test(csv)) throw new Error(`the export names something by its id:\n${csv.slice(0, 600)}`)
      // Units by the path below the exporter's top unit: the secretary's start at their committee.
      const unitPath = who === 'admin' ? `${committee.name}/${general.name}/` : `${general.name}/`
      if (!lines.slice(1).every(l => l.includes(unitPath))) throw new Error(`the rows do not name their units as ${unitPath}…:\n${csv.slice(0, 600)}`)
      if (who === 'secretary' && csv.includes(root.name)) throw new Error(`the secretary's export names ${root.name}, above their scope`)
      if (units.some(u => !u)) throw new Error('a selected row shows no unit')
      // The job is named as people would say it, in the dialog and in the job list alike.
      const heading = (await dialog.locator('.el-dialog__title').innerText()).trim()
      if (heading !== '导出党员信息卡（CSV）') throw new Error(`the export job is titled "${heading}"`)
      await dialog.locator('[data-test=job-close]').click()
      await dialog.waitFor({ state: 'hidden', timeout: T })
      await page.goto(`${host.base}/jobs`)
      const job = page.locator('[data-test=jobs-table] .el-table__row', { hasText: '导出' }).first()
      await job.waitFor({ timeout: T })
      const listed = await job.innerText()
      if (!listed.includes('导出党员信息卡（CSV）')) throw new Error(`the job list names the export "${listed}"`)
      // No job on the page names its format by its code or in English brackets: only （CSV）, （Excel）.
      const jobs = await page.locator('[data-test=jobs-table]').innerText()
      const formats = jobs.match(/[(（]\s*(csv|xlsx|excel)\s*[)）]/gi) || []
      const odd = formats.filter(f => f !== '（CSV）' && f !== '（Excel）')
      if (!formats.length || odd.length) throw new Error(`the job list says ${JSON.stringify(odd)}:\n${jobs.slice(0, 600)}`)
    })
  })
})
