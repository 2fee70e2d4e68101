// What a real PickPost / My Post 24 creation stores on a demo Swiss Post parcel (carrier_data, as
// features/points/to-point.ts does on sent): the label draft with the recipient's Name2 line
// "<keyword> <User ID>" and the point's address as the delivery address, so the parcel's label shows it.
// Seed 004 writes the keywords "PickPost" / "My Post 24", the DCAPI reference's examples "MyPost24": the seed wins.
import type { DeliveryPoint } from '../../shared/domain'
import { pickPostName2, type LabelDraft, type PickPostKeyword } from '../../shared/label'

/** "Place de la Gare 9, 1003 Lausanne" -> street, house number, zip, city (the demo points' own form). */
function pointAddress(address: string): { street: string | null; houseNo: string | null; zip: string | null; city: string } {
  const m = /^(.*?)\s+(\d+\w?),\s*(\d{4})\s+(.+)$/.exec(address)
  return m ? { street: m[1]!, houseNo: m[2]!, zip: m[3]!, city: m[4]! } : { street: null, houseNo: null, zip: null, city: address }
}

/** The carrier_data of a demo PickPost / My Post 24 parcel; User IDs in the reference's form (PT011227). */
export function swissPostDemoData(
  point: DeliveryPoint,
  person: { name: string; phone: string },
  userId: string
): { label: Partial<LabelDraft>; pickPost: { keyword: PickPostKeyword; userId: string; customerStatus: string }; warnings: string[] } {
  const keyword: PickPostKeyword = point.type === 'locker' ? 'My Post 24' : 'PickPost'
  const name2 = pickPostName2(keyword, userId)
  if (!name2) throw new Error(`demo User ID ${userId} is not printable`)
  const at = pointAddress(point.address)
  return {
    label: {
      recipient: { name1: person.name, name2, ...at, country: 'CH', phone: person.phone },
      deliveryPoint: { id: point.id, name: point.name, type: point.type ?? null, address: { ...at, country: 'CH' } },
      pickPost: { keyword, userId },
      service: keyword,
      marks: [keyword]
    },
    pickPost: { keyword, userId, customerStatus: 'MAIL' },
    warnings: []
  }
}
