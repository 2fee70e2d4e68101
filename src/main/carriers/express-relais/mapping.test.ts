import { describe, expect, it } from 'vitest'
import { mapStatus } from '../types'
import { mappingProblems, pairProblems } from '../testing/mapping.testkit'
import { EXPRESS_RELAIS_ROWS, expressRelaisMapping } from './mapping'

// Seed 000's table, copied from the seed text (status, TC Logistics status, ER description).
const SEED_000 = `NEW_ORDER ID_PACKAGING Initial status at order creation
ORDER_CONFIRMED ID_READY_TO_SHIP Order Confirmed
ORDER_CANCELED ID_CANCELLED The order was canceled by the client
ORDER_REFUSED ID_DELIVERY_FAILURE Order refused by Express Relais
MISSING_PARCEL ID_DELIVERY_FAILURE Missing parcel during pickup
PARCEL_PICKEDUP ID_SHIPPED Parcel picked up
PARCEL_IN_AGENCY ID_SHIPPING_IN_PROGRESS The package arrived at the regional agency
PARCEL_IN_TRANSIT ID_SHIPPING_IN_PROGRESS Parcel in transit
PARCEL_IN_DELIVERY ID_SHIPPING_IN_PROGRESS The parcel is delivered to the locker or destination address
DELIVERED_TO_LOCKER ID_SHIPPING_IN_PROGRESS Parcel delivered to the locker
PARCEL_RETRIEVED ID_DELIVERED Parcel received from Smartlocker
WAITING_IN_LOCKER ID_SHIPPING_IN_PROGRESS The package waiting for pickup from the automated locker
DELAY_IN_RETRIEVE ID_SHIPPING_IN_PROGRESS Package delayed for pickup at the destination locker
WAITING_COD ID_SHIPPING_IN_PROGRESS The package arrived at the destination locker and awaiting payment upon delivery
COD_PAID ID_SHIPPING_IN_PROGRESS Payment upon delivery at the locker completed, the recipient can retrieve their parcel
PARCEL_TO_RETURN ID_RETURN The client has initiated the return of the parcel in question
PARCEL_ABANDONED ID_RETURN The package was abandoned because the package was not delivered and the client did not initiate its return
PARCEL_RETURNED ID_RETURN Parcel returned successfully
PARCEL_IN_FINAL_AGENCY ID_SHIPPING_IN_PROGRESS Parcel has arrived at the final agency
RETURN_REQUEST_CONFIRMED ID_RETURN The requested return parcel has been confirmed`
  .split('\n')
  .map((line) => {
    const [native, tc, ...desc] = line.split(' ')
    return { native: native!, unified: tc!.replace(/^ID_/, '').toLowerCase(), description: desc.join(' ') }
  })

const WAITING = new Set(['DELIVERED_TO_LOCKER', 'WAITING_IN_LOCKER', 'DELAY_IN_RETRIEVE', 'WAITING_COD', 'COD_PAID'])

describe('Express Relais status table (seed 000)', () => {
  it('is consistent, and has the 20 rows of the seed in its order', () => {
    expect(mappingProblems(expressRelaisMapping)).toEqual([])
    expect(EXPRESS_RELAIS_ROWS.map((r) => r.native)).toEqual(SEED_000.map((r) => r.native))
  })
  it("maps every seed row to the seed's TC Logistics status, with its description and kind", () => {
    expect(
      pairProblems(
        expressRelaisMapping,
        SEED_000.map((r) => [r.native, r.unified] as const)
      )
    ).toEqual([])
    for (const r of SEED_000) {
      expect(EXPRESS_RELAIS_ROWS.find((x) => x.native === r.native)!.description, r.native).toBe(r.description)
      // Waiting at the locker/point stays its own kind; out for delivery too.
      const kind = WAITING.has(r.native) ? 'waiting_at_point' : r.native === 'PARCEL_IN_DELIVERY' ? 'out_for_delivery' : 'status'
      expect(mapStatus(expressRelaisMapping, r.native).kind, r.native).toBe(kind)
    }
  })
  it('keeps an unknown status visible', () => {
    expect(mapStatus(expressRelaisMapping, 'PARCEL_LOST_IN_SPACE')).toEqual({ unified: 'shipping_in_progress', kind: 'info', known: false })
  })
})
