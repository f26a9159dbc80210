import { createApp } from 'vue'
import App from './App.vue'
import { router } from './router.js'
import { i18n, locale } from './i18n.js'
import './style.css'

document.documentElement.lang = locale.value
createApp(App).use(i18n).use(router).mount('#app')
