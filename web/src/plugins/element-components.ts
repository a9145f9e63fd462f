// Element Plus components used on most screens, registered globally by
// installElement (element.ts), which takes every export of this file: a
// component is named once, here.
// (Sub-components such as ElOption, ElFormItem, ElRadioButton come with their
// parent's plugin: ElSelect, ElForm, ElRadio.)
// Heavier ones (table, date picker, autocomplete) are imported by the lazily
// loaded screens that need them, so they stay out of the initial bundle.
export {
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
} from 'element-plus'
