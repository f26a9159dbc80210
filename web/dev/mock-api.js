// Development only (never part of the build): answers /api/v1/shell, /api/v1/reminders and
// the tile images when the host does not have them yet; the rest goes to the real host.
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

export function mockApi(target) {
  const tiles = new Map()
  const kinds = process.env.TESSERA_MOCK === 'kinds'
  const items = new Map()
  let nextId = 1
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
          .concat(kinds ? [kindsModule] : []),
        admin: { units: admin, users: admin, audit: admin, plugins: admin },
      })
    }
    if (url.pathname === '/api/v1/reminders') {
      return send(200, { unitId: 1, date: new Date().toISOString().slice(0, 10), items: [
        { plugin: 'biz.customers', text: { 'zh-CN': '3 位客户超过 90 天未联系', en: '3 customers not contacted for 90 days' }, level: 'warning', link: '/m/biz.customers/customers' },
        { plugin: 'biz.customers', text: '合同即将到期', level: 'urgent', due: '2026-12-01' }] })
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
