// The shell's own texts. Module names, field labels and dictionaries come from the API.
export default {
  'zh-CN': {
    app: { title: 'Tessera 管理平台', home: '导航', plugins: '插件管理', jobs: '后台任务', logout: '退出登录', language: 'English', loading: '加载中…' },
    login: {
      title: '登录', username: '用户名', password: '密码', submit: '登录',
      expired: '会话已过期，请重新登录。', wrong: '用户名或密码错误', locked: '尝试次数过多，账户已锁定，请 {min} 分钟后再试。',
      required: '请输入用户名和密码',
    },
    home: {
      modules: '业务模块', reminders: '提醒', noReminders: '暂无提醒', noModules: '您没有可用的模块',
      replace: '更换图片', reset: '恢复默认', replaced: '图片已更换', enter: '点击进入', imageBad: '请选择 PNG、JPEG、GIF、WebP 或 SVG 图片',
      level: { info: '提示', warning: '注意', urgent: '紧急' }, due: '期限',
    },
    list: {
      search: '搜索', searchPlaceholder: '输入关键字搜索', new: '新建', reset: '重置', total: '共 {n} 条',
      unit: '单位', allUnits: '全部单位', empty: '没有记录', noView: '该模块没有列表视图 {id}',
      export: '导出', exportCsv: 'CSV 文件', exportXlsx: 'Excel 文件 (.xlsx)',
    },
    chart: { noView: '该模块没有统计视图 {id}', total: '合计 {n}', item: '项目', count: '数量' },
    jobs: {
      title: '后台任务', starting: '正在启动任务…', cancel: '取消任务', download: '下载', close: '关闭', background: '转入后台',
      refresh: '刷新', none: '没有后台任务', what: '任务', state: '状态', progress: '进度', created: '开始时间', actions: '操作',
      states: { queued: '排队中', running: '进行中', succeeded: '已完成', failed: '失败', cancelled: '已取消', interrupted: '已中断' },
    },
    card: {
      save: '保存', delete: '删除', print: '打印', back: '返回列表', new: '新建', saved: '已保存', deleted: '已删除',
      confirmDelete: '确定删除这条记录吗？', confirm: '确认', cancel: '取消', reload: '重新加载',
      stale: '记录已被他人修改', problems: '无法保存', noView: '该模块没有卡片视图 {id}',
      legendSystem: '系统必填（不填无法保存）', legendRequired: '必填', legendOptional: '选填',
      requiredEmpty: '以下必填项尚未填写：{names}', systemEmpty: '{label} 不能为空',
      row: '第 {n} 行', addRow: '添加', editRow: '编辑', removeRow: '删除', ok: '确定', rows: '共 {n} 行', notFound: '记录不存在或不在您的权限范围内',
    },
    org: { title: '组织机构', search: '搜索单位', noAccess: '无权查看组织机构', clear: '清除' },
    print: { print: '打印', close: '返回', printedAt: '打印时间' },
    plugins: {
      title: '插件管理', id: '标识', name: '名称', version: '版本', state: '状态', reason: '原因', features: '功能开关',
      note: '功能开关可在此修改：修改保存在数据库中，优先于部署配置文件（deployment XML）的设置，在主机重启后生效；“使用配置”撤销修改。插件的启用与停用由部署配置文件决定，修改后同样需重启主机。',
      restartNeeded: '重启后生效', useConfig: '使用配置',
      states: { started: '运行中', stopped: '已停止', failed: '失败', skipped: '已跳过', disabled: '未启用' },
    },
    errors: { generic: '操作失败', forbidden: '没有权限', network: '无法连接服务器' },
  },
  en: {
    app: { title: 'Tessera', home: 'Home', plugins: 'Plugins', jobs: 'Jobs', logout: 'Log out', language: '中文', loading: 'Loading…' },
    login: {
      title: 'Log in', username: 'User name', password: 'Password', submit: 'Log in',
      expired: 'Your session has expired. Please log in again.', wrong: 'Wrong user name or password', locked: 'Too many attempts: locked, try again in {min} minutes.',
      required: 'Enter your user name and password',
    },
    home: {
      modules: 'Modules', reminders: 'Reminders', noReminders: 'No reminders', noModules: 'You have no modules',
      replace: 'Replace picture', reset: 'Default picture', replaced: 'Picture replaced', enter: 'Click to enter', imageBad: 'Choose a PNG, JPEG, GIF, WebP or SVG image',
      level: { info: 'Info', warning: 'Warning', urgent: 'Urgent' }, due: 'Due',
    },
    list: {
      search: 'Search', searchPlaceholder: 'Search', new: 'New', reset: 'Reset', total: '{n} in all',
      unit: 'Unit', allUnits: 'All units', empty: 'No records', noView: 'This module has no list view {id}',
      export: 'Export', exportCsv: 'CSV file', exportXlsx: 'Excel file (.xlsx)',
    },
    chart: { noView: 'This module has no chart view {id}', total: '{n} in all', item: 'Item', count: 'Count' },
    jobs: {
      title: 'Jobs', starting: 'Starting the job…', cancel: 'Cancel job', download: 'Download', close: 'Close', background: 'Run in background',
      refresh: 'Refresh', none: 'No jobs', what: 'Job', state: 'State', progress: 'Progress', created: 'Started', actions: 'Actions',
      states: { queued: 'queued', running: 'running', succeeded: 'done', failed: 'failed', cancelled: 'cancelled', interrupted: 'interrupted' },
    },
    card: {
      save: 'Save', delete: 'Delete', print: 'Print', back: 'Back to the list', new: 'New', saved: 'Saved', deleted: 'Deleted',
      confirmDelete: 'Delete this record?', confirm: 'Confirm', cancel: 'Cancel', reload: 'Reload',
      stale: 'Someone else changed this record', problems: 'Could not save', noView: 'This module has no card view {id}',
      legendSystem: 'system-required (cannot save without)', legendRequired: 'required', legendOptional: 'optional',
      requiredEmpty: 'Required fields still empty: {names}', systemEmpty: '{label} is required',
      row: 'row {n},', addRow: 'Add', editRow: 'Edit', removeRow: 'Remove', ok: 'OK', rows: '{n} rows', notFound: 'The record does not exist or is outside your scope',
    },
    org: { title: 'Organisation', search: 'Search units', noAccess: 'No access to the organisation tree', clear: 'Clear' },
    print: { print: 'Print', close: 'Back', printedAt: 'Printed' },
    plugins: {
      title: 'Plugins', id: 'Id', name: 'Name', version: 'Version', state: 'State', reason: 'Reason', features: 'Features',
      note: 'Feature switches can be changed here: a change is stored in the database, wins over the deployment config (deployment XML) and takes effect when the host is restarted; "Use config" undoes it. Which plugins run is set in the deployment config, also effective after a restart.',
      restartNeeded: 'after restart', useConfig: 'Use config',
      states: { started: 'started', stopped: 'stopped', failed: 'failed', skipped: 'skipped', disabled: 'disabled' },
    },
    errors: { generic: 'The operation failed', forbidden: 'Not allowed', network: 'Cannot reach the server' },
  },
}
