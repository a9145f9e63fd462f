// The state of a list of items that are tried in order (triage rules, SLA
// policies): read in their order, moved one place up or down (positions
// become 10, 20, 30…), switched on and off, deleted after asking. While a
// change runs `busy` is true; a change that fails is reported and the list is
// read again, so that it shows what the server has.
import { ref, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage, ElMessageBox } from 'element-plus'
import { errorMessage } from '@/utils/errors'
import { moveByPosition, type Positioned } from '@/utils/reorder'

export interface OrderedItem extends Positioned {
  name: string
  enabled: boolean
  version: number
}

/** Where the items come from and how they are changed. */
export interface OrderedListSource<T extends OrderedItem> {
  list(): Promise<{ items: T[] }>
  /** Saves a change of `enabled` or `position`; the answer is merged into the item. */
  update(id: number, change: { enabled?: boolean; position?: number }): Promise<Partial<T>>
  remove(id: number): Promise<unknown>
  /** The question asked before `remove`. */
  confirmDelete(item: T): string
}

/** Call during setup (it asks for the i18n instance). */
export function useOrderedList<T extends OrderedItem>(source: OrderedListSource<T>) {
  const { t } = useI18n()
  const items = ref([]) as Ref<T[]>
  const loading = ref(false)
  const busy = ref(false)

  async function load() {
    loading.value = true
    try {
      items.value = (await source.list()).items.sort((a, b) => a.position - b.position || a.id - b.id)
    } catch (e) {
      ElMessage.error(errorMessage(e))
    } finally {
      loading.value = false
    }
  }

  /** Runs a change of the list (or one the list depends on) while `busy`. */
  async function change(fn: () => Promise<unknown>) {
    busy.value = true
    try {
      await fn()
    } catch (e) {
      ElMessage.error(errorMessage(e))
      await load()
    } finally {
      busy.value = false
    }
  }

  const toggle = (item: T, enabled: boolean) => change(async () => Object.assign(item, await source.update(item.id, { enabled })))

  const move = (index: number, delta: number) =>
    change(async () => {
      items.value = await moveByPosition(items.value, index, delta, (item, position) => source.update(item.id, { position }))
    })

  async function remove(item: T) {
    try {
      await ElMessageBox.confirm(source.confirmDelete(item), t('common.delete'), { type: 'warning' })
    } catch {
      return
    }
    await change(async () => {
      await source.remove(item.id)
      await load()
    })
  }

  return { items, loading, busy, load, change, toggle, move, remove }
}
