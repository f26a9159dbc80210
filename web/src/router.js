import { createRouter, createWebHistory } from 'vue-router'
import { session, restore, loadShell, expired } from './session.js'
import { setUnauthorizedHandler } from './api.js'

const routes = [
  { path: '/login', name: 'login', component: () => import('./pages/LoginPage.vue'), meta: { public: true } },
  // A form answered without logging in, through a record's single-use link (a ticket's survey).
  { path: '/p/:plugin/survey/:token', name: 'public-survey', component: () => import('./pages/PublicSurveyPage.vue'), props: true, meta: { public: true } },
  { path: '/m/:plugin/:card/:id/print', name: 'print', component: () => import('./pages/PrintPage.vue'), props: true },
  { path: '/m/:plugin/:card/:id/printed/:copy', name: 'print-document', component: () => import('./pages/PrintDocumentPage.vue'), props: true },
  {
    path: '/',
    component: () => import('./pages/ShellLayout.vue'),
    children: [
      { path: '', name: 'home', component: () => import('./pages/HomePage.vue') },
      { path: 'admin/plugins', name: 'plugins', component: () => import('./pages/PluginsPage.vue') },
      { path: 'jobs', name: 'jobs', component: () => import('./pages/JobsPage.vue') },
      { path: 'todo', name: 'todo', component: () => import('./pages/TodoPage.vue') },
      {
        path: 'm/:plugin',
        component: () => import('./pages/ModuleLayout.vue'),
        props: true,
        children: [
          { path: '', name: 'module', component: () => import('./pages/ModuleIndex.vue'), props: true },
          { path: ':list', name: 'list', component: () => import('./pages/ModuleView.vue'), props: true },
          { path: ':card/:id', name: 'card', component: () => import('./components/CardView.vue'), props: true },
        ],
      },
    ],
  },
  { path: '/:rest(.*)*', redirect: '/' },
]

// A new page starts at its top; back and forward return to where the page was. (A list
// opened with 返回列表 restores its own position once its rows are drawn: listReturn.js.)
const scrollBehavior = (to, from, saved) => saved || (to.path !== from.path ? { top: 0 } : false)

export const router = createRouter({ history: createWebHistory('/'), routes, scrollBehavior })

router.beforeEach(async (to) => {
  if (to.meta.public) return true
  if (!(await restore())) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
  await loadShell()
  return true
})

// Any 401 after the first check: the session has expired; log in again, then come back.
setUnauthorizedHandler(() => {
  if (!session.user) return
  expired()
  const here = router.currentRoute.value
  if (here.name !== 'login') router.push({ name: 'login', query: { redirect: here.fullPath, expired: '1' } })
})
