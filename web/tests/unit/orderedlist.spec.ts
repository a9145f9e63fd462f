import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { ElMessage, ElMessageBox } from 'element-plus'
import OrderedList from '@/components/OrderedList.vue'
import { useOrderedList, type OrderedItem } from '@/composables/useOrderedList'
import { flush, mountApp } from './helpers'

afterEach(() => {
  vi.restoreAllMocks()
})

interface Item extends OrderedItem {
  what: string
}

const item = (id: number, position: number, name = `item ${id}`): Item => ({ id, position, name, enabled: true, version: 1, what: `does ${id}` })

/** A server in memory: every change raises the version, as the real one does. */
function fakeServer(items: Item[]) {
  const stored = items.map((i) => ({ ...i }))
  const copy = () => stored.map((i) => ({ ...i }))
  return {
    stored,
    list: vi.fn(async () => ({ items: copy() })),
    update: vi.fn(async (id: number, change: { enabled?: boolean; position?: number }) => {
      const i = stored.find((s) => s.id === id)!
      Object.assign(i, change, { version: i.version + 1 })
      return { ...i }
    }),
    remove: vi.fn(async (id: number) => {
      stored.splice(stored.findIndex((s) => s.id === id), 1)
    }),
    confirmDelete: (i: Item) => `delete ${i.name}?`,
  }
}

/** What a view does: the composable's state drawn by the list. */
async function mountList(server: ReturnType<typeof fakeServer>, props: { readonly?: boolean; editLabel?: string } = {}) {
  const Host = defineComponent({
    setup() {
      const list = useOrderedList<Item>(server)
      list.load()
      return () =>
        h(
          OrderedList,
          {
            items: list.items.value,
            kind: 'thing',
            loading: list.loading.value,
            busy: list.busy.value,
            ...props,
            onMove: list.move,
            onToggle: list.toggle,
            onRemove: list.remove,
          },
          { summary: ({ item }: { item: Item }) => item.what },
        )
    },
  })
  const w = mountApp(Host)
  await flush()
  return w
}

const names = (w: Awaited<ReturnType<typeof mountList>>) => w.findAll('[data-test="thing-name-text"]').map((n) => n.text())

describe('ordered list', () => {
  it('shows the items by position, then id, with what each does and its version', async () => {
    const w = await mountList(fakeServer([item(3, 20), item(1, 10), item(2, 20)]))
    expect(names(w)).toEqual(['item 1', 'item 2', 'item 3'])
    expect(w.find('[data-thing-id="2"]').text()).toContain('does 2 · v1')
  })

  it('shows names literally, never as HTML', async () => {
    const w = await mountList(fakeServer([item(1, 10, '<img src=x onerror=alert(1)>')]))
    expect(w.find('img').exists()).toBe(false)
    expect(names(w)).toEqual(['<img src=x onerror=alert(1)>'])
  })

  it('moves an item up, renumbering 10, 20, 30 and saving only the positions that change', async () => {
    const server = fakeServer([item(1, 10), item(2, 20), item(3, 30), item(4, 40)])
    const w = await mountList(server)
    await w.findAll('[data-test="thing-up"]')[2].trigger('click')
    await flush()
    expect(names(w)).toEqual(['item 1', 'item 3', 'item 2', 'item 4'])
    expect(server.update.mock.calls).toEqual([
      [3, { position: 20 }],
      [2, { position: 30 }],
    ])
    expect(w.find('[data-thing-id="3"]').text()).toContain('v2')
  })

  it('cannot move the first item up nor the last one down', async () => {
    const w = await mountList(fakeServer([item(1, 10), item(2, 20)]))
    const up = w.findAll('[data-test="thing-up"]')
    const down = w.findAll('[data-test="thing-down"]')
    expect([up[0].attributes('disabled'), up[1].attributes('disabled')]).toEqual(['', undefined])
    expect([down[0].attributes('disabled'), down[1].attributes('disabled')]).toEqual([undefined, ''])
  })

  it('switches an item off and shows the server’s answer', async () => {
    const server = fakeServer([item(1, 10)])
    const w = await mountList(server)
    await w.find('[data-test="thing-enabled"]').trigger('click')
    await flush()
    expect(server.update.mock.calls).toEqual([[1, { enabled: false }]])
    expect(w.find('[data-thing-id="1"]').classes()).toContain('off')
    expect(w.find('[data-thing-id="1"]').text()).toContain('v2')
  })

  it('reports a change the server refused and reads the list again', async () => {
    const server = fakeServer([item(1, 10)])
    server.update.mockRejectedValueOnce(new Error('refused'))
    const shown = vi.spyOn(ElMessage, 'error').mockImplementation(() => ({ close() {} }) as never)
    const w = await mountList(server)
    await w.find('[data-test="thing-enabled"]').trigger('click')
    await flush()
    expect(shown).toHaveBeenCalledWith(expect.stringContaining('refused'))
    expect(server.list).toHaveBeenCalledTimes(2)
    expect(w.find('[data-thing-id="1"]').classes()).not.toContain('off')
  })

  it('deletes an item only once the question is answered yes', async () => {
    const server = fakeServer([item(1, 10), item(2, 20)])
    const ask = vi.spyOn(ElMessageBox, 'confirm').mockRejectedValueOnce('cancel').mockResolvedValueOnce('confirm' as never)
    const w = await mountList(server)
    await w.findAll('[data-test="thing-delete"]')[0].trigger('click')
    await flush()
    expect(ask).toHaveBeenCalledWith('delete item 1?', '删除', { type: 'warning' })
    expect(server.remove).not.toHaveBeenCalled()
    await w.findAll('[data-test="thing-delete"]')[0].trigger('click')
    await flush()
    await flush()
    expect(server.remove).toHaveBeenCalledWith(1)
    expect(names(w)).toEqual(['item 2'])
  })

  it('only shows the items when read-only: no moving, switching or deleting, and the edit button says so', async () => {
    const w = await mountList(fakeServer([item(1, 10), item(2, 20)]), { readonly: true, editLabel: '查看规则' })
    expect(w.find('[data-test="thing-up"]').exists()).toBe(false)
    expect(w.find('[data-test="thing-delete"]').exists()).toBe(false)
    expect(w.find('[data-test="thing-enabled"]').classes()).toContain('is-disabled')
    expect(w.find('[data-test="thing-edit"]').text()).toBe('查看规则')
  })
})
