// The dialog that creates a record or edits one (departments, teams,
// categories): `openEdit(null)` opens it empty, `openEdit(item)` filled from
// the item. `save` checks the form, creates or updates, says so, closes the
// dialog and reads the list again; a failure stays in the dialog as `error`.
import { reactive, ref, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import { useSubmit } from '@/composables/useSubmit'

/** What the records are and how they are saved. */
export interface EditDialogSource<T extends { id: number }, F extends object, B> {
  /** The form for `item`, or an empty one for null. */
  fill(item: T | null): F
  /** Why the form cannot be saved, or '' when it can. */
  check(form: F): string
  /** What is sent for the form. */
  body(form: F): B
  create(body: B): Promise<unknown>
  update(id: number, body: B): Promise<unknown>
  /** Reads the list again after a save. */
  reload(): Promise<unknown>
}

/** Call during setup (it asks for the i18n instance). */
export function useEditDialog<T extends { id: number }, F extends object, B>(source: EditDialogSource<T, F, B>) {
  const { t } = useI18n()
  const open = ref(false)
  const editing = ref(null) as Ref<T | null>
  const form = reactive(source.fill(null)) as F // plain values: nothing to unwrap
  const { saving, error, run } = useSubmit()

  function openEdit(item: T | null) {
    editing.value = item
    Object.assign(form, source.fill(item))
    error.value = ''
    open.value = true
  }

  async function save() {
    const invalid = source.check(form)
    if (invalid) {
      error.value = invalid
      return
    }
    await run(async () => {
      const body = source.body(form)
      if (editing.value) await source.update(editing.value.id, body)
      else await source.create(body)
      ElMessage.success(editing.value ? t('admin.updated') : t('admin.created'))
      open.value = false
      await source.reload()
    })
  }

  return { open, editing, form, saving, error, openEdit, save }
}
