import { describe, expect, it } from 'vitest'
import { labelWords, layoutLabel, PICKPOST_KEYWORDS } from '../../../shared/label'
import { samplePickPostLabel } from './samples'
import { GuichetError } from '../../../shared/result'
import { buildLabelModel, draftFromShipment, parsePointAddress, type LabelDraft } from './model'
import { renderSvg } from './svg'
import { renderZpl } from './zpl'
import { foldAddress, foldText } from './transliterate'

const pointDraft = (keyword: (typeof PICKPOST_KEYWORDS)[number], userId: string | null | undefined): LabelDraft => ({
  carrier: 'swisspost',
  trackingNumber: '996001321700016917',
  recipient: { name1: 'Anna Keller', street: 'Seestrasse', houseNo: '8', zip: '8002', city: 'Zürich', country: 'CH' },
  deliveryPoint: {
    id: 'MP24-3011',
    name: 'My Post 24 Bern Bahnhof',
    address: { street: 'Bahnhofplatz', houseNo: '10A', zip: '3011', city: 'Bern', country: 'CH' }
  },
  pickPost: { keyword, userId },
  service: 'PRI'
})

const refusal = (f: () => unknown): GuichetError => {
  try {
    f()
  } catch (e) {
    if (e instanceof GuichetError) return e
    throw e
  }
  throw new Error('expected a refusal')
}

describe('Swiss Post PickPost / My Post 24 addressing (seed 004)', () => {
  for (const keyword of PICKPOST_KEYWORDS) {
    it(`${keyword}: keyword and User ID in Name2, the point's address as delivery address, billing kept apart`, () => {
      const m = buildLabelModel(pointDraft(keyword, ' 87654321 '))
      expect(m.recipient.name1).toBe('Anna Keller')
      expect(m.recipient.name2).toBe(`${keyword} 87654321`)
      expect(m.recipient).toMatchObject({ street: 'Bahnhofplatz', houseNo: '10A', zip: '3011', city: 'Bern', country: 'CH' })
      expect(m.billing).toMatchObject({ name1: 'Anna Keller', street: 'Seestrasse', zip: '8002', city: 'Zürich' })
      expect(m.marks[0]).toBe(keyword)
      // Both renderers print Name2 exactly, right under the name.
      const svg = renderSvg(m, 'A6')
      expect(svg).toContain(`data-field="recipient.name2">${keyword} 87654321</text>`)
      expect(svg).not.toContain('Seestrasse')
      const { zpl } = renderZpl(m, 'A6', 203)
      const lines = zpl.split('\n')
      const i = lines.findIndex((l) => l.includes('^FDAnna Keller^FS'))
      expect(lines[i + 1]).toContain(`^FD${keyword} 87654321^FS`)
    })

    it(`${keyword}: a missing User ID is refused with a clear error`, () => {
      for (const missing of [null, undefined, '', '   ']) {
        const e = refusal(() => buildLabelModel(pointDraft(keyword, missing)))
        expect(e.code).toBe('invalid_input')
        expect(e.field).toBe('pickPost.userId')
        expect(e.message).toContain(`${keyword} User ID`)
        expect(e.message).toContain('Name2')
      }
    })
  }

  it('refuses a malformed User ID, a PickPost parcel without point address, and PickPost on another carrier', () => {
    expect(refusal(() => buildLabelModel(pointDraft('PickPost', '12 34'))).field).toBe('pickPost.userId')
    const noAddr = pointDraft('PickPost', '12345678')
    noAddr.deliveryPoint = { id: 'x', name: 'y' }
    expect(refusal(() => buildLabelModel(noAddr)).field).toBe('deliveryPoint.address')
    expect(refusal(() => buildLabelModel({ ...pointDraft('My Post 24', '12345678'), carrier: 'sendcloud' })).field).toBe('pickPost')
  })
})

describe('label model', () => {
  it('refuses a tracking number Code 128 or ZPL cannot carry', () => {
    for (const t of ['', 'ab', 'A^B123', 'é12345', 'x'.repeat(41)]) {
      expect(
        refusal(() => buildLabelModel({ carrier: 'ecotrack', trackingNumber: t, recipient: { name1: 'A', city: 'B' }, service: 'S' })).field
      ).toBe('trackingNumber')
    }
  })

  it('adds the tracking Code 128 and DataMatrix, and a COD mark', () => {
    const m = buildLabelModel({
      carrier: 'ecotrack',
      trackingNumber: 'ECO-1234',
      recipient: { name1: 'A', city: 'B' },
      service: 'S',
      cod: { amount: 1500, currency: 'DZD' }
    })
    expect(m.barcodes.map((b) => [b.kind, b.payload])).toEqual([
      ['code128', 'ECO-1234'],
      ['datamatrix', 'ECO-1234']
    ])
    expect(m.marks).toContain('COD')
  })

  it('builds a draft from a stored shipment, the pickup point as delivery address', () => {
    const draft = draftFromShipment(
      {
        id: 1,
        carrier: 'ecotrack',
        account: 'a',
        trackingNumber: 'ECO-5555',
        reference: 'R1',
        recipientName: 'Karim',
        recipientPhone: '0550',
        point: { id: 'P1', name: 'Stop desk', address: 'Rue A 1, 16000 Alger' },
        unifiedStatus: 'shipped',
        statusKind: 'status',
        nativeStatus: null,
        nativeStatusLabel: null,
        statusAt: null,
        direction: 'forward',
        parentId: null,
        codAmount: 100,
        currency: 'DZD',
        weightGrams: 500,
        createdAt: '',
        updatedAt: '',
        lastCheckedAt: null,
        lastGoodCheckAt: null,
        nextCheckAt: null,
        lastError: null
      },
      null,
      null
    )
    const m = buildLabelModel(draft)
    expect(m.recipient).toMatchObject({ name1: 'Karim', street: 'Rue A 1', zip: '16000', city: 'Alger' })
    expect(m.cod).toEqual({ amount: 100, currency: 'DZD' })
    expect(parsePointAddress('Somewhere')).toEqual({ street: null, zip: null, city: 'Somewhere' })
  })
})

