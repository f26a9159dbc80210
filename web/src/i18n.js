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

export function setLocale(l) {
  locale.value = l
  setApiLanguage(l)
  localStorage.setItem(KEY, l)
  document.documentElement.lang = l
}

/** A label from the API: {"zh-CN": ..., "en": ...} or a plain string. */
export function tr(label) {
  if (label == null) return ''
  if (typeof label !== 'object') return String(label)
  return label[locale.value] ?? label['zh-CN'] ?? label.en ?? Object.values(label)[0] ?? ''
}
