#!/usr/bin/env node
// Browser test of biz.aftersales' printed and signed ticket (issue 17, items 2 and 3):
//   - phone (390x844), as the technician, who may not change the ticket: he opens it from
//     我的派工单 (today's tickets he leads or assists on); the ticket's 客户签字
//     is a signature pad; a stroke drawn and cleared, then a signature of a finger's stroke
//     (touch input, the page not scrolling) and a mouse's loop, and 保存签字 uploads it: the
//     ticket holds one PNG image with ink on it, and the pad gives way to the signature;
//   - desktop, as the service manager (the administrator): the ticket prints its 派工单; the
//     print view shows the number, customer, situation, signature lines and an inline SVG QR
//     code which zbar reads as the ticket's own address in the shell; page.pdf() makes one A4
//     page whose QR code zbar reads again from the PDF rendered by poppler;
//   - the 收货单 of a ticket not carried back is offered greyed, with the reason.
// Needs zbarimg (zbar-tools) and pdftoppm (poppler-utils): scripts/test installs them.
//   node tests/e2e/aftersales.mjs   (same options as run.mjs)
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { ADMIN, SIZES, T, apiClient, layoutChecks, login, runSuite } from './lib.mjs'

const TECH = { username: 'tech', password: 'tech-e2e-pass-1' }

// The text zbar reads from the image file `png` (nothing read: an error).
function zbar(png) {
  try {
    return execFileSync('zbarimg', ['--quiet', '--raw', png], { encoding: 'utf8' }).trim()
  } catch (e) {
    throw new Error(`zbarimg read no QR code from ${png}: ${e.message.split('\n')[0]}`)
  }
}

