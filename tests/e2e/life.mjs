#!/usr/bin/env node
// Browser test of a meeting (party.life, 组织生活) with its attendance and its files (issue 14),
// on a deployment with party.daily, party.flow and party.life, as a branch secretary:
//   - a new 支部党员大会 says its files wait for the first save; once saved, the server's
//     roster shows the branch's members by name (never an id) and the member flowing in to it
//     marked 流入党员（无表决权）;
//   - a member marked on leave with the reason, saved: the row and the counts say so;
//   - a photo (a PNG the browser draws) and a short video (a WebM the browser records from a
//     canvas, its duration written into it) uploaded together: the photo as a thumbnail that
//     opens the larger image, the video playing in place and seeking (currentTime moves, the
//     server answering ranges with 206); each file's bar moves while it is sent on a slowed
//     line, and a third file cancelled while it is sent is never the record's;
//   - a text file named .jpg is refused on that file with the server's reason in Chinese;
//   - a file deleted after its confirmation; at phone size the uploader is a tap with the
//     field's kinds as the picker's `accept`, and nothing runs off the screen.
// Screenshots: life-<what>-<desktop|phone>.png in the artifacts folder.
//   node tests/e2e/life.mjs   (same options as run.mjs)
import { ADMIN, SIZES, T, apiClient, idNumber, layoutChecks, login, runSuite, shellPage } from './lib.mjs'

const SECRETARY = { username: 'secretary', password: 'secretary-e2e-pass' }
const LIST = '/m/party.life/meetings'

// In the page: a real PNG drawn on a canvas, and a real WebM recorded from a canvas by
// MediaRecorder. Chromium writes a live WebM without its duration, so the Segment's Info gets
// a Duration element (EBML ID 0x4489, float64 in milliseconds): a file as a camera's would be.
async function makeMedia(page) {
  const made = await page.evaluate(async () => {
    const canvas = document.createElement('canvas')
    canvas.width = 320
    canvas.height = 240
    const g = canvas.getContext('2d')
    const frame = n => {
      g.fillStyle = `hsl(${(n * 9) % 360} 70% 45%)`
      g.fillRect(0, 0, 320, 240)
      g.fillStyle = '#fff'
      g.font = '48px sans-serif'
      g.fillText(`会议 ${n}`, 40, 140)
    }
    frame(0)
    const png = new Uint8Array(await (await new Promise(r => canvas.toBlob(r, 'image/png'))).arrayBuffer())
    const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: 'video/webm;codecs=vp8' })
    const chunks = []
    recorder.ondataavailable = e => chunks.push(e.data)
    let n = 0
    const timer = setInterval(() => frame(++n), 40)
    const started = performance.now()
    recorder.start(250)
    await new Promise(r => setTimeout(r, 3000))
    recorder.stop()
    await new Promise(r => { recorder.onstop = r })
    clearInterval(timer)
    const ms = performance.now() - started
    const webm = new Uint8Array(await new Blob(chunks).arrayBuffer())
    // The Info element (15 49 A9 66) with a one-byte size: insert the Duration at its start.
    let at = -1
    for (let i = 0; i + 4 < webm.length; i++) if (webm[i] === 0x15 && webm[i + 1] === 0x49 && webm[i + 2] === 0xa9 && webm[i + 3] === 0x66) { at = i; break }
    if (at < 0 || (webm[at + 4] & 0x80) === 0 || (webm[at + 4] & 0x7f) + 11 > 126) throw new Error('no Info element with a one-byte size in the recorded WebM')
    const duration = new Uint8Array(11)
    duration.set([0x44, 0x89, 0x88])
    new DataView(duration.buffer).setFloat64(3, ms)
    const out = new Uint8Array(webm.length + 11)
    out.set(webm.subarray(0, at + 5))
    out[at + 4] = 0x80 | ((webm[at + 4] & 0x7f) + 11)
    out.set(duration, at + 5)
    out.set(webm.subarray(at + 5), at + 16)
    return { png: Array.from(png), webm: Array.from(out), seconds: ms / 1000 }
  })
  return { png: Buffer.from(made.png), webm: Buffer.from(made.webm), seconds: made.seconds }
}

