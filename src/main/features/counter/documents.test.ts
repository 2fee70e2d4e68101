// The counter's printed documents speak the clerk's language (settings.language, read when the
// document is built) and print local times; Arabic documents read right-to-left with codes kept
// left-to-right.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Language } from '../../../shared/app'
import type { Output } from '../../../shared/contract'
import { createBackend } from '../../backend'
import { ManualClock } from '../../platform/clock'
import { silentLogger } from '../../platform/logger'
import { MemoryStore } from '../../core/settings/settings'
import { textDocument } from './documents'
import { CLERK_KEY, CounterService } from './service'
import { ShipmentRepository } from '../../core/shipments/shipments.repo'

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c()
})

const LRI = '\u2066'
const PDI = '\u2069'
const NBSP = '\u00a0'
const T0 = Date.UTC(2026, 10, 28, 8, 0) // 08:00 UTC: 09:00 in Casablanca and in Zurich

/** A counter on the demo store, with its own settings store and time zone. */
function counter(lang: Language | null, timeZone: string) {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-docs-'))
  const clock = new ManualClock(T0)
  const settingsStore = new MemoryStore()
  const backend = createBackend({
    dataDir: dir,
    version: '0',
    settingsStore,
    clock,
    logger: silentLogger,
    demo: true,
    demoSimulators: false,
    outboxAutoStart: false
  })
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  cleanups.push(() => void backend.close())
  const store = new MemoryStore()
  store.set(CLERK_KEY, 'Fatima')
  if (lang) store.set('language', lang)
  const service = new CounterService({
    db: backend.db,
    shipments: new ShipmentRepository(backend.db),
    clock,
    logger: silentLogger,
    settingsStore: store,
    photoDir: join(dir, 'photos'),
    pointId: () => null,
    queueHandover: () => {},
    queueReturn: () => ({ outbox: null, reason: 'no_api' }),
    timeZone,
    systemLocale: 'en-US'
  })
  /** Yasmine's parcel (COD 349 MAD) from a driver, handed over with her ID card and the cash. */
  const handOver = () => {
    const s = service.checkinStart('Youssef')
    const { parcel } = service.checkinScan({ sessionId: s.id, code: 'ERMA2611240042' })
    clock.advance(60 * 60_000)
    return service.handover({ parcelIds: [parcel.id], idType: 'national_id', idLast: '3456', cod: { amount: 349, method: 'cash' } })
  }
  return { service, store, clock, backend, handOver }
}

