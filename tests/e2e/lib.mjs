// Shared by the browser end-to-end tests and bench/web-shell.mjs: start a throw-away
// deployment of the tessera host with the web shell, and launch Debian's Chromium.
import { spawn, spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
// playwright-core lives in web/node_modules (installed by `npm ci` in web/).
const requireFromWeb = createRequire(path.join(repoRoot, 'web', 'package.json'))

export const ADMIN = { username: 'admin', password: 'tessera-e2e-pass' }

/** --name value / --name=value arguments, then environment variables, then defaults. */
export function options(argv = process.argv.slice(2)) {
  const args = {}
  for (let i = 0; i < argv.length; i++) {
    const m = argv[i].match(/^--([\w-]+)(?:=(.*))?$/)
    if (!m) throw new Error(`unexpected argument ${argv[i]}`)
    args[m[1]] = m[2] ?? argv[++i]
  }
  const abs = p => path.resolve(p)
  return {
    cli: abs(args.cli || process.env.TESSERA_CLI || path.join(repoRoot, 'build/bin/tessera')),
    pluginDir: abs(args['plugin-dir'] || process.env.TESSERA_PLUGIN_DIR || path.join(repoRoot, 'build/lib/tessera/plugins')),
    webRoot: abs(args['web-root'] || process.env.TESSERA_WEB_ROOT || path.join(repoRoot, 'build/share/tessera/web')),
    artifacts: abs(args.artifacts || process.env.TESSERA_E2E_ARTIFACTS || path.join(repoRoot, 'build/e2e-artifacts')),
    chromium: args.chromium || process.env.TESSERA_CHROMIUM || '/usr/bin/chromium',
    // Test fixture plugins (build/fixture-plugins), for plugins only the tests have.
    fixtureDir: abs(args['fixture-dir'] || process.env.TESSERA_FIXTURE_DIR || path.join(repoRoot, 'build/fixture-plugins')),
  }
}

function check(opts) {
  const missing = []
  if (!fs.existsSync(opts.cli)) missing.push(`tessera binary ${opts.cli} (TESSERA_CLI)`)
  if (!fs.existsSync(opts.pluginDir)) missing.push(`plugin folder ${opts.pluginDir} (TESSERA_PLUGIN_DIR)`)
  if (!fs.existsSync(path.join(opts.webRoot, 'index.html'))) missing.push(`web shell ${opts.webRoot}/index.html (TESSERA_WEB_ROOT; npm run build in web/)`)
  if (!fs.existsSync(opts.chromium)) missing.push(`Chromium ${opts.chromium} (apt-get install chromium, or TESSERA_CHROMIUM)`)
  if (missing.length) throw new Error(`missing: ${missing.join('; ')}`)
}

/**
 * A deployment in a temporary folder enabling `plugins`, an administrator, and
 * `tessera serve --port 0`. With `clock` (an ISO date-time) the host and its command line
 * read the time from a file holding it (TESSERA_TEST_CLOCK_FILE): it stands at that moment.
 * Returns { base, dir, plugins, stop(), log() }.
 */
export async function startHost(opts, plugins = ['biz.customers'], prepare = null, clock = null) {
  check(opts)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-e2e-'))
  try {
    return await serve(opts, plugins, dir, prepare, clock)
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true })
    throw e
  }
}