await runSuite({ plugins: ['party.daily', 'party.flow', 'party.life'] }, async ({ step, shot, page, host }) => {
  const { field, input, choose, date, expectSaved } = shellPage(page)
  const { noOverflow, buttonsOnScreen } = layoutChecks(page)
  const call = apiClient(host.base)
  let token = ''
  const api = (method, url, body) => call(method, url, body, token)
  const units = {}
  let today = ''
  let meetingUrl = ''

  await step('a branch with four members, one flowing in from another, and its secretary', async () => {
    token = host.cli(['user', 'token', ADMIN.username, '--label', 'e2e']).trim().split(/\s+/).pop()
    const root = (await api('GET', '/api/v1/units')).items[0]
    const unit = async (parentId, name, code) => (await api('POST', '/api/v1/units', { parentId, name, code })).id
    units.committee = await unit(root.id, '机关党委', 'JG')
    units.branch = await unit(units.committee, '第一党支部', 'JG01')
    units.north = await unit(root.id, '北区党支部', 'BQ01')
    let sequence = 100
    const member = (name, unitId) => api('POST', '/api/v1/party.daily/members', {
      name, idNumber: idNumber('19800101', String(++sequence)), unitId, ethnicity: '01', education: '21',
      category: 'formal', joinDate: '2005-07-01', fullDate: '2006-07-01',
    })
    for (const name of ['王芳', '李强', '陈静', '赵磊']) await member(name, units.branch)
    const guest = await member('孙流入', units.north)
    await api('POST', '/api/v1/party.flow/flows', { memberId: guest.id, destination: '本市', toUnitId: units.branch, reason: 'work', leftOn: '2025-01-01' })
    const permissions = (await api('GET', '/api/v1/permissions')).items.map(p => p.id ?? p.name)
      .filter(p => /^party\.(daily|life)\./.test(p) || p === 'core.units.read')
    await api('POST', '/api/v1/roles', { name: 'secretary', label: '书记', permissions })
    host.cli(['user', 'add', SECRETARY.username, '--display-name', '张书记', '--unit', String(units.branch), '--password-stdin'], `${SECRETARY.password}\n`)
    host.cli(['user', 'grant', SECRETARY.username, 'secretary', '--scope', 'subtree', '--unit', String(units.branch)])
    today = (await api('GET', '/api/v1/reminders')).date
  })

  const rows = page.locator('.el-form-item[data-field=attendance] .el-table__body-wrapper .el-table__row')
  const row = name => rows.filter({ hasText: name })

  await step('desktop: a new 支部党员大会 says its files wait for the save; saved, the roster shows by name', async () => {
    await page.setViewportSize(SIZES.desktop)
    await login(page, host.base, SECRETARY)
    await page.goto(`${host.base}${LIST}`)
    await page.locator('[data-test=list-new]').click()
    await page.waitForURL(u => u.pathname.endsWith('/meeting/new'), { timeout: T })
    await page.locator('[data-test=section-files]').waitFor({ timeout: T })
    const waiting = await page.locator('[data-test=section-files] [data-test=attachments-save-first]').count()
    if (waiting !== 3) throw new Error(`${waiting} of the three file fields say to save first`)
    if (await page.locator('[data-test=attachments-input]').count()) throw new Error('a new meeting offers to upload before it is saved')
    await choose('kind', '支部党员大会')
    await date('heldOn', today)
    await input('place').fill('党员活动室')
    await input('topic').fill('学习党的二十届四中全会精神')
    await page.locator('[data-test=card-save]').click()
    await page.waitForURL(u => /\/meeting\/\d+$/.test(u.pathname), { timeout: T })
    meetingUrl = new URL(page.url()).pathname
    await rows.first().waitFor({ timeout: T })
    const names = await rows.evaluateAll(trs => trs.map(tr => tr.querySelector('td:nth-child(2)')?.innerText.trim()))
    if (names.length !== 5) throw new Error(`the roster shows ${names.length} rows: ${names.join('、')}`)
    const table = await field('attendance').innerText()
    if (/#\d+/.test(table)) throw new Error(`the roster shows ids: ${table}`)
    for (const name of ['王芳', '李强', '陈静', '赵磊', '孙流入']) if (!table.includes(name)) throw new Error(`the roster does not name ${name}: ${table}`)
    const mark = row('孙流入').locator('[data-test=row-mark-flowingIn]')
    if ((await mark.innerText()).trim() !== '流入党员（无表决权）') throw new Error(`the flowing-in member is marked "${await mark.innerText()}"`)
    if (await row('王芳').locator('[data-test=row-mark-flowingIn]').count()) throw new Error('a member of the branch is marked as flowing in')
    if ((await input('expected').inputValue()) !== '4') throw new Error(`应到人数 is ${await input('expected').inputValue()}, not the branch's 4`)
    if (!(await page.locator('[data-test=attachments-input]').count())) throw new Error('the saved meeting offers no upload')
  })

  await step('desktop: a member on leave with the reason, saved', async () => {
    await row('李强').getByRole('button', { name: '编辑' }).click()
    const dialog = page.locator('.el-dialog:visible')
    await dialog.waitFor({ timeout: T })
    await dialog.locator('.el-form-item', { hasText: '出席情况' }).locator('.el-select__wrapper').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '请假' }).first().click()
    await dialog.locator('.el-form-item', { hasText: '原因' }).locator('input').fill('出差在外')
    await dialog.getByRole('button', { name: '确定' }).click()
    await dialog.waitFor({ state: 'hidden', timeout: T })
    await page.locator('[data-test=card-save]').click()
    await expectSaved()
    await page.locator('[data-test=card-view][data-dirty=false]').waitFor({ timeout: T })
    const text = await row('李强').innerText()
    if (!text.includes('请假') || !text.includes('出差在外')) throw new Error(`李强's row shows "${text}"`)
    if ((await input('onLeave').inputValue()) !== '1') throw new Error(`请假人数 is ${await input('onLeave').inputValue()}`)
    if ((await input('present').inputValue()) !== '3') throw new Error(`实到人数 is ${await input('present').inputValue()}`)
  })

  const photos = page.locator('[data-test=attachments-photos]')
  const ranges = []
  page.on('response', r => { if (/\/attachments\/photos\/\d+$/.test(new URL(r.url()).pathname)) ranges.push({ status: r.status(), range: r.request().headers().range }) })

  await step('desktop: a photo and a short video uploaded together, the photo as a thumbnail opening the larger image', async () => {
    const media = await makeMedia(page)
    // A slow line (about 64 KB/s up), so each file's bar is seen moving while it is sent.
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 64 * 1024 })
    await photos.locator('[data-test=attachments-input]').setInputFiles([
      { name: '会场照片.png', mimeType: 'image/png', buffer: media.png },
      { name: '会议视频.webm', mimeType: 'video/webm', buffer: media.webm },
      { name: '不要了.webm', mimeType: 'video/webm', buffer: media.webm },
    ])
    const sending = photos.locator('[data-test=attachment-upload-sending][data-name="会议视频.webm"]')
    await sending.waitFor({ timeout: T })
    await page.waitForFunction(() => {
      const bar = document.querySelector('[data-test=attachment-upload-sending][data-name="会议视频.webm"] .el-progress-bar__inner')
      const part = bar ? parseFloat(bar.style.width) : 0
      return part > 0 && part < 100
    }, null, { timeout: T, polling: 50 })
    // The third file is cancelled while it is sent: it is gone, and the record never holds it.
    const unwanted = photos.locator('[data-test=attachment-upload-sending][data-name="不要了.webm"]')
    await unwanted.waitFor({ timeout: T })
    await unwanted.locator('[data-test=attachment-cancel]').click()
    await photos.locator('[data-test=attachments-queue] li[data-name="不要了.webm"]').waitFor({ state: 'detached', timeout: T })
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 })
    await cdp.detach()
    const image = photos.locator('[data-test=attachment-image][data-name="会场照片.png"]')
    await image.waitFor({ timeout: T })
    await photos.locator('[data-test=attachment-video][data-name="会议视频.webm"] video').waitFor({ timeout: T })
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-test=attachment-image] img')
      return img && img.complete && img.naturalWidth > 0
    }, null, { timeout: T })
    const thumb = await image.locator('img').evaluate(img => ({ src: img.getAttribute('src'), w: img.naturalWidth }))
    if (!thumb.src.includes('thumb=1') || thumb.w !== 320) throw new Error(`the thumbnail is ${JSON.stringify(thumb)}`)
    if (await photos.locator('[data-test=attachments-queue] li').count()) throw new Error('files are still shown as on their way')
    const held = await page.evaluate(async id => (await (await fetch(`/api/v1/party.life/meetings/${id}`)).json()).photos.map(f => f.name), meetingUrl.split('/').pop())
    if (JSON.stringify(held.sort()) !== JSON.stringify(['会场照片.png', '会议视频.webm'].sort())) throw new Error(`the meeting holds ${held.join('、')}`)
    await image.locator('img').click()
    const viewer = page.locator('.el-image-viewer__wrapper')
    await viewer.waitFor({ timeout: T })
    const large = await viewer.locator('img.el-image-viewer__img').first().evaluate(img => new Promise(resolve => {
      const done = () => resolve({ src: img.getAttribute('src'), w: img.naturalWidth })
      if (img.complete) done(); else img.onload = done
    }))
    if (large.src.includes('thumb') || large.w !== 320) throw new Error(`the larger view shows ${JSON.stringify(large)}`)
    await page.keyboard.press('Escape')
    await viewer.waitFor({ state: 'hidden', timeout: T })
    if (!(await photos.innerText()).includes('张书记')) throw new Error('the files do not say who uploaded them')
  })

  await step('desktop: the video plays in place and seeks, the server answering ranges', async () => {
    const video = photos.locator('[data-test=attachment-video] video')
    const played = await video.evaluate(async v => {
      v.muted = true
      if (v.readyState < 1) await new Promise((resolve, reject) => { v.onloadedmetadata = resolve; v.onerror = () => reject(new Error(`the video does not load: ${v.error?.message}`)) })
      const duration = v.duration
      await v.play()
      await new Promise(r => setTimeout(r, 600))
      v.pause()
      const playedTo = v.currentTime
      const target = Math.min(2, duration / 2 + 0.5)
      await new Promise(resolve => { v.onseeked = resolve; v.currentTime = target })
      return { duration, playedTo, target, at: v.currentTime, seekable: v.seekable.length ? v.seekable.end(0) : 0 }
    })
    if (!Number.isFinite(played.duration) || played.duration < 2) throw new Error(`the video's duration is ${played.duration}`)
    if (played.playedTo <= 0) throw new Error(`the video did not play: ${JSON.stringify(played)}`)
    if (Math.abs(played.at - played.target) > 0.25) throw new Error(`seeking to ${played.target} s left the video at ${played.at} s`)
    const partial = ranges.filter(r => r.status === 206)
    if (!partial.length) throw new Error(`the video was read without ranges: ${JSON.stringify(ranges)}`)
    await shot('life-meeting-files-desktop.png')
  })

  await step('desktop: a text file named .jpg is refused on that file, in Chinese', async () => {
    await photos.locator('[data-test=attachments-input]').setInputFiles([
      { name: '假照片.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('这不是照片，只是一段文字。\n'.repeat(20)) },
    ])
    const refused = photos.locator('[data-test=attachment-upload-refused][data-name="假照片.jpg"]')
    await refused.waitFor({ timeout: T })
    const reason = (await refused.locator('[data-test=attachment-refusal]').innerText()).trim()
    if (!reason.includes('假照片.jpg') || !reason.includes('文本文件') || !reason.includes('图片')) throw new Error(`the refusal says "${reason}"`)
    if (/[A-Za-z]{4,}/.test(reason.replace('假照片.jpg', ''))) throw new Error(`the refusal is not in Chinese: ${reason}`)
    if (await photos.locator('[data-test=attachment-image]').count() !== 1) throw new Error('the refused file was added')
    await shot('life-meeting-refused-desktop.png')
    await refused.locator('[data-test=attachment-dismiss]').click()
    await refused.waitFor({ state: 'hidden', timeout: T })
  })

  await step('desktop: a document as a link with its size, deleted after its confirmation', async () => {
    const documents = page.locator('[data-test=attachments-documents]')
    await documents.locator('[data-test=attachments-input]').setInputFiles([
      { name: '会议记录.txt', mimeType: 'text/plain', buffer: Buffer.from('会议记录\n'.repeat(300)) },
    ])
    const doc = documents.locator('[data-test=attachment-document][data-name="会议记录.txt"]')
    await doc.waitFor({ timeout: T })
    const text = await doc.innerText()
    if (!/3\.8 KB/.test(text)) throw new Error(`the document shows "${text}", not its size as 3.8 KB`)
    if (!(await doc.locator('a').getAttribute('href')).includes('/attachments/documents/')) throw new Error('the document is no link to its file')
    await doc.locator('[data-test=attachment-delete]').click()
    const box = page.locator('.attachment-delete-confirm')
    await box.waitFor({ timeout: T })
    if (!(await box.innerText()).includes('会议记录.txt')) throw new Error(`the confirmation says "${await box.innerText()}"`)
    await box.getByRole('button', { name: '删除' }).click()
    await doc.waitFor({ state: 'detached', timeout: T })
    const held = await page.evaluate(async url => (await (await fetch(`/api/v1/party.life/meetings/${url.split('/').pop()}`)).json()).documents, meetingUrl)
    if (held.length) throw new Error(`the server still holds ${JSON.stringify(held)}`)
  })

  await step('phone: the meeting with its roster and files, upload by a tap', async () => {
    await page.setViewportSize(SIZES.phone)
    await page.goto(`${host.base}${meetingUrl}`)
    await photos.locator('[data-test=attachment-image]').waitFor({ timeout: T })
    const accept = await photos.locator('[data-test=attachments-input]').getAttribute('accept')
    if (accept !== 'image/*,video/*') throw new Error(`the photo field's picker accepts "${accept}"`)
    const recordings = await page.locator('[data-test=attachments-recordings] [data-test=attachments-input]').getAttribute('accept')
    if (recordings !== 'audio/*') throw new Error(`the recordings' picker accepts "${recordings}"`)
    if (!(await photos.locator('[data-test=attachments-drop]').innerText()).includes('拍摄')) throw new Error('the phone is not told it may take a photo')
    await noOverflow('the meeting card at phone size')
    await shot('life-meeting-phone.png')
    // The phone's file picker: a tap on 选择文件 opens it.
    const chooser = page.waitForEvent('filechooser', { timeout: T })
    await photos.locator('[data-test=attachments-pick]').click()
    const picker = await chooser
    if (!picker.isMultiple()) throw new Error('the picker takes one file at a time')
    await picker.setFiles([])
    await row('李强').getByRole('button', { name: '编辑' }).click()
    await page.locator('.el-dialog:visible').waitFor({ timeout: T })
    await buttonsOnScreen('.el-dialog:visible', 'the attendance row dialog')
    await page.locator('.el-dialog:visible').getByRole('button', { name: '取消' }).click()
  })
})