describe('counter documents', () => {
  it('hand-over receipt in French, at the local time of Casablanca', () => {
    const { handOver } = counter('fr', 'Africa/Casablanca')
    const { receipt, number, carrierSync } = handOver()
    // Numbered per type and per day, as a clerk files them: the day's first receipt.
    expect(number).toBe('R-20261128-001')
    expect(receipt.title).toBe(`Reçu n°${NBSP}R-20261128-001`)
    // 09:00 UTC is 10:00 in Casablanca (UTC+1 in November).
    expect(receipt.lines).toEqual([
      'Guichet',
      '28/11/2026 10:00 · Fatima',
      '',
      'Express Relais ERMA2611240042 · Yasmine El Idrissi',
      '',
      `Vérification${NBSP}: pièce d’identité · carte d’identité ••••3456`,
      `Contre-remboursement${NBSP}: 349,00 MAD (espèces)`
    ])
    // What the carrier is told is for the clerk (a code the renderer words), not on the customer's paper.
    expect(carrierSync[0]!.note).toEqual({ code: 'handover_local_only', params: { tracking: 'ERMA2611240042', carrier: 'express-relais' } })
    expect(receipt.svg).toContain('28/11/2026 10:00 · Fatima')
    expect(receipt.svg).not.toMatch(/UTC|Receipt|direction="rtl"/)
    expect(receipt.svg).toContain('<text x="4" y="9" font-weight="bold">')
  })

  it('hand-over receipt in German, at the local time of Zurich', () => {
    const { handOver } = counter('de', 'Europe/Zurich')
    const { receipt, carrierSync } = handOver()
    expect(receipt.title).toBe('Quittung Nr. R-20261128-001')
    expect(receipt.lines[1]).toBe('28.11.26, 10:00 · Fatima')
    expect(receipt.lines).toContain('Prüfung: Ausweis · Personalausweis ••••3456')
    expect(receipt.lines).toContain('Nachnahme: 349,00 MAD (bar)')
    expect(carrierSync[0]!.note.code).toBe('handover_local_only')
    expect(receipt.lines.join('\n')).not.toContain('API')
  })

  it('hand-over receipt in Arabic reads right-to-left, the tracking number kept left-to-right', () => {
    const { handOver } = counter('ar', 'Africa/Casablanca')
    const { receipt } = handOver()
    expect(receipt.title).toBe(`إيصال رقم ${LRI}R-20261128-001${PDI}`)
    expect(receipt.lines[3]).toBe(`Express Relais ${LRI}ERMA2611240042${PDI} · Yasmine El Idrissi`)
    expect(receipt.lines).toContain(`التحقق: وثيقة الهوية · بطاقة التعريف ${LRI}••••3456${PDI}`)
    expect(receipt.lines).toContain(`الدفع عند الاستلام: ${LRI}349.00 MAD${PDI} (نقدًا)`)
    // Every line is anchored at the right margin of the 80 mm roll and runs right-to-left.
    expect(receipt.svg).toMatch(
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="80mm" height="[\d.]+mm" viewBox="0 0 80 [\d.]+" xml:lang="ar" direction="rtl">/
    )
    const rows = [...receipt.svg.matchAll(/<text ([^>]*)>/g)].map((m) => m[1])
    // Long lines wrap to the roll's width, so there may be more rows than lines, never fewer.
    expect(rows.length).toBeGreaterThanOrEqual(receipt.lines.length + 2)
    for (const attrs of rows) expect(attrs).toMatch(/^x="76" direction="rtl" text-anchor="start" y=/)
    expect(receipt.svg).toContain(`${LRI}ERMA2611240042${PDI}`)
    expect(receipt.svg).toContain('إيصال رقم')
    expect(receipt.svg).not.toContain('Receipt')
  })

  it('reads the clerk’s language each time a document is built, on every document', () => {
    const { service, store, clock } = counter('fr', 'Europe/Zurich')
    const drop = service.dropoff('RET-ER-000981')
    expect(drop.receipt.title).toBe(`Dépôt de retour n°${NBSP}D-20261128-001`)
    expect(drop.receipt.lines).toContain('28/11/2026 09:00 · Fatima')
    expect(drop.receipt.lines.join('\n')).toContain('Remis au transporteur au prochain passage du chauffeur.')

    store.set('language', 'de')
    const s = service.checkinStart('Youssef')
    const karim = service.checkinScan({ sessionId: s.id, code: 'ERMA2611230031' }).parcel
    const prepared = service.prepareReturn([karim.id])
    expect(prepared.manifest.title).toBe('Rücksendung an den Absender Nr. P-20261128-001')
    expect(prepared.manifest.lines.at(-1)).toBe('1 Paket zur Rücksendung')
    expect(prepared.manifest.svg).toContain('width="210mm"')

    store.set('language', 'ar')
    clock.advance(30 * 60_000)
    const c = service.collectionStart('Youssef')
    service.collectionScan(c.session.id, 'ERMA2611230031')
    service.collectionScan(c.session.id, 'ZZUNKNOWN00099')
    const closed = service.collectionClose(c.session.id, undefined, 'retour manquant')
    expect(closed.manifest.title).toBe(`استلام السائق رقم ${LRI}M-20261128-001${PDI}`)
    expect(closed.manifest.lines).toContain(`[x] منتهي المدة Express Relais ${LRI}ERMA2611230031${PDI}`)
    expect(closed.manifest.lines).toContain(`[ ] مفقود ${LRI}${drop.parcel.trackingNumber}${PDI}`)
    expect(closed.manifest.lines).toContain(`[!] ليس في البيان ${LRI}ZZUNKNOWN00099${PDI}`)
    expect(closed.manifest.lines).toContain('سُلّم إلى السائق: طرد واحد')
    expect(closed.manifest.lines).toContain('فروق مقبولة: retour manquant')
    expect(closed.manifest.svg).toContain('x="206" direction="rtl"')

    store.set('language', 'en')
    const day = service.endOfDay()
    expect(day.document.title).toBe('End of day 11/28/26')
    expect(day.document.lines).toContain('Exceptions: damaged 0, not for this point 0, unmatched 0, overrides 1')
    expect(day.document.lines.join('\n')).not.toContain('UTC')
  })

  it('follows settings.update through the real backend', async () => {
    const { backend } = counter(null, 'UTC')
    const set = await backend.dispatch('settings.update', { language: 'fr' })
    expect(set.ok).toBe(true)
    const r = await backend.dispatch('counter.endOfDay', {})
    if (!r.ok) throw new Error(r.error.message)
    const report = r.value as Output<'counter.endOfDay'>
    expect(report.document.title).toBe('Fin de journée du 28/11/2026')
    expect(report.document.lines.join('\n')).toContain(`Anomalies${NBSP}: endommagés 0`)
  })

  it('keeps the paper sizes and puts the signature on the reader’s side', () => {
    const sig = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 120"><path d="M0 0 L1 1"/></svg>'
    const fr = textDocument('Reçu', ['a'], { signature: sig, lang: 'fr' })
    const ar = textDocument('إيصال', ['a'], { signature: sig, lang: 'ar', widthMm: 210 })
    expect(fr.svg).toContain('width="80mm"')
    expect(fr.svg).toContain('preserveAspectRatio="xMinYMid meet"')
    expect(ar.svg).toContain('width="210mm"')
    expect(ar.svg).toContain('preserveAspectRatio="xMaxYMid meet"')
  })
})
