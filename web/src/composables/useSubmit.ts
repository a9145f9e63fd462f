// The state of a form that sends something: `saving` while it runs, and the
// readable error when it failed.
import { ref } from 'vue'
import { errorMessage } from '@/utils/errors'

export function useSubmit() {
  const saving = ref(false)
  const error = ref('')

  /** Runs `fn`; true when it succeeded, else `error` says why. */
  async function run(fn: () => Promise<unknown>): Promise<boolean> {
    saving.value = true
    error.value = ''
    try {
      await fn()
      return true
    } catch (e) {
      error.value = errorMessage(e)
      return false
    } finally {
      saving.value = false
    }
  }

  return { saving, error, run }
}
