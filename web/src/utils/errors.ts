import { ApiError } from '@/api/client'
import { i18n } from '@/i18n'

/** A message a person can read for any error thrown by the API client. */
export function errorMessage(err: unknown): string {
  const t = i18n.global.t
  const te = i18n.global.te
  if (err instanceof ApiError) {
    if (err.code === 'rate_limited' && err.retryAfter !== undefined) {
      return t('login.rateLimited', { seconds: err.retryAfter })
    }
    const key = `errors.${err.code}`
    if (te(key)) {
      const base = t(key, { message: err.message })
      return err.field && err.code === 'validation_failed' ? t('errors.field', { field: err.field, message: err.message }) : base
    }
    return t('errors.generic', { message: err.message })
  }
  const msg = err instanceof Error ? err.message : String(err)
  return t('errors.generic', { message: msg })
}
