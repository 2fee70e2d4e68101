import i18next from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import { EVENT_KINDS, UNIFIED_STATUSES } from '@shared/domain'
import { COUNTER_STEPS } from '@shared/counter'
import { initI18n, LANGUAGES } from '../i18n'
import { statusKey } from './StatusBadge'

// A timeline row is something that happened: it must read in the past, in every language.

beforeAll(async () => {
  await initI18n('fr')
})

const pairs = UNIFIED_STATUSES.flatMap((s) => EVENT_KINDS.map((k) => [s, k] as const))

describe('event wording', () => {
  for (const lang of LANGUAGES) {
    it(`${lang}: every status has an event wording of its own`, () => {
      const t = i18next.getFixedT(lang)
      for (const [s, k] of pairs) {
        const key = statusKey(s, k, true)
        expect(i18next.exists(key, { lng: lang, fallbackLng: [] }), `${lang} ${key}`).toBe(true)
        if (lang !== 'en') expect(t(key), `${lang} ${key} is still English`).not.toBe(i18next.getFixedT('en')(key))
      }
    })
  }

  it('French timeline rows are past forms, not the current state', () => {
    const t = i18next.getFixedT('fr')
    expect(t(statusKey('shipping_in_progress', 'waiting_at_point', true))).toBe('Arrivé au point de retrait')
    expect(t(statusKey('shipping_in_progress', 'out_for_delivery', true))).toBe('Parti en livraison')
    expect(t(statusKey('shipping_in_progress', 'status', true))).toBe('Acheminé')
    // The current state stays a state.
    expect(t(statusKey('shipping_in_progress', 'waiting_at_point'))).toBe('En attente au point de retrait')
    // "En cours", "sera", "va": no French event wording is progressive or future.
    for (const [s, k] of pairs) expect(t(statusKey(s, k, true))).not.toMatch(/\ben cours\b|\bsera\b|\bva\b|\bà venir\b/i)
  })

  it('counter steps in the timeline and the status line read in the past in fr, de and ar', () => {
    const future = { fr: /\bsera\b|\bva\b|ra\b /, de: /\bwird\b|\bwerden\b/, ar: /(^|\s)سي/ } as const
    for (const lang of ['fr', 'de', 'ar'] as const) {
      const t = i18next.getFixedT(lang)
      for (const step of COUNTER_STEPS) {
        for (const key of [`timeline.counter.${step}`, `status.counter.now.${step}`]) {
          expect(i18next.exists(key, { lng: lang, fallbackLng: [] }), `${lang} ${key}`).toBe(true)
          expect(t(key, { slot: 'A1', number: '1', when: 'x' }), `${lang} ${key}`).not.toMatch(future[lang])
        }
      }
    }
  })
})
