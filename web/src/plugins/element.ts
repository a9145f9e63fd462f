// Registers the Element Plus components of element-components.ts globally,
// and the v-loading directive.
import type { App } from 'vue'
import { ElLoading } from 'element-plus'
import * as components from './element-components'

export function installElement(app: App) {
  for (const c of Object.values(components)) app.use(c)
  app.use(ElLoading)
}