describe('transliteration', () => {
  it('folds accents for strict ASCII targets and says so', () => {
    expect(foldText('Zoë Müller, Genève', 'ascii')).toEqual({ text: 'Zoe Muller, Geneve', changed: true })
    expect(foldText('Straße', 'ascii').text).toBe('Strasse')
    expect(foldText('Zoë', 'latin1')).toEqual({ text: 'Zoë', changed: false })
  })
  it('folds an address for an ASCII-only carrier call, one warning per changed field', () => {
    const { address, warnings } = foldAddress({ name1: 'Zoë Müller', name2: 'PickPost 12345678', city: 'Zürich', zip: '8004' }, 'ascii')
    expect(address).toEqual({ name1: 'Zoe Muller', name2: 'PickPost 12345678', city: 'Zurich', zip: '8004' })
    expect(warnings).toEqual([
      { code: 'sent_as', params: { field: 'recipient.name1', from: 'Zoë Müller', to: 'Zoe Muller', chars: 'ë ü' } },
      { code: 'sent_as', params: { field: 'recipient.city', from: 'Zürich', to: 'Zurich', chars: 'ü' } }
    ])
  })
  it('spells Arabic in Latin letters', () => {
    expect(foldText('محمد', 'latin1').text).toBe('Mhmd')
    expect(foldText('فاطمة الزهراء', 'ascii').text).toBe("Fatma Alzhra'")
  })
})

describe('label words follow where the parcel goes', () => {
  const words = (country: string, zip = '') => labelWords({ country, zip })
  it('a French, Belgian or Moroccan point reads French; German-speaking Switzerland German; Romandy French', () => {
    expect(words('FR').from).toBe('Expéditeur')
    expect(words('MA').toPoint).toBe('Destinataire (point de retrait)')
    expect(words('CH', '8004').from).toBe('Absender')
    expect(words('CH', '1204').from).toBe('Expéditeur')
    expect(words('IN').from).toBe('From')
  })
  it('a label for a French point carries no English word', () => {
    const m = { ...samplePickPostLabel(), recipient: { ...samplePickPostLabel().recipient, country: 'FR', zip: '75011', city: 'Paris' } }
    const texts = layoutLabel(m, 'A6')
      .elements.filter((e) => e.type === 'text')
      .map((e) => (e as { text: string }).text)
    for (const english of ['From', 'To', 'To (pickup point)']) expect(texts).not.toContain(english)
    expect(texts.some((t) => /^Tél\. /.test(t))).toBe(true)
  })
  it("a point address without a country takes its carrier's: a Moroccan relay point reads French, service and COD mark too", () => {
    const shipment = {
      id: 1,
      carrier: 'express-relais',
      trackingNumber: 'ERMA2611240042',
      reference: null,
      recipientName: 'Salma Bennani',
      recipientPhone: '0612345678',
      point: { id: 'ER-CASA-07', name: 'Relais Maârif', address: 'Rue Abou Bakr Seddik 12, 20330 Casablanca' },
      weightGrams: 800,
      codAmount: 250,
      currency: 'MAD'
    } as unknown as Parameters<typeof draftFromShipment>[0]
    const model = buildLabelModel(draftFromShipment(shipment, null, null))
    expect(model.service).toBe('Livraison en point de retrait')
    const texts = layoutLabel(model, 'A6')
      .elements.filter((e) => e.type === 'text')
      .map((e) => (e as { text: string }).text)
    expect(texts).toContain('Destinataire (point de retrait)')
    expect(texts.join(' | ')).not.toMatch(/\b(From|To|Tel|COD|Ref|Pickup point)\b/)
    expect(texts.some((t) => t.includes('C/R'))).toBe(true)
    // Where neither the address nor the carrier says, English stays the fallback.
    expect(labelWords({ country: null, zip: null }, 'shiprocket').from).toBe('From')
  })
})
