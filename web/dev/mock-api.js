// Development only (never part of the build): answers /api/v1/shell, /api/v1/reminders,
// the tile images and a sample report when the host does not have them yet; the rest goes to
// the real host.
// Use: TESSERA_MOCK=1 TESSERA_API=http://127.0.0.1:PORT npm run dev

const customersViews = {
  dictionaries: [{ id: 'level', label: { 'zh-CN': '客户等级', en: 'Level' }, items: [
    { code: 'A', label: { 'zh-CN': '重要', en: 'Key' } }, { code: 'B', label: { 'zh-CN': '普通', en: 'Regular' } }] }],
  lists: [{ id: 'customers', resource: 'customers', card: 'customer', pageSize: 20, label: { 'zh-CN': '客户档案', en: 'Customers' },
    columns: [{ field: 'name', width: 220 }, { field: 'contact' }, { field: 'phone' }, { field: 'unitId' }, { field: 'updatedAt' }],
    filters: [] }],
  cards: [{ id: 'customer', resource: 'customers', label: { 'zh-CN': '客户', en: 'Customer' }, sections: [
    { id: 'basic', label: { 'zh-CN': '基本信息', en: 'Basic' }, fields: [
      { name: 'name', kind: 'text', required: 'system', maxLength: 200, label: { 'zh-CN': '客户名称', en: 'Name' } },
      { name: 'unitId', kind: 'unit', required: 'required', label: { 'zh-CN': '所属单位', en: 'Unit' } },
      { name: 'contact', kind: 'text', required: 'optional', maxLength: 200, label: { 'zh-CN': '联系人', en: 'Contact' } },
      { name: 'phone', kind: 'text', required: 'required', maxLength: 200, label: { 'zh-CN': '电话', en: 'Phone' } }] },
    { id: 'more', label: { 'zh-CN': '其他', en: 'More' }, fields: [
      { name: 'address', kind: 'text', required: 'optional', maxLength: 200, label: { 'zh-CN': '地址', en: 'Address' } },
      { name: 'notes', kind: 'textarea', required: 'optional', maxLength: 4000, label: { 'zh-CN': '备注', en: 'Notes' } }] }] }],
}

// TESSERA_MOCK=kinds adds a module "dev.kinds" with every field kind, kept in memory.
const L = (zh, en) => ({ 'zh-CN': zh, en })
const kindsModule = {
  id: 'dev.kinds', name: L('字段示例', 'Field kinds'), version: '0.0.0', tileImage: null,
  menu: [{ id: 'items', path: '/m/dev.kinds/items', label: L('示例列表', 'Samples'), order: 1 }],
  views: {
    dictionaries: [{ id: 'color', label: L('颜色', 'Colour'), items: [{ code: 'r', label: L('红', 'Red') }, { code: 'g', label: L('绿', 'Green') }] }],
    lists: [{ id: 'items', resource: 'items', card: 'item', pageSize: 10, label: L('示例列表', 'Samples'),
      columns: [{ field: 'title' }, { field: 'color' }, { field: 'amount' }, { field: 'day' }, { field: 'lines' }],
      filters: [{ param: 'color', kind: 'dropdown', dictionary: 'color', label: L('颜色', 'Colour') }] }],
    cards: [{ id: 'item', resource: 'items', label: L('示例', 'Sample'), sections: [{ id: 'all', label: L('全部类型', 'All kinds'), fields: [
      { name: 'title', kind: 'text', required: 'system', maxLength: 50, label: L('标题', 'Title') },
      { name: 'color', kind: 'dropdown', dictionary: 'color', required: 'required', label: L('颜色', 'Colour') },
      { name: 'amount', kind: 'number', required: 'optional', min: 0, max: 100, label: L('数量', 'Amount') },
      { name: 'day', kind: 'date', required: 'optional', label: L('日期', 'Day') },
      { name: 'count', kind: 'integer', required: 'optional', min: 0, max: 1000, label: L('件数', 'Count') },
      { name: 'price', kind: 'decimal', scale: 2, required: 'optional', min: 0, label: L('金额', 'Price') },
      { name: 'at', kind: 'datetime', notFuture: true, required: 'optional', label: L('时间', 'At') },
      { name: 'unitId', kind: 'unit', required: 'optional', label: L('单位', 'Unit') },
      { name: 'text', kind: 'textarea', required: 'optional', maxLength: 500, label: L('说明', 'Text') },
      { name: 'lines', kind: 'subform', required: 'optional', label: L('明细', 'Lines'), fields: [
        { name: 'what', kind: 'text', required: 'system', label: L('项目', 'Item') },
        { name: 'color', kind: 'dropdown', dictionary: 'color', required: 'optional', label: L('颜色', 'Colour') },
        { name: 'qty', kind: 'number', required: 'optional', min: 1, label: L('数量', 'Qty') }] }] }] }],
  },
}

