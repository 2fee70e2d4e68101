import { StrictMode } from 'react'
import type { Root } from 'react-dom/client'
import type { Language } from '@shared/app'
import { createOfficeApi, type OfficeApi } from '../../api/office'
import { LANGUAGES, initI18n, pickLanguage } from '../../i18n'
import { createHeadOfficeStore } from '../../stores/headoffice'
import { HeadOfficeApp, OFFICE_LANGUAGE_KEY } from './HeadOfficeApp'

/**
 * When a hub serves this page (its /office/v1/info says mode 'hub'), renders head office and
 * answers true; on a desk's own server there is no such path and it answers false.
 */
export async function bootHeadOffice(root: Root, api: OfficeApi = createOfficeApi()): Promise<boolean> {
  const info = await api.info()
  if (!info.ok) return false
  const saved = localStorage.getItem(OFFICE_LANGUAGE_KEY) as Language | null
  await initI18n(pickLanguage(saved && LANGUAGES.includes(saved) ? saved : null, navigator.languages))
  const store = createHeadOfficeStore(api, info.value.user)
  root.render(
    <StrictMode>
      <HeadOfficeApp store={store} info={info.value} />
    </StrictMode>
  )
  return true
}
