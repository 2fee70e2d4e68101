// A parcel to a PickPost point or a My Post 24 locker, as seed 004 asks: the User ID asked for each
// order, the point's address as the delivery address (the customer's own address stays the billing
// address), "<keyword> <User ID>" in Name2, and a warning, not a refusal, when a locker parcel goes
// to a customer whose identity Swiss Post has not checked (status NONE).
import type { LabelDraft, PickPostKeyword } from '../../../shared/label'
import type { PickupPoint } from '../../../shared/points'
import { GuichetError } from '../../../shared/result'
import type { SpUserIdResult, SwissPostAdapter } from './client'
import type { SpFileType, SpLabel, SpLayout } from './labels'

interface PickPostCustomer {
  firstName: string
  lastName: string
  email: string
  phone?: string | null
  /** Home / billing address: never the delivery address of a point parcel. */
  street?: string | null
  houseNo?: string | null
  zip: string
  city: string
}

interface PickPostOrderInput {
  orderReference: string
  point: PickupPoint
  customer: PickPostCustomer
  sender: { name1: string; street: string; zip: string; city: string }
  przl?: string[]
  weightGrams?: number
  layout?: SpLayout
  fileType?: SpFileType
}

interface PickPostOrderResult {
  identCode: string
  keyword: PickPostKeyword
  user: SpUserIdResult
  name2: string
  warnings: string[]
  label: SpLabel
  /** What Guichet's own label renderer needs to print the same label (labels/model.ts). */
  draft: LabelDraft
}

/** PickPost for counters and post offices, My Post 24 for lockers. */
export function keywordFor(point: Pick<PickupPoint, 'type' | 'services'>): PickPostKeyword {
  return point.type === 'locker' || (point.services.includes('My Post 24') && !point.services.includes('PickPost'))
    ? 'My Post 24'
    : 'PickPost'
}

/** The warning for a locker parcel to an unverified customer; null when none is due. */
export function lockerWarning(keyword: PickPostKeyword, user: Pick<SpUserIdResult, 'verified' | 'customerStatus'>): string | null {
  if (keyword !== 'My Post 24' || user.verified) return null
  return `My Post 24 locker: Swiss Post has not verified this customer's identity (status ${user.customerStatus}). The locker may refuse to release the parcel; consider a PickPost counter.`
}

export async function createPickPostShipment(sp: SwissPostAdapter, input: PickPostOrderInput): Promise<PickPostOrderResult> {
  const { point, customer } = input
  if (point.carrier !== 'swisspost')
    throw new GuichetError('invalid_input', 'PickPost and My Post 24 parcels go to Swiss Post points only.', { field: 'point' })
  if (!point.services.length)
    throw new GuichetError('invalid_input', `${point.name} offers neither PickPost nor My Post 24.`, { field: 'point' })
  const keyword = keywordFor(point)
  // Seed 004: asked for every order, never reused from another (get-or-create may give the same ID).
  const user = await sp.lookupUserId({
    orderReference: input.orderReference,
    service: keyword,
    customer: {
      firstName: customer.firstName,
      lastName: customer.lastName,
      email: customer.email,
      zip: customer.zip,
      city: customer.city,
      ...(customer.street ? { street: customer.street } : {}),
      ...(customer.houseNo ? { houseNo: customer.houseNo } : {}),
      ...(customer.phone ? { mobile: customer.phone } : {})
    }
  })
  const name2 = sp.name2(keyword, user.userId)
  if (!name2) throw new GuichetError('carrier_error', 'Swiss Post returned a User ID that cannot be printed.')
  const warnings: string[] = []
  const w = lockerWarning(keyword, user)
  if (w) warnings.push(w)
  const name1 = `${customer.firstName} ${customer.lastName}`.trim()
  const label = await sp.generateAddressLabel({
    itemID: input.orderReference.replace(/[^0-9A-Za-z+_-]/g, '-').slice(0, 35),
    customer: input.sender,
    recipient: {
      firstName: customer.firstName,
      name1: customer.lastName,
      name2,
      street: point.street,
      houseNo: point.houseNo,
      zip: point.zip,
      city: point.city,
      country: point.country,
      phone: customer.phone ?? null
    },
    przl: input.przl ?? ['PRI'],
    weightGrams: input.weightGrams,
    layout: input.layout ?? 'A6',
    fileType: input.fileType ?? 'PDF'
  })
  warnings.push(...label.warnings)
  const draft: LabelDraft = {
    carrier: 'swisspost',
    trackingNumber: label.identCode,
    reference: input.orderReference,
    sender: { name1: input.sender.name1, street: input.sender.street, zip: input.sender.zip, city: input.sender.city, country: 'CH' },
    recipient: {
      name1,
      street: customer.street ?? null,
      houseNo: customer.houseNo ?? null,
      zip: customer.zip,
      city: customer.city,
      country: 'CH',
      phone: customer.phone ?? null
    },
    deliveryPoint: {
      id: point.id,
      name: point.name,
      type: point.type,
      address: { street: point.street, houseNo: point.houseNo, zip: point.zip, city: point.city, country: point.country }
    },
    pickPost: { keyword, userId: user.userId, name2 },
    service: (input.przl ?? ['PRI']).join('+'),
    weightGrams: input.weightGrams ?? null
  }
  return { identCode: label.identCode, keyword, user, name2, warnings, label, draft }
}