// TESSERA_MOCK=kinds also adds "dev.handovers": a card with a workflow (交接: 待接收 ->
// 已接收 or 已退回), its steps, the to-do list and a printed document, answered in the
// shapes of host/services/record_steps.cpp and record_documents.cpp (docs/records.md,
// "Workflows" and "Documents"). Record 1 is the user's to send (editable, its slip
// printable); record 2 was sent to them by another unit (read-only to them: may.edit and
// may.delete false, the slip refused with its reason, 接收 and 退回 theirs to take).
const handoverStates = { pending: L('待接收', 'pending'), accepted: L('已接收', 'accepted'), returned: L('已退回', 'returned') }
const handoverSteps = {
  accept: { label: L('接收', 'accept'), from: ['pending'], to: 'accepted', unit: 'toUnitId', fields: ['acceptedOn', 'receiptNo'], requires: ['acceptedOn', 'receiptNo'], date: 'acceptedOn', comment: 'optional' },
  'give-back': { label: L('退回', 'give back'), from: ['pending'], to: 'returned', unit: 'toUnitId', fields: ['returnReason'], requires: ['returnReason'], comment: 'none' },
}
const handoverModule = {
  id: 'dev.handovers', name: L('交接示例', 'Handovers'), version: '0.0.0', tileImage: null,
  menu: [{ id: 'handovers', path: '/m/dev.handovers/handovers', label: L('交接', 'Handovers'), order: 1 }],
  views: {
    dictionaries: [{ id: 'handover-state', label: L('交接状态', 'Handover state'), items: [
      { code: 'pending', tag: 'warning', label: handoverStates.pending }, { code: 'accepted', tag: 'success', label: handoverStates.accepted },
      { code: 'returned', tag: 'danger', label: handoverStates.returned }] }],
    lists: [{ id: 'handovers', resource: 'handovers', card: 'handover', pageSize: 20, label: L('交接', 'Handovers'),
      columns: [{ field: 'subject' }, { field: 'unitId' }, { field: 'toUnitId' }, { field: 'state' }],
      filters: [{ param: 'state', kind: 'dropdown', dictionary: 'handover-state', label: L('状态', 'State') }] }],
    cards: [{ id: 'handover', resource: 'handovers', label: L('交接', 'Handover'), served: true, title: 'subject', order: '-id',
      units: ['unitId', 'toUnitId'],
      workflow: { field: 'state', steps: Object.entries(handoverSteps).map(([id, s]) => ({ id, label: s.label })) },
      documents: [{ id: 'slip', label: L('交接单', 'handover slip') }],
      sections: [
        { id: 'main', label: L('交接', 'Handover'), fields: [
          { name: 'subject', kind: 'text', required: 'system', maxLength: 100, search: true, label: L('事由', 'Subject') },
          { name: 'unitId', kind: 'unit', required: 'system', label: L('交出单位', 'From') },
          { name: 'toUnitId', kind: 'unit', required: 'system', label: L('接收单位', 'To') }] },
        { id: 'progress', label: L('办理情况', 'Progress'), fields: [
          { name: 'state', kind: 'dropdown', dictionary: 'handover-state', filter: true, label: L('状态', 'State') },
          { name: 'acceptedOn', kind: 'date', notFuture: true, label: L('接收日期', 'Accepted on') },
          { name: 'receiptNo', kind: 'text', maxLength: 30, label: L('收据号', 'Receipt number') },
          { name: 'returnReason', kind: 'textarea', maxLength: 500, label: L('退回原因', 'Reason for returning') }] }] }],
  },
}