async function serve(opts, plugins, dir, prepare, clock) {
  const config = path.join(dir, 'deployment.xml')
  const env = { ...process.env, TESSERA_WEB_ROOT: opts.webRoot }
  if (clock) {
    env.TESSERA_TEST_CLOCK_FILE = path.join(dir, 'clock')
    fs.writeFileSync(env.TESSERA_TEST_CLOCK_FILE, clock)
  }
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<deployment name="e2e">
  <database path="deployment.db"/>
  <listen address="127.0.0.1" port="0"/>
  <plugin-dir path="${opts.pluginDir}"/>
${plugins.some(id => id.startsWith('fx.')) ? `  <plugin-dir path="${opts.fixtureDir}"/>\n` : ''}  <plugins>
${plugins.map(id => `    <plugin id="${id}"/>`).join('\n')}
  </plugins>
</deployment>
`
  fs.writeFileSync(config, xml)
  const add = spawnSync(opts.cli, ['user', 'add', ADMIN.username, '--unit', '1', '--admin', '--password-stdin', '--config', config],
    { input: `${ADMIN.password}\n`, encoding: 'utf8', env })
  if (add.status !== 0) throw new Error(`tessera user add failed (${add.status}): ${add.stderr || add.stdout}`)
  // `tessera <args> --config <the deployment>`, with `input` on standard input; its stdout.
  const cli = (args, input = '') => {
    const r = spawnSync(opts.cli, [...args, '--config', config], { input, encoding: 'utf8', env })
    if (r.status !== 0) throw new Error(`tessera ${args.join(' ')} failed (${r.status}): ${r.stderr || r.stdout}`)
    return r.stdout
  }
  if (prepare) await prepare(cli)

  const child = spawn(opts.cli, ['serve', '--config', config, '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no "listening on" line within 20 s:\n${output}`)) }, 20000)
    const onData = chunk => {
      output += chunk
      const m = output.match(/listening on (http:\/\/[^\s/]+)\//)
      if (m) { clearTimeout(timer); resolve(m[1]) }
    }
    child.stdout.setEncoding('utf8').on('data', onData)
    child.stderr.setEncoding('utf8').on('data', chunk => { output += chunk })
    child.on('exit', code => { clearTimeout(timer); reject(new Error(`tessera serve exited with ${code}:\n${output}`)) })
  })
  child.removeAllListeners('exit')

  async function stop() {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise(r => child.once('exit', r))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 8000)
    await exited
    clearTimeout(timer)
    fs.rmSync(dir, { recursive: true, force: true })
  }
  return { base, dir, plugins, stop, cli, log: () => output }
}

/** Debian's Chromium through playwright-core, headless, with a fresh profile. */
export async function launchChromium(opts) {
  const { chromium } = requireFromWeb('playwright-core')
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: opts.chromium,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1366, height: 860 },
    locale: 'zh-CN',
  })
  const close = async () => {
    await context.close().catch(() => {})
    fs.rmSync(profile, { recursive: true, force: true })
  }
  return { context, close }
}

/** Log in through the login page; resolves once the home page shows its tiles. */
export async function login(page, base, user = ADMIN) {
  await page.goto(`${base}/login`)
  await page.locator('input[name=username]').fill(user.username)
  await page.locator('input[name=password]').fill(user.password)
  await page.locator('[data-test=login-submit]').click()
  await page.waitForURL(u => !u.pathname.startsWith('/login'))
}

export const T = 15000 // longest wait for any one element

/** A valid citizen ID number (GB 11643) for someone born on `birth` (yyyymmdd). */
export function idNumber(birth = '19850315', sequence = '128') {
  const first17 = `110105${birth}${sequence}`
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i], 0)
  return first17 + '10X98765432'[sum % 11]
}

/** A report's table as the user reads it (ReportView): its header labels, rows and totals row. */
export async function readReport(page) {
  await page.locator('[data-test=report-table] .el-table__body-wrapper').waitFor({ timeout: T })
  await page.waitForFunction(() => ![...document.querySelectorAll('[data-test=report-table] .el-loading-mask')].some(m => m.offsetParent !== null),
    null, { timeout: T })
  return page.locator('[data-test=report-table]').evaluate(table => {
    const cells = tr => [...tr.querySelectorAll('td, th')].map(c => c.innerText.trim())
    const header = cells(table.querySelector('.el-table__header-wrapper tr'))
    const rows = [...table.querySelectorAll('.el-table__body-wrapper tr.el-table__row')].map(cells)
    const footer = table.querySelector('.el-table__footer-wrapper tr')
    return { header, rows, total: footer ? cells(footer) : null }
  })
}

/**
 * One browser test run: a host enabling `plugins` (or TESSERA_E2E_BASE), Chromium with one
 * page, named steps that stop the run at the first failure (with a screenshot), and a
 * summary line "N passed, N failed"; the process exits 1 on any failure.
 *   await runSuite({ plugins: ['party.daily'] }, async ({ step, shot, page, host, opts }) => { ... })
 * With `clock` (an ISO date-time) the host's time stands at that moment (see startHost) and
 * the page's starts there and runs on, so "today" is the same known day on both sides.
 */
