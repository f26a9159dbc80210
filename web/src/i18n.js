import { createI18n } from 'vue-i18n'
import { computed } from 'vue'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import en from 'element-plus/es/locale/lang/en'
import messages from './messages.js'
import { setApiLanguage } from './api.js'

const KEY = 'tessera.locale'
const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(KEY) : null

export const i18n = createI18n({
  legacy: false,
  locale: saved === 'en' ? 'en' : 'zh-CN',
  fallbackLocale: 'zh-CN',
  messages,
})

export const locale = i18n.global.locale
setApiLanguage(locale.value)
export const elementLocale = computed(() => (locale.value === 'en' ? en : zhCn))

function show(l) {
  locale.value = l
  setApiLanguage(l)
  document.documentElement.lang = l
}

/** This browser's language (the login page's, and a user's without a setting of their own). */
export function setLocale(l) {
  localStorage.setItem(KEY, l)
  show(l)
}

/**
 * A logged-in user's language setting ('zh-CN', 'en', or '' for this browser's): the shell
 * and the server's messages follow it until logout.
 */
export function followUserLanguage(setting) {
  show(setting === 'en' || setting === 'zh-CN' ? setting : (localStorage.getItem(KEY) === 'en' ? 'en' : 'zh-CN'))
}

/** A label from the API: {"zh-CN": ..., "en": ...} or a plain string. */
export function tr(label) {
  if (label == null) return ''
  if (typeof label !== 'object') return String(label)
  return label[locale.value] ?? label['zh-CN'] ?? label.en ?? Object.values(label)[0] ?? ''
}