await runSuite({ plugins: ['biz.customers', 'biz.aftersales'] }, async ({ step, shot, page, host, opts }) => {
  const { noOverflow } = layoutChecks(page)
  const call = apiClient(host.base)
  let token = ''
  const api = (method, url, body) => call(method, url, body, token)
  let ticket = null

  await step('a customer, a repair call, a dispatch ticket, and a technician', async () => {
    for (const tool of ['zbarimg', 'pdftoppm'])
      if (!fs.existsSync(`/usr/bin/${tool}`)) throw new Error(`${tool} is missing: scripts/test installs zbar-tools and poppler-utils`)
    token = host.cli(['user', 'token', ADMIN.username, '--label', 'e2e']).trim().split(/\s+/).pop()
    const root = (await api('GET', '/api/v1/units')).items[0]
    const customer = await api('POST', '/api/v1/biz.customers/customers',
      { name: '华联商厦', phone: '010-6512 3456', address: '北京市东城区王府井大街1号', unitId: root.id })
    const call = await api('POST', '/api/v1/biz.aftersales/registrations', {
      customerId: customer.id, unitId: root.id, situation: '三楼监控画面全黑，录像机报警', product: '海康硬盘录像机 DS-7808', receivedBy: '李娜',
    })
    const permissions = ['biz.customers.read', 'biz.aftersales.read', 'biz.aftersales.work']
    await api('POST', '/api/v1/roles', { name: 'technician', label: '技术员', permissions })
    for (const [who, name] of [[TECH, '王工'], [{ username: 'zhao', password: 'zhao-e2e-pass' }, '赵工']]) {
      host.cli(['user', 'add', who.username, '--display-name', name, '--unit', String(root.id), '--password-stdin'], `${who.password}\n`)
      host.cli(['user', 'grant', who.username, 'technician', '--scope', 'subtree', '--unit', String(root.id)])
    }
    // The ticket's technician: picked among the department's (GET tickets/people/technician).
    const people = await api('GET', `/api/v1/biz.aftersales/tickets/people/technician?unit=${root.id}`)
    const technician = people.items.find(p => p.name === '王工')
    const assistant = people.items.find(p => p.name === '赵工')
    if (!technician || !assistant) throw new Error(`王工 and 赵工 are not among the technicians: ${JSON.stringify(people.items)}`)
    ticket = await api('POST', '/api/v1/biz.aftersales/tickets',
      { registrationId: call.id, serviceClass: 'A', unitId: root.id, technician: technician.id, assistants: [assistant.id] })
  })

  const cardUrl = () => `${host.base}/m/biz.aftersales/ticket/${ticket.id}`

  await step('phone: the technician opens today\'s ticket, the customer signs on the pad, 保存签字 keeps a PNG', async () => {
    await page.setViewportSize(SIZES.phone)
    await login(page, host.base, TECH)
    await page.waitForURL(u => u.pathname === '/', { timeout: T })
    // 我的派工单 from the menu: the tickets he is on whose visit is today.
    await page.locator('[data-test=nav-open]').click()
    await page.locator('.drawer-nav a', { hasText: '我的派工单' }).first().click()
    await page.waitForURL(u => u.pathname === '/m/biz.aftersales/tickets' && u.searchParams.get('visitOn') === 'today', { timeout: T })
    await page.locator('[data-test=list-table] .el-table__row', { hasText: ticket.ticketNo }).locator(`text=${ticket.ticketNo}`).first().click()
    await page.waitForURL(u => u.pathname === new URL(cardUrl()).pathname, { timeout: T })
    const pad = page.locator('.el-form-item[data-field=signature] [data-test=signature-canvas]')
    await pad.waitFor({ timeout: T })
    await page.waitForLoadState('networkidle')
    await pad.scrollIntoViewIfNeeded()
    const save = page.locator('[data-test=signature-save]')
    if (!(await save.isDisabled())) throw new Error('保存签字 is offered before anything is drawn')
    const width = (await pad.boundingBox()).width
    if (width > SIZES.phone.width || width < 250) throw new Error(`the pad is ${width} px wide on a 390 px phone`)
    // A first stroke, cleared; then the signature: two strokes, a loop and an underline.
    const stroke = async points => {
      await pad.scrollIntoViewIfNeeded()
      const box = await pad.boundingBox()
      await page.mouse.move(box.x + points[0][0], box.y + points[0][1])
      await page.mouse.down()
      for (const [x, y] of points.slice(1)) await page.mouse.move(box.x + x, box.y + y, { steps: 4 })
      await page.mouse.up()
    }
    await stroke([[30, 30], [200, 40]])
    await page.locator('[data-test=signature-clear]').click()
    if (!(await save.isDisabled())) throw new Error('清除 leaves something to save')
    // A finger: touch input, which the browser turns into pointer events of type touch.
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 1 })
    const touch = async points => {
      await pad.scrollIntoViewIfNeeded()
      const box = await pad.boundingBox()
      const at = ([x, y]) => [{ x: box.x + x, y: box.y + y, id: 1 }]
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(points[0]) })
      for (const p of points.slice(1)) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(p) })
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] })
    }
    const scrollTop = () => page.evaluate(() => document.scrollingElement.scrollTop)
    await pad.scrollIntoViewIfNeeded()
    const before = await scrollTop()
    // An underline drawn upwards and across: a finger on the page would scroll it.
    await touch(Array.from({ length: 12 }, (_, i) => [40 + i * 24, 160 - i * 4]))
    if (await save.isDisabled()) throw new Error('a stroke of the finger draws nothing')
    if ((await scrollTop()) !== before) throw new Error('the finger scrolled the page instead of drawing only')
    const loop = Array.from({ length: 24 }, (_, i) => [80 + 50 * Math.cos(i / 3.5) + i * 6, 90 + 40 * Math.sin(i / 3.5)])
    await stroke(loop)
    await shot('aftersales-signature-phone.png')
    await noOverflow('the ticket with its signature pad on a phone')
    const uploaded = page.waitForResponse(r => r.url().endsWith(`/tickets/${ticket.id}/attachments/signature`) && r.request().method() === 'POST', { timeout: T })
    await save.click()
    const r = await uploaded
    if (r.status() !== 201) throw new Error(`saving the signature answered ${r.status()}: ${await r.text()}`)
    const file = await r.json()
    if (file.type !== 'image/png' || file.kind !== 'image') throw new Error(`the signature is kept as ${file.type}`)
    await page.locator('.el-form-item[data-field=signature] [data-test=attachment-image]').waitFor({ timeout: T })
    await page.locator('[data-test=signature-done]').waitFor({ timeout: T })
    // The file the ticket holds: a PNG with ink on a white ground, read in the page.
    const ink = await page.evaluate(async url => {
      const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer())
      const png = [0x89, 0x50, 0x4e, 0x47].every((b, i) => bytes[i] === b)
      const img = await createImageBitmap(new Blob([bytes]))
      const c = document.createElement('canvas')
      c.width = img.width
      c.height = img.height
      const g = c.getContext('2d')
      g.drawImage(img, 0, 0)
      const px = g.getImageData(0, 0, c.width, c.height).data
      let dark = 0
      for (let i = 0; i < px.length; i += 4) if (px[i + 3] > 0 && px[i] < 100 && px[i + 1] < 100 && px[i + 2] < 100) dark++
      return { png, dark, total: px.length / 4 }
    }, file.url)
    if (!ink.png) throw new Error('the signature file is not a PNG')
    if (ink.dark < 200 || ink.dark > ink.total / 4) throw new Error(`the signature has ${ink.dark} dark pixels of ${ink.total}`)
    const held = (await api('GET', `/api/v1/biz.aftersales/tickets/${ticket.id}/attachments/signature`)).items
    if (held.length !== 1 || !['王工', TECH.username].includes(held[0].uploadedBy)) throw new Error(`the ticket holds ${JSON.stringify(held)}`)
    await shot('aftersales-signed-phone.png')
  })

  await step('desktop: the manager prints the 派工单; its QR code reads as the ticket\'s address, in the page and in the PDF', async () => {
    await page.setViewportSize(SIZES.desktop)
    await page.context().clearCookies()
    await login(page, host.base, ADMIN)
    await page.addInitScript(() => { window.print = () => { window.__printed = (window.__printed || 0) + 1 } })
    await page.goto(cardUrl())
    await page.locator('[data-test=card-documents-button]').click()
    // The receipt is for goods carried back: greyed, with the reason.
    const receipt = page.locator('[data-test=print-document-receipt]:visible')
    await receipt.waitFor({ timeout: T })
    if ((await receipt.getAttribute('aria-disabled')) !== 'true') throw new Error('a ticket on site offers the goods receipt')
    const why = await receipt.locator('[data-test=print-document-reason]').innerText()
    if (!why.includes('不能打印收货单')) throw new Error(`the receipt is refused with "${why}"`)
    const printed = page.waitForResponse(r => r.url().includes(`/tickets/${ticket.id}/documents/dispatch`) && r.request().method() === 'POST', { timeout: T })
    await page.locator('[data-test=print-document-dispatch]:visible').click()
    const r = await printed
    if (r.status() !== 201) throw new Error(`printing answered ${r.status()}: ${await r.text()}`)
    await page.waitForURL(u => /\/printed\/\d+$/.test(u.pathname), { timeout: T })
    const html = page.locator('[data-test=document-html]')
    await html.waitFor({ timeout: T })
    const shown = await html.innerText()
    for (const text of [ticket.ticketNo, '华联商厦', '北京市东城区王府井大街1号', '010-6512 3456', '三楼监控画面全黑，录像机报警', '海康硬盘录像机 DS-7808',
      'A 收费服务', '王工', '赵工', '技术员签字', '客户签字', '日期'])
      if (!shown.includes(text)) throw new Error(`the printed ticket lacks ${text}`)
    await page.waitForFunction(() => window.__printed === 1, null, { timeout: T })
    const qr = html.locator('svg.qr')
    if ((await qr.count()) !== 1) throw new Error('the printed ticket has no inline QR code')
    const link = `${host.base}/m/biz.aftersales/ticket/${ticket.id}`
    // Read as a phone's camera would, larger than its 30mm on a 96 dpi screen (the same drawing).
    const onScreen = path.join(opts.artifacts, 'aftersales-qr.png')
    await qr.evaluate(svg => { svg.style.width = '90mm'; svg.style.height = '90mm' })
    await qr.screenshot({ path: onScreen })
    await qr.evaluate(svg => { svg.style.width = ''; svg.style.height = '' })
    const read = zbar(onScreen)
    if (read !== link) throw new Error(`the QR code reads "${read}", not ${link}`)
    await shot('aftersales-dispatch-desktop.png')
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: false })
    const pdfFile = path.join(opts.artifacts, 'aftersales-dispatch.pdf')
    fs.writeFileSync(pdfFile, pdf)
    if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error('page.pdf() made no PDF')
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) || []).length
    if (pages !== 1) throw new Error(`the printed ticket has ${pages} pages, not 1`)
    const boxes = [...pdf.toString('latin1').matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map(m => [Number(m[1]), Number(m[2])])
    if (!boxes.length || boxes.some(([w, h]) => Math.abs(w - 595.3) > 2 || Math.abs(h - 841.9) > 2)) throw new Error(`the printed pages are ${JSON.stringify(boxes)} pt, not A4`)
    const rendered = path.join(opts.artifacts, 'aftersales-dispatch-pdf')
    execFileSync('pdftoppm', ['-png', '-r', '300', '-singlefile', pdfFile, rendered])
    const fromPdf = zbar(`${rendered}.png`)
    if (fromPdf !== link) throw new Error(`the QR code in the PDF reads "${fromPdf}", not ${link}`)
  })
})