// TESSERA_MOCK=1 (any mode) adds "dev.reports": a report (<report>, docs/manifests.md) of dues
// collected against dues due, by organisation or by member, for a year, with its totals row,
// drill-down by unitId and the export as CSV (the mock makes no Excel file: asking for one
// shows the export's error). 1999 answers a refusal, 2020 no figures: the error and empty states.
const reportsModule = {
  id: 'dev.reports', name: L('报表示例', 'Reports'), version: '0.0.0', tileImage: null,
  menu: [{ id: 'summary', path: '/m/dev.reports/summary', label: L('党费收缴汇总', 'Dues summary'), order: 1 }],
  views: {
    dictionaries: [{ id: 'summary-by', label: L('汇总方式', 'Summed by'), items: [
      { code: 'unit', label: L('按党组织', 'by organisation') }, { code: 'member', label: L('按党员', 'by member') }] }],
    lists: [], cards: [], charts: [],
    reports: [{ id: 'summary', resource: 'summary', label: L('党费收缴汇总', 'Dues collected against due'),
      params: [{ name: 'year', kind: 'year', label: L('年度', 'Year') },
        { name: 'by', kind: 'dropdown', dictionary: 'summary-by', label: L('汇总方式', 'Summed by') }],
      columns: [{ field: 'label', kind: 'text', label: L('项目', 'Item') },
        { field: 'members', kind: 'number', label: L('党员人数', 'Members') },
        { field: 'expected', kind: 'decimal', label: L('应交（元）', 'Due (yuan)') },
        { field: 'paid', kind: 'decimal', label: L('实交（元）', 'Paid (yuan)') },
        { field: 'owed', kind: 'decimal', label: L('欠交（元）', 'Owed (yuan)') },
        { field: 'paidTo', kind: 'text', label: L('交至年月', 'Paid up to') }] }],
  },
}
// Members of two branches with their monthly dues in fen and the month paid up to.
const duesBranches = [{ id: 901, name: '第一党支部' }, { id: 902, name: '第二党支部' }]
const duesMembers = [
  { name: '王芳', unitId: 901, monthly: 2000, paidTo: '2026-12' }, { name: '李强', unitId: 901, monthly: 4000, paidTo: '2026-11' },
  { name: '陈静', unitId: 901, monthly: 1500, paidTo: '2026-12' }, { name: '赵磊', unitId: 902, monthly: 12345, paidTo: '2026-09' },
  { name: '孙丽', unitId: 902, monthly: 20, paidTo: '2026-12' },
]
const yuan = fen => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`
// {title, items, total, params} as the host answers GET <resource>?unit=&year=&by=.
function duesSummary(query) {
  const year = query.get('year') || String(new Date().getFullYear())
  const by = query.get('by') || 'unit'
  const unit = query.get('unit') ? Number(query.get('unit')) : null
  if (!/^\d{4}$/.test(year)) return { status: 422, detail: `年度应为四位数字，而不是“${year}”` }
  if (year === '1999') return { status: 422, detail: '1999年尚未开始记录党费' }
  const months = Number(year) === 2026 ? 12 : 0
  const monthsPaid = m => (Number(year) === 2026 ? Number(m.paidTo.slice(5)) : 0)
  const members = duesMembers.filter(m => (!unit || duesBranches.every(b => b.id !== unit) || m.unitId === unit) && months)
  const figures = list => {
    const expected = list.reduce((s, m) => s + m.monthly * months, 0)
    const paid = list.reduce((s, m) => s + m.monthly * monthsPaid(m), 0)
    return { members: list.length, expected: yuan(expected), paid: yuan(paid), owed: yuan(expected - paid) }
  }
  const items = by === 'member'
    ? members.map(m => ({ label: m.name, ...figures([m]), paidTo: m.paidTo }))
    : duesBranches.map(b => ({ unitId: b.id, label: b.name, ...figures(members.filter(m => m.unitId === b.id)) })).filter(i => i.members)
  const byText = by === 'member' ? '按党员' : '按党组织'
  return { title: `${year}年 党费收缴汇总（${byText}）`, items, ...(items.length ? { total: { label: '合计', ...figures(members) } } : {}), params: { year, by } }
}

export function mockApi(target) {
  const tiles = new Map()
  const kinds = process.env.TESSERA_MOCK === 'kinds'
  const items = new Map()
  let nextId = 1
  // The handovers, their steps taken and their printed copies (see handoverModule).
  const now = () => new Date().toISOString().replace('T', ' ').slice(0, 19)
  const today = () => new Date().toISOString().slice(0, 10)
  const handovers = new Map([
    [1, { id: 1, subject: '档案交接（本单位交出）', unitId: 1, toUnitId: 2, state: 'pending', acceptedOn: null, receiptNo: '', returnReason: '', version: 1, mine: true }],
    [2, { id: 2, subject: '设备交接（他单位交来）', unitId: 2, toUnitId: 1, state: 'pending', acceptedOn: null, receiptNo: '', returnReason: '', version: 1, mine: false }],
  ])
  const stepsTaken = new Map([[1, []], [2, []]])
  const copies = []
  const unitNames = { 1: '本单位', 2: '东区/第一党支部' }
  const handoverJson = h => {
    const { mine, ...rec } = h
    return { ...rec, unitName: unitNames[h.unitId], unitPath: unitNames[h.unitId], labels: { toUnitId: unitNames[h.toUnitId] },
      createdAt: '2026-12-01T09:00:00Z', updatedAt: '2026-12-01T09:00:00Z' }
  }
  // The steps this user may take now: the receiver's, on the handover sent to them.
  const openSteps = h => (h.mine ? [] : Object.entries(handoverSteps).filter(([, s]) => s.from.includes(h.state)))
  const stepJson = ([id, s]) => ({ id, label: s.label['zh-CN'], to: s.to, toLabel: handoverStates[s.to]['zh-CN'], unit: s.unit,
    fields: s.fields, requires: s.requires, comment: s.comment, ...(s.date ? { date: s.date } : {}) })
  const problem = (status, title, detail, errors) => ({ title, status, detail, ...(errors ? { errors } : {}) })
  return {
    name: 'tessera-mock-api',
    configureServer(server) { server.middlewares.use(handler) },
    configurePreviewServer(server) { server.middlewares.use(handler) },
  }

  async function handler(req, res, next) {
    const url = new URL(req.url, 'http://x')
    const send = (status, body, type = 'application/json') => {
      res.statusCode = status
      res.setHeader('Content-Type', type)
      res.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body))
    }
    const upstream = p => fetch(target + p, { headers: { cookie: req.headers.cookie || '' } })
    if (url.pathname === '/api/v1/shell' && req.method === 'GET') {
      const me = await upstream('/api/v1/auth/me')
      if (!me.ok) return send(me.status, await me.text(), 'application/problem+json')
      const { user, permissions } = await me.json()
      const plugins = (await (await upstream('/api/v1/plugins')).json()).items.filter(p => p.state === 'started')
      const admin = permissions.includes('*')
      return send(200, {
        deployment: 'Tessera (mock shell)', user: { ...user, unitName: '' }, permissions,
        modules: plugins.map(p => ({ id: p.id, name: p.name, version: p.version, menu: p.menu || [],
          tileImage: tiles.has(p.id) ? `/api/v1/shell/tiles/${p.id}/image` : null,
          views: p.id === 'biz.customers' ? customersViews : { dictionaries: [], lists: [], cards: [] } }))
          .concat(kinds ? [kindsModule, handoverModule] : [], [reportsModule]),
        admin: { units: admin, users: admin, audit: admin, plugins: admin },
      })
    }
    if (kinds && url.pathname === '/api/v1/todo' && req.method === 'GET') {
      const waiting = [...handovers.values()].filter(h => openSteps(h).length)
      return send(200, { items: waiting.map(h => ({ plugin: 'dev.handovers', card: 'handover', resource: 'handovers', cardLabel: '交接', id: h.id,
        title: h.subject, state: h.state, stateLabel: handoverStates[h.state]['zh-CN'], unitName: unitNames[h.unitId], unitPath: unitNames[h.unitId],
        labels: { toUnitId: unitNames[h.toUnitId] }, since: '2026-12-01 17:41:00', steps: openSteps(h).map(([id, s]) => ({ id, label: s.label['zh-CN'] })) })),
      total: waiting.length, page: 1, size: Number(url.searchParams.get('size') || 20) })
    }
    const handover = kinds && url.pathname.match(/^\/api\/v1\/dev\.handovers\/handovers(?:\/(\d+)(?:\/(steps|documents|printed)(?:\/([^/]+))?)?)?$/)
    if (handover) {
      let body = ''
      for await (const c of req) body += c
      const [, idText, sub, arg] = handover
      if (!idText && req.method === 'GET') {
        const all = [...handovers.values()].filter(h => !url.searchParams.get('state') || h.state === url.searchParams.get('state')).map(handoverJson)
        return send(200, { items: all, page: 1, size: 20, total: all.length, next: null })
      }
      const h = handovers.get(Number(idText))
      if (!h) return send(404, problem(404, '未找到', `没有编号为 ${idText} 的交接`), 'application/problem+json')
      if (!sub && req.method === 'GET') {
        res.setHeader('ETag', `"${h.version}"`)
        return send(200, { ...handoverJson(h), may: { edit: h.mine, delete: h.mine } })
      }
      if (!sub && (req.method === 'PUT' || req.method === 'DELETE') && !h.mine) {
        return send(403, problem(403, '禁止访问', '只有交出单位可以修改或删除这条交接'), 'application/problem+json')
      }
      if (sub === 'steps' && !arg && req.method === 'GET') {
        return send(200, { state: h.state, stateLabel: handoverStates[h.state]['zh-CN'], version: h.version, steps: openSteps(h).map(stepJson), history: stepsTaken.get(h.id) })
      }
      if (sub === 'steps' && arg && req.method === 'POST') {
        const step = handoverSteps[arg]
        if (!step) return send(404, problem(404, '未找到', `交接没有“${arg}”这一步`), 'application/problem+json')
        if (!openSteps(h).some(([id]) => id === arg)) return send(403, problem(403, '禁止访问', `交接 ${h.id} 的“${step.label['zh-CN']}”只能由接收单位办理`), 'application/problem+json')
        if (!step.from.includes(h.state)) return send(409, problem(409, '冲突', `交接 ${h.id} 现在是${handoverStates[h.state]['zh-CN']}，不能${step.label['zh-CN']}`), 'application/problem+json')
        if (req.headers['if-match'] !== `"${h.version}"`) {
          res.setHeader('ETag', `"${h.version}"`)
          return send(412, problem(412, '记录已被他人修改', `交接已被他人修改（现在是第 ${h.version} 版）`), 'application/problem+json')
        }
        const values = JSON.parse(body || '{}')
        if (step.date && !values[step.date]) values[step.date] = today()
        const missing = step.requires.filter(f => !values[f] && !h[f])
        if (missing.length) return send(422, problem(422, '无法保存', '请检查标出的字段', missing.map(field => ({ field, message: '不能为空' }))), 'application/problem+json')
        const from = h.state
        for (const f of step.fields) if (values[f] !== undefined) h[f] = values[f]
        h.state = step.to
        h.version++
        stepsTaken.get(h.id).push({ step: arg, label: step.label['zh-CN'], from, fromLabel: handoverStates[from]['zh-CN'], to: step.to,
          toLabel: handoverStates[step.to]['zh-CN'], by: '开发用户', at: now(), comment: values.comment || '', version: h.version })
        res.setHeader('ETag', `"${h.version}"`)
        return send(200, handoverJson(h))
      }
      if (sub === 'documents' && !arg && req.method === 'GET') {
        return send(200, { documents: [h.mine ? { id: 'slip', label: '交接单', canPrint: true }
          : { id: 'slip', label: '交接单', canPrint: false, why: `交接 ${h.id} 的“交接单”只能由在${unitNames[h.unitId]}有“办理交接”权限的人打印` }],
        printed: copies.filter(c => c.record === h.id).map(({ record, html, ...c }) => c) })
      }
      if (sub === 'documents' && arg && req.method === 'POST') {
        if (!h.mine) return send(403, problem(403, '禁止访问', `交接 ${h.id} 的“交接单”只能由在${unitNames[h.unitId]}有“办理交接”权限的人打印`), 'application/problem+json')
        const number = `交字${today().slice(0, 4)}第${String(copies.length + 1).padStart(3, '0')}号`
        const copy = { id: copies.length + 1, record: h.id, document: 'slip', label: '交接单', number, printedOn: today(), at: now(), by: '开发用户',
          html: `<style>@page { size: A4 } .slip { break-after: page }</style><div class="slip"><h1>交接单</h1><p>编号：${number}</p><p>${h.subject}</p></div>` }
        copies.push(copy)
        res.setHeader('Location', `/api/v1/dev.handovers/handovers/${h.id}/printed/${copy.id}`)
        const { record, ...answer } = copy
        return send(201, answer)
      }
      if (sub === 'printed' && arg && req.method === 'GET') {
        const copy = copies.find(c => c.record === h.id && String(c.id) === arg)
        if (!copy) return send(404, problem(404, '未找到', `没有编号为 ${arg} 的打印件`), 'application/problem+json')
        const { record, ...answer } = copy
        return send(200, answer)
      }
      return send(405, problem(405, '方法不允许', `${req.method} ${url.pathname}`), 'application/problem+json')
    }
    if (url.pathname === '/api/v1/reminders') {
      return send(200, { unitId: 1, date: new Date().toISOString().slice(0, 10), items: [
        { plugin: 'biz.customers', text: { 'zh-CN': '3 位客户超过 90 天未联系', en: '3 customers not contacted for 90 days' }, level: 'warning', link: '/m/biz.customers/customers' },
        { plugin: 'biz.customers', text: '合同即将到期', level: 'urgent', due: '2026-12-01' }]
        .concat(kinds ? [{ plugin: 'core', text: '1 条交接待接收，待您处理', level: 'info', link: '/todo' }] : []) })
    }
    const item = kinds && url.pathname.match(/^\/api\/v1\/dev\.kinds\/items(?:\/(\d+))?$/)
    if (item) {
      let body = ''
      for await (const c of req) body += c
      const id = item[1] && Number(item[1])
      if (!id && req.method === 'GET') {
        const all = [...items.values()].filter(i => !url.searchParams.get('color') || i.color === url.searchParams.get('color'))
        return send(200, { items: all, page: 1, size: 10, total: all.length })
      }
      if (!id && req.method === 'POST') {
        const rec = { ...JSON.parse(body), id: nextId++, version: 1 }
        items.set(rec.id, rec)
        res.setHeader('ETag', `"${rec.version}"`)
        return send(201, rec)
      }
      const rec = items.get(id)
      if (!rec) return send(404, { title: 'Not Found', status: 404, detail: 'no such item' }, 'application/problem+json')
      res.setHeader('ETag', `"${rec.version}"`)
      if (req.method === 'GET') return send(200, rec)
      if (req.headers['if-match'] !== `"${rec.version}"`) return send(412, { title: 'Precondition Failed', status: 412, detail: `changed by someone else (now version ${rec.version})` }, 'application/problem+json')
      if (req.method === 'DELETE') { items.delete(id); res.statusCode = 204; return res.end() }
      const updated = { ...JSON.parse(body), id, version: rec.version + 1 }
      if ((updated.lines || []).some(l => l.qty > 50)) return send(422, { title: 'Unprocessable', status: 422, errors: [{ field: 'lines[0].qty', message: 'at most 50' }, { field: 'other', message: 'something else' }] }, 'application/problem+json')
      items.set(id, updated)
      res.setHeader('ETag', `"${updated.version}"`)
      return send(200, updated)
    }
    const labelIds = url.pathname === '/api/v1/units/labels' ? (url.searchParams.get('ids') || '').split(',') : []
    if (labelIds.length && labelIds.every(id => duesBranches.some(b => String(b.id) === id))) {
      return send(200, { items: duesBranches.filter(b => labelIds.includes(String(b.id))).map(b => ({ id: b.id, name: b.name, path: `机关党委/${b.name}` })) })
    }
    if (url.pathname === '/api/v1/dev.reports/summary' && req.method === 'GET') {
      const r = duesSummary(url.searchParams)
      return r.status ? send(r.status, problem(r.status, '无法生成报表', r.detail), 'application/problem+json') : send(200, r)
    }
    if (url.pathname === '/api/v1/reports/dev.reports/summary/export' && req.method === 'GET') {
      const r = duesSummary(url.searchParams)
      if (r.status) return send(r.status, problem(r.status, '无法导出', r.detail), 'application/problem+json')
      if (url.searchParams.get('format') !== 'csv') return send(501, problem(501, '无法导出', '开发用的模拟接口不生成 Excel 文件，请导出 CSV'), 'application/problem+json')
      const columns = reportsModule.views.reports[0].columns
      const rows = [columns.map(c => c.label['zh-CN']), ...r.items.concat(r.total ? [r.total] : []).map(i => columns.map(c => i[c.field] ?? ''))]
      res.setHeader('Content-Disposition', `attachment; filename="summary.csv"; filename*=UTF-8''${encodeURIComponent(r.title + '.csv')}`)
      return send(200, '\uFEFF' + rows.map(row => row.join(',')).join('\r\n') + '\r\n', 'text/csv; charset=utf-8')
    }
    const tile = url.pathname.match(/^\/api\/v1\/shell\/tiles\/([^/]+)\/image$/)
    if (tile) {
      if (req.method === 'GET') return tiles.has(tile[1]) ? send(200, tiles.get(tile[1]).data, tiles.get(tile[1]).type) : send(404, { title: 'Not Found', status: 404 })
      if (req.method === 'DELETE') { tiles.delete(tile[1]); res.statusCode = 204; return res.end() }
      if (req.method === 'PUT') {
        let body = ''
        for await (const c of req) body += c
        const { contentType, data } = JSON.parse(body)
        tiles.set(tile[1], { type: contentType, data: Buffer.from(data, 'base64') })
        res.statusCode = 204
        return res.end()
      }
    }
    next()
  }
}
