import { describe, expect, it } from 'vitest'
import type { TrackingEvent } from './domain'
import { checkCod, counterStatusOf, documentNumber, proposeHandover, returnRefusal } from './counter'

const person = (id: number, name: string | null, phone: string | null) => ({ id, recipientName: name, recipientPhone: phone })

describe('hand-over proposals', () => {
  it('proposes the same phone unticked, whatever its format', () => {
    const asked = [person(1, 'Salma Tazi', '+212 6 61 23 45 67')]
    const shelf = [asked[0]!, person(2, 'S. Tazi', '0661234567'), person(3, 'Omar', '0700000000')]
    expect(proposeHandover(asked, shelf)).toEqual([
      { id: 1, reason: 'asked', ticked: true },
      { id: 2, reason: 'same_phone', ticked: false }
    ])
  })

  it('never proposes a stranger who only shares the name when phones are known', () => {
    const asked = [person(1, 'Mohamed Alami', '0611111111')]
    const shelf = [asked[0]!, person(2, 'Mohamed Alami', '0622222222')]
    expect(proposeHandover(asked, shelf)).toEqual([{ id: 1, reason: 'asked', ticked: true }])
  })

  it('without a phone, a same-name parcel is only a weaker, unticked proposal', () => {
    const asked = [person(1, 'Élodie Martin', null)]
    const shelf = [asked[0]!, person(2, 'elodie  martin', null), person(3, 'Eloise Martin', null)]
    expect(proposeHandover(asked, shelf)).toEqual([
      { id: 1, reason: 'asked', ticked: true },
      { id: 2, reason: 'same_name', ticked: false }
    ])
  })
})

describe('cash on delivery', () => {
  it('asks for nothing when nothing is due', () => {
    expect(checkCod(0, { amount: null, method: null })).toEqual({ state: 'none' })
  })
  it('needs the amount typed and the method chosen', () => {
    expect(checkCod(129.9, { amount: '', method: 'cash' }).state).toBe('unconfirmed')
    expect(checkCod(129.9, { amount: '129.90', method: null }).state).toBe('unconfirmed')
    expect(checkCod(129.9, { amount: 'abc', method: 'cash' }).state).toBe('unconfirmed')
  })
  it('reads a decimal comma and compares in cents', () => {
    expect(checkCod(129.9, { amount: '129,90', method: 'card' })).toEqual({
      state: 'ok',
      dueCents: 12990,
      amountCents: 12990,
      method: 'card'
    })
    expect(checkCod(129.9, { amount: '129.89', method: 'cash' })).toEqual({ state: 'short', dueCents: 12990, amountCents: 12989 })
    expect(checkCod(0.1 + 0.2, { amount: 0.3, method: 'cash' }).state).toBe('ok')
  })
})

const ev = (
  id: number,
  at: string,
  nativeStatus: string,
  source: TrackingEvent['source'],
  extra: Partial<TrackingEvent> = {}
): TrackingEvent => ({
  id,
  shipmentId: 1,
  at,
  unifiedStatus: 'shipping_in_progress',
  kind: 'status',
  nativeStatus,
  nativeLabel: null,
  description: null,
  location: null,
  comment: null,
  waybill: null,
  source,
  recordedAt: at,
  ...extra
})

describe('Guichet’s own status', () => {
  it('is the latest counter step, carrier events aside', () => {
    const events = [
      ev(3, '2026-11-28T12:00:00.000Z', 'LIVRE', 'poll'),
      ev(2, '2026-11-28T10:00:00.000Z', 'GUICHET_HANDOVER', 'counter', { waybill: 'R-20261128-001' }),
      ev(1, '2026-11-28T08:00:00.000Z', 'GUICHET_CHECKIN', 'counter', { location: 'ER28-Y' })
    ]
    expect(counterStatusOf(events)).toEqual({ step: 'handover', at: '2026-11-28T10:00:00.000Z', slot: null, document: 'R-20261128-001' })
    expect(returnRefusal(counterStatusOf(events))).toBe('handed_over')
  })
  it('ignores a carrier event that happens to use the same words', () => {
    expect(counterStatusOf([ev(1, '2026-11-28T08:00:00.000Z', 'GUICHET_CHECKIN', 'poll')])).toBeNull()
    expect(returnRefusal(null)).toBeNull()
  })
  it('a parcel on the shelf can still be sent back; one on its way back cannot be asked again', () => {
    expect(returnRefusal({ step: 'checkin', at: '', slot: 'A', document: null })).toBeNull()
    expect(returnRefusal({ step: 'return_prepared', at: '', slot: 'A', document: 'P-20261128-001' })).toBe('already_returning')
  })
})

describe('document numbers', () => {
  it('type, local day and rank', () => {
    expect(documentNumber('R', '2026-12-03', 1)).toBe('R-20261203-001')
    expect(documentNumber('M', '2026-12-03', 42)).toBe('M-20261203-042')
  })
})
