// Element Plus components used on most screens, registered globally.
// (Sub-components such as ElOption, ElFormItem, ElRadioButton come with their
// parent's plugin: ElSelect, ElForm, ElRadio.)
// Heavier ones (table, date picker, autocomplete) are imported by the lazily
// loaded screens that need them, so they stay out of the initial bundle.
import type { App } from 'vue'
import {
  ElAlert,
  ElBadge,
  ElButton,
  ElCheckbox,
  ElConfigProvider,
  ElDialog,
  ElDropdown,
  ElEmpty,
  ElForm,
  ElIcon,
  ElInput,
  ElPopover,
  ElRadio,
  ElSelect,
  ElSwitch,
  ElTag,
  ElTooltip,
  ElLoading,
} from 'element-plus'

const components = [
  ElAlert,
  ElBadge,
  ElButton,
  ElCheckbox,
  ElConfigProvider,
  ElDialog,
  ElDropdown,
  ElEmpty,
  ElForm,
  ElIcon,
  ElInput,
  ElPopover,
  ElRadio,
  ElSelect,
  ElSwitch,
  ElTag,
  ElTooltip,
]

export function installElement(app: App) {
  for (const c of components) app.use(c)
  app.use(ElLoading)
}
