import i18next, { type i18n } from 'i18next'
import { initReactI18next } from 'react-i18next'
import type { Language } from '@shared/app'
import fr from './locales/fr.json'
import en from './locales/en.json'
import ar from './locales/ar.json'
import de from './locales/de.json'

export const LANGUAGES: Language[] = ['fr', 'en', 'ar', 'de']
const RTL = new Set<Language>(['ar'])

/** French first; otherwise the OS/browser language when Guichet speaks it. */
export function pickLanguage(saved: Language | null, navigatorLanguages: readonly string[]): Language {
  if (saved) return saved
  for (const tag of navigatorLanguages) {
    const base = tag.toLowerCase().split('-')[0] as Language
    if (LANGUAGES.includes(base)) return base
  }
  return 'fr'
}

export const isRtl = (lang: string): boolean => RTL.has(lang as Language)

export async function initI18n(lang: Language): Promise<i18n> {
  await i18next.use(initReactI18next).init({
    resources: { fr: { translation: fr }, en: { translation: en }, ar: { translation: ar }, de: { translation: de } },
    lng: lang,
    fallbackLng: 'fr',
    interpolation: { escapeValue: false },
    returnNull: false,
    // No advertising line in the clerk's console.
    showSupportNotice: false
  })
  applyDirection(lang)
  return i18next
}

/** Arabic flips the whole layout; codes and numbers stay left-to-right where they are shown. */
export function applyDirection(lang: string): void {
  document.documentElement.lang = lang
  document.documentElement.dir = isRtl(lang) ? 'rtl' : 'ltr'
}