export async function runSuite({ plugins, prepare, clock }, body) {
  const opts = options()
  fs.mkdirSync(opts.artifacts, { recursive: true })
  let passed = 0
  let failed = 0
  let host, browser, page
  // Screenshots leave out the passing toast messages and finish CSS transitions.
  const shot = name => page.screenshot({ path: path.join(opts.artifacts, name), fullPage: true, animations: 'disabled',
    style: '.el-message { display: none !important; }' })
  const step = async (name, fn) => {
    const t0 = Date.now()
    try {
      await fn()
      passed++
      console.log(`ok   ${name} (${Date.now() - t0} ms)`)
    } catch (e) {
      failed++
      console.log(`FAIL ${name}: ${e.message.split('\n').slice(0, 6).join('\n     ')}`)
      if (page) await shot(`failure-${name.replace(/\W+/g, '-')}.png`).catch(() => {})
      throw e
    }
  }
  let fatal = null
  try {
    // TESSERA_E2E_BASE: test a shell that is already served (e.g. the Vite dev server) instead.
    host = process.env.TESSERA_E2E_BASE
      ? { base: process.env.TESSERA_E2E_BASE.replace(/\/$/, ''), stop: async () => {}, log: () => '' }
      : await startHost(opts, plugins, prepare, clock)
    console.log(process.env.TESSERA_E2E_BASE ? `# testing ${host.base}` : `# host at ${host.base}, web root ${opts.webRoot}`)
    browser = await launchChromium(opts)
    if (clock) await browser.context.clock.install({ time: new Date(clock) })
    page = await browser.context.newPage()
    page.on('pageerror', e => console.log(`# page error: ${e.message}`))
    // The browser's "leave this page?" (a card with unsaved changes, reloaded or left with
    // page.goto) is answered with `dialogs.beforeunload` ('accept' leaves), and counted.
    const dialogs = { beforeunload: 'accept', seen: 0 }
    page.on('dialog', d => {
      if (d.type() !== 'beforeunload') return d.dismiss()
      dialogs.seen++
      return dialogs.beforeunload === 'accept' ? d.accept() : d.dismiss()
    })
    await body({ step, shot, page, host, opts, browser, dialogs })
  } catch (e) {
    fatal = e
    if (!failed) { failed++; console.log(`FAIL setup: ${e.message}`) }
  } finally {
    await browser?.close()
    if (host) {
      if (fatal) console.log(`# host output:\n${host.log().split('\n').slice(-20).join('\n')}`)
      await host.stop()
    }
  }
  console.log(`# artifacts in ${opts.artifacts}`)
  console.log(`${passed} passed, ${failed} failed`)
  process.exit(failed ? 1 : 0)
}

/**
 * A JSON call to the host's API as a script makes it (setting up what a test needs):
 * `const api = apiClient(host.base); await api('POST', '/api/v1/...', body, token)`; a status
 * other than 2xx throws with the answer.
 */
