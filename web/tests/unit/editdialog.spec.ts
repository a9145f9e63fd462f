import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent } from 'vue'
import { ElMessage } from 'element-plus'
import { useEditDialog } from '@/composables/useEditDialog'
import TeamsView from '@/views/admin/TeamsView.vue'
import { flush, mockFetch, mountApp } from './helpers'

afterEach(() => {
  vi.restoreAllMocks()
})

interface Thing {
  id: number
  name: string
}

/** What a view does: the composable with a source that records the calls. */
function mountDialog() {
  const source = {
    fill: (x: Thing | null) => ({ name: x?.name || '' }),
    check: (f: { name: string }) => (f.name.trim() ? '' : 'name?'),
    body: (f: { name: string }) => ({ name: f.name.trim() }),
    create: vi.fn(async (_b: { name: string }) => ({})),
    update: vi.fn(async (_id: number, _b: { name: string }) => ({})),
    reload: vi.fn(async () => {}),
  }
  let state!: ReturnType<typeof useEditDialog<Thing, { name: string }, { name: string }>>
  const Host = defineComponent({
    setup() {
      state = useEditDialog(source)
      return () => null
    },
  })
  mountApp(Host)
  return { source, state: () => state }
}

describe('edit dialog', () => {
  it('opens empty for a new record and filled for one edited', () => {
    const { state } = mountDialog()
    state().openEdit({ id: 7, name: 'seven' })
    expect([state().open.value, state().editing.value?.id, state().form.name]).toEqual([true, 7, 'seven'])
    state().openEdit(null)
    expect([state().open.value, state().editing.value, state().form.name]).toEqual([true, null, ''])
  })

  it('keeps a form that does not pass the check, saying why', async () => {
    const { source, state } = mountDialog()
    state().openEdit(null)
    state().form.name = '  '
    await state().save()
    expect(state().error.value).toBe('name?')
    expect(source.create).not.toHaveBeenCalled()
    expect(state().open.value).toBe(true)
  })

  it('creates a new record, updates an edited one, closes and reads the list again', async () => {
    const shown = vi.spyOn(ElMessage, 'success').mockImplementation(() => ({ close() {} }) as never)
    const { source, state } = mountDialog()
    state().openEdit(null)
    state().form.name = ' new '
    await state().save()
    expect(source.create).toHaveBeenCalledWith({ name: 'new' })
    state().openEdit({ id: 3, name: 'three' })
    await state().save()
    expect(source.update).toHaveBeenCalledWith(3, { name: 'three' })
    expect(shown.mock.calls.map((c) => c[0])).toEqual(['已创建', '已更新'])
    expect(source.reload).toHaveBeenCalledTimes(2)
    expect(state().open.value).toBe(false)
  })

  it('keeps the dialog open with the server’s refusal', async () => {
    const { source, state } = mountDialog()
    source.update.mockRejectedValueOnce(new Error('refused'))
    state().openEdit({ id: 3, name: 'three' })
    await state().save()
    await flush()
    expect(state().error.value).toContain('refused')
    expect([state().open.value, state().saving.value]).toEqual([true, false])
    expect(source.reload).not.toHaveBeenCalled()
  })
})

describe('teams page', () => {
  it('creates a team through the dialog, refusing an empty name first', async () => {
    vi.spyOn(ElMessage, 'success').mockImplementation(() => ({ close() {} }) as never)
    const teams = [{ id: 1, name: '一线', region: '' }]
    const { calls } = mockFetch((c) => {
      if (c.url.endsWith('/teams') && c.method === 'GET') return { body: { items: teams } }
      if (c.url.endsWith('/teams') && c.method === 'POST') {
        teams.push({ id: 2, ...(c.body as { name: string; region: string }) })
        return { status: 201, body: teams[1] }
      }
      if (c.url.includes('/users')) return { body: { items: [] } }
      return undefined
    })
    const w = mountApp(TeamsView, { attachTo: document.body })
    await flush()
    await w.find('[data-test="team-new"]').trigger('click')
    await flush()
    const save = () => (document.querySelector('[data-test="team-save"]') as HTMLElement).click()
    save()
    await flush()
    expect(document.querySelector('.el-dialog .el-alert')?.textContent).toContain('必填')
    const field = document.querySelector('[data-test="team-name"]')!
    const name = (field.matches('input') ? field : field.querySelector('input')) as HTMLInputElement
    name.value = ' 二线 '
    name.dispatchEvent(new Event('input'))
    save()
    await flush()
    await flush()
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.body)).toEqual([{ name: '二线', region: '' }])
    expect(w.text()).toContain('二线')
    w.unmount()
  })
})
