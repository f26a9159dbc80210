// Vite build of the Tessera web shell. The host serves the output from /
// (<build>/share/tessera/web, or TESSERA_WEB_ROOT), with index.html for extensionless paths.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

const here = fileURLToPath(new URL('.', import.meta.url))

export default defineConfig(async ({ command }) => {
  const plugins = [
    vue(),
    // Element Plus on demand: only the components used in templates, each with its CSS.
    Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: false }),
  ]
  // Development only: `TESSERA_MOCK=1 npm run dev` (or `npx vite preview`) answers the shell endpoints from dev/mock-api.js
  // when the host has none; everything else goes to the host at TESSERA_API.
  if (command === 'serve' && process.env.TESSERA_MOCK) {
    const { mockApi } = await import('./dev/mock-api.js')
    plugins.push(mockApi(process.env.TESSERA_API || 'http://127.0.0.1:8080'))
  }
  const proxy = { '/api': { target: process.env.TESSERA_API || 'http://127.0.0.1:8080', changeOrigin: false } }
  return {
    base: '/',
    plugins,
    define: {
      __VUE_OPTIONS_API__: 'true',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
      __VUE_I18N_FULL_INSTALL__: 'false',
      __VUE_I18N_LEGACY_API__: 'false',
      __INTLIFY_PROD_DEVTOOLS__: 'false',
    },
    build: {
      outDir: process.env.TESSERA_WEB_OUT || `${here}../build/share/tessera/web`,
      emptyOutDir: true,
      assetsDir: 'assets',
      chunkSizeWarningLimit: 900,
      rolldownOptions: {
        output: {
          // The framework in one long-lived chunk; Element Plus components stay split by page.
          codeSplitting: { groups: [{ name: 'vue', test: /node_modules[\\/](@vue|vue|vue-router|vue-i18n|@intlify)[\\/]/ }] },
        },
      },
    },
    server: { proxy },
    preview: { proxy },
  }
})