export function apiClient(base) {
  return async (method, url, body, token) => {
    const r = await fetch(`${base}${url}`, {
      method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const data = r.status === 204 ? null : await r.json()
    if (!r.ok) throw new Error(`${method} ${url} answered ${r.status}: ${JSON.stringify(data)}`)
    return data
  }
}

/**
 * Phone-size checks of `page`: noOverflow(what) throws when an element lies past the window's
 * right edge, other than inside something that scrolls or clips sideways (a table's body);
 * buttonsOnScreen(selector, what) throws when a button of the dialog or message box
 * `selector` lies outside the window.
 */
export function layoutChecks(page) {
  return {
    noOverflow: async what => {
      const found = await page.evaluate(() => {
        const w = window.innerWidth
        const clips = el => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) if (getComputedStyle(p).overflowX !== 'visible') return true; return false }
        const out = []
        for (const el of document.body.querySelectorAll('*')) {
          const r = el.getBoundingClientRect()
          if (r.width === 0 || r.height === 0 || r.right <= w + 1 || getComputedStyle(el).visibility === 'hidden') continue
          if (!clips(el)) out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} right=${Math.round(r.right)}`)
        }
        return { w, scrollWidth: document.scrollingElement.scrollWidth, out: out.slice(0, 5) }
      })
      if (found.scrollWidth > found.w || found.out.length) {
        throw new Error(`${what}: ${found.scrollWidth} px wide in a ${found.w} px window; past the edge: ${found.out.join(', ')}`)
      }
    },
    buttonsOnScreen: async (selector, what) => {
      const boxes = await page.locator(`${selector} button:visible`).evaluateAll(bs => bs.map(b => {
        const r = b.getBoundingClientRect()
        return { text: b.innerText.trim(), left: r.left, top: r.top, right: r.right, bottom: r.bottom }
      }))
      const { width, height } = page.viewportSize()
      if (!boxes.length) throw new Error(`${what}: no buttons found`)
      const off = boxes.filter(b => b.left < 0 || b.top < 0 || b.right > width + 1 || b.bottom > height + 1)
      if (off.length) throw new Error(`${what}: buttons off screen: ${JSON.stringify(off)}`)
    },
  }
}

/**
 * Helpers for the generic list and card pages of `page`; with `within` (a locator, such as a
 * dialog holding a card's form), the fields are those inside it.
 */
export function shellPage(page, within = page) {
  // A form field of the card (the history timeline names fields too).
  const field = name => within.locator(`.el-form-item[data-field="${name}"]`)
  return {
    field,
    input: name => field(name).locator('input, textarea').first(),
    // Wait until the list shows no loading mask.
    listSettled: async () => {
      await page.locator('[data-test=list-table]').waitFor({ timeout: T })
      // Masks fade out; two may be leaving at once: wait until none is shown.
      await page.waitForFunction(() => [...document.querySelectorAll('[data-test=list-table] .el-loading-mask')]
        .every(m => getComputedStyle(m).display === 'none' || m.offsetParent === null), null, { timeout: T })
    },
    save: () => page.locator('[data-test=card-save]').click(),
    expectSaved: () => page.locator('.el-message--success').last().waitFor({ timeout: T }),
    /** Picks `label` in a dropdown field. */
    choose: async (name, label) => {
      await field(name).locator('.el-select__wrapper, .el-select').first().click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: label }).first().click()
    },
    /** Picks the unit named `unitName` in a unit field's tree select. */
    pickUnit: async (name, unitName) => {
      await field(name).locator('.el-select__wrapper, .el-select').first().click()
      await page.locator('.el-tree-select__popper:visible .el-tree-node__content', { hasText: unitName }).first().click()
      await page.keyboard.press('Escape')
    },
    /** Types a date (YYYY-MM-DD) into a date field, and makes sure it took. */
    date: async (name, iso) => {
      const box = field(name).locator('input').first()
      for (let attempt = 1; ; attempt++) {
        await box.click()
        await box.fill(iso)
        await box.press('Enter')
        if ((await box.inputValue()) === iso) return
        if (attempt === 3) throw new Error(`the date field ${name} shows "${await box.inputValue()}" after typing ${iso}`)
      }
    },
    /** Saves the card and waits for `url`; when it does not come, says what the card shows. */
    saveAndWait: async url => {
      await page.locator('[data-test=card-save]').click()
      try {
        await page.waitForURL(url, { timeout: T })
      } catch (e) {
        const shown = await page.locator('.el-form-item__error, [data-test=card-errors], [data-test=card-stale]').allInnerTexts()
        throw new Error(`${e.message.split('\n')[0]}; the card shows: ${shown.join(' | ') || 'no error'}`)
      }
    },
  }
}

/** The sizes issue 12 asks the shell to be used at: a desktop and a phone. */
export const SIZES = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } }

/** A branch secretary (scoped user) as the browser tests log in. */
export const SECRETARY = { username: 'secretary', password: 'secretary-e2e-pass' }

/**
 * Makes SECRETARY (张书记) a user of `unitId` holding `module`'s rights and reading the unit tree
 * on that unit and below: the scoped user of the tests. `token` is an administrator's.
 */
export async function addSecretary(host, token, module, unitId) {
  const api = apiClient(host.base)
  const permissions = (await api('GET', '/api/v1/permissions', undefined, token)).items
    .map(p => p.id ?? p.name).filter(p => p.startsWith(`${module}.`) || p === 'core.units.read')
  await api('POST', '/api/v1/roles', { name: 'secretary', label: '书记', permissions }, token)
  host.cli(['user', 'add', SECRETARY.username, '--display-name', '张书记', '--unit', String(unitId), '--password-stdin'], `${SECRETARY.password}\n`)
  host.cli(['user', 'grant', SECRETARY.username, 'secretary', '--scope', 'subtree', '--unit', String(unitId)])
}

/**
 * Runs `body` for each user of `users` ({ admin: ADMIN, secretary: SECRETARY }) at each size of
 * SIZES, in that order: the window is resized, and each user logs in (a step "<who>-desktop:
 * log in") before their first size. `body` gets { user, who, sizeName, size, tag, phone },
 * tag being "<who>-<sizeName>", as the steps and screenshots are named.
 */
export async function forEachUserAndSize({ page, step, host }, users, body) {
  for (const [who, user] of Object.entries(users)) {
    let loggedIn = false
    for (const [sizeName, size] of Object.entries(SIZES)) {
      const tag = `${who}-${sizeName}`
      await page.setViewportSize(size)
      if (!loggedIn) {
        await step(`${tag}: log in`, async () => {
          await page.context().clearCookies()
          await login(page, host.base, user)
        })
        loggedIn = true
      }
      await body({ user, who, sizeName, size, tag, phone: sizeName === 'phone' })
    }
  }
}
