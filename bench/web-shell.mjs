#!/usr/bin/env node
// The web shell's bundle size and first-load times, against a local tessera host.
//   node bench/web-shell.mjs [--cli build/bin/tessera] [--plugin-dir build/lib/tessera/plugins]
//                            [--web-root build/share/tessera/web] [--runs 5] [--json]
// (or TESSERA_CLI, TESSERA_PLUGIN_DIR, TESSERA_WEB_ROOT, TESSERA_CHROMIUM).
// Bundle: every .js and .css file of the build output, raw and gzip (level 9).
// Load times: the median of N loads in headless Chromium with an empty cache each time
// (plus the home page with a warm cache): "ready" = the page's own content is on screen
// (login form; home page tiles and reminders), "load" = the navigation's loadEventEnd.
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { launchChromium, login, options, startHost } from '../tests/e2e/lib.mjs'

const argv = process.argv.slice(2)
const json = argv.includes('--json')
let runs = 5
const rest = []
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--json') continue
  if (argv[i] === '--runs') { runs = Number(argv[++i]); continue }
  rest.push(argv[i])
}
const opts = options(rest)

function bundle(root) {
  const out = { js: { files: 0, raw: 0, gzip: 0 }, css: { files: 0, raw: 0, gzip: 0 } }
  const walk = dir => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name)
      if (e.isDirectory()) { walk(p); continue }
      const kind = e.name.endsWith('.js') ? 'js' : e.name.endsWith('.css') ? 'css' : null
      if (!kind) continue
      const data = fs.readFileSync(p)
      out[kind].files++
      out[kind].raw += data.length
      out[kind].gzip += zlib.gzipSync(data, { level: 9 }).length
    }
  }
  walk(root)
  out.total = { files: out.js.files + out.css.files, raw: out.js.raw + out.css.raw, gzip: out.js.gzip + out.css.gzip }
  return out
}

const median = xs => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2 }

async function measure(page, url, readySelectors, { cold }) {
  const cdp = await page.context().newCDPSession(page)
  if (cold) await cdp.send('Network.clearBrowserCache')
  await cdp.detach()
  await page.goto('about:blank')
  await page.goto(url)
  // The time is taken in the page, on the first animation frame where everything is there.
  const ready = await (await page.waitForFunction(
    sels => sels.every(s => document.querySelector(s)) && performance.now(), readySelectors, { polling: 'raf', timeout: 15000 })).jsonValue()
  await page.waitForLoadState('load')
  const nav = await page.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0]
    const res = performance.getEntriesByType('resource')
    return { load: n.loadEventEnd, dcl: n.domContentLoadedEventEnd, requests: res.length + 1,
      bytes: res.reduce((a, r) => a + (r.transferSize || 0), n.transferSize || 0) }
  })
  return { ready, ...nav }
}

async function series(page, url, ready, cold) {
  const all = []
  for (let i = 0; i < runs; i++) all.push(await measure(page, url, ready, { cold }))
  const pick = k => median(all.map(r => r[k]))
  return { ready: pick('ready'), load: pick('load'), dcl: pick('dcl'), requests: pick('requests'), bytes: pick('bytes') }
}

const size = bundle(opts.webRoot)
const host = await startHost(opts, ['biz.customers'])
const browser = await launchChromium(opts)
let result
try {
  const page = await browser.context.newPage()
  const loginPage = await series(page, `${host.base}/login`, ['[data-test=login-submit]'], true)
  await login(page, host.base)
  const homeReady = ['[data-tile]', '[data-test=reminders] .el-card__body > *']
  const homeCold = await series(page, `${host.base}/`, homeReady, true)
  const homeWarm = await series(page, `${host.base}/`, homeReady, false)
  result = { runs, bundle: size, login: loginPage, homeCold, homeWarm }
} finally {
  await browser.close()
  await host.stop()
}

if (json) {
  console.log(JSON.stringify(result))
} else {
  const kb = n => `${(n / 1024).toFixed(1)} KiB`
  const ms = n => `${n.toFixed(0)} ms`
  const b = result.bundle
  console.log(`web shell bundle (${opts.webRoot})`)
  for (const k of ['js', 'css', 'total']) console.log(`  ${k.padEnd(5)} ${String(b[k].files).padStart(3)} files  ${kb(b[k].raw).padStart(11)}  gzip ${kb(b[k].gzip).padStart(10)}`)
  console.log(`first load, median of ${runs} (headless Chromium, local host)`)
  const row = (name, r) => console.log(`  ${name.padEnd(22)} ready ${ms(r.ready).padStart(7)}  load ${ms(r.load).padStart(7)}  DOMContentLoaded ${ms(r.dcl).padStart(7)}  ${r.requests} requests, ${kb(r.bytes)}`)
  row('login page (cold)', result.login)
  row('home page (cold cache)', result.homeCold)
  row('home page (warm cache)', result.homeWarm)
}
