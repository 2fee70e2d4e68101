// Sample labels: the printer test page, golden files, benchmarks and the preview's demo.
import type { LabelModel } from '../../../shared/label'
import { buildLabelModel } from './model'

/** A Swiss Post PickPost parcel with COD and an accented name: exercises every field. */
export function samplePickPostLabel(): LabelModel {
  return buildLabelModel({
    carrier: 'swisspost',
    trackingNumber: '996001321700016917',
    reference: 'CMD-2026-0042',
    sender: { name1: 'Boutique Léman SA', street: 'Rue du Rhône', houseNo: '12', zip: '1204', city: 'Genève', country: 'CH' },
    recipient: {
      name1: 'Zoë Müller',
      street: 'Bahnhofstrasse',
      houseNo: '5',
      zip: '8001',
      city: 'Zürich',
      country: 'CH',
      phone: '+41 79 123 45 67'
    },
    deliveryPoint: {
      id: '8004-PP',
      name: 'Zürich Sihlpost',
      type: 'post_office',
      address: { street: 'Kasernenstrasse', houseNo: '97', zip: '8004', city: 'Zürich', country: 'CH' }
    },
    pickPost: { keyword: 'PickPost', userId: '12345678' },
    service: 'PRI',
    weightGrams: 1250,
    cod: { amount: 49.9, currency: 'CHF' }
  })
}

/** What a printer test page prints: every element, plainly marked as a test. */
export function testPageLabel(printerName: string): LabelModel {
  return buildLabelModel({
    carrier: 'express-relais',
    trackingNumber: 'TEST-0001',
    reference: printerName.slice(0, 30),
    sender: { name1: 'Guichet', city: 'Test' },
    recipient: { name1: 'Test print', name2: printerName.slice(0, 40), city: 'Guichet' },
    service: 'Printer test',
    weightGrams: 1000,
    marks: ['TEST']
  })
}
