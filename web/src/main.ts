import { createApp } from 'vue'
import { createPinia } from 'pinia'
import { ElMessage } from 'element-plus'
import 'element-plus/dist/index.css'
import './styles/main.css'
import App from './App.vue'
import { i18n } from './i18n'
import { createAppRouter } from './router'
import { installElement } from './plugins/element'
import { onUnauthorized } from './api/client'
import { useAuthStore } from './stores/auth'
import { useRealtimeStore } from './stores/realtime'
import { errorMessage } from './utils/errors'

const app = createApp(App)
const pinia = createPinia()
app.use(pinia)
app.use(i18n)
const router = createAppRouter()
app.use(router)
installElement(app)

// A 401 anywhere means the session is gone: back to the login page.
onUnauthorized(() => {
  const auth = useAuthStore()
  if (!auth.isLoggedIn) return
  auth.expire()
  useRealtimeStore().stop()
  const current = router.currentRoute.value
  if (current.name !== 'login') {
    router.replace({ name: 'login', query: { redirect: current.fullPath, expired: '1' } })
  }
})

// Anything unexpected: tell the person, keep the details in the console.
app.config.errorHandler = (err) => {
  console.error(err)
  ElMessage.error(errorMessage(err))
}

document.documentElement.lang = i18n.global.locale.value
app.mount('#app')
