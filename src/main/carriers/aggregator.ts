// What the warehouse service needs from each aggregator, in Guichet's words. Each aggregator's
// folder turns these into its own wire calls (src/main/carriers/<aggregator>/warehouse.ts); the warehouse feature uses them.
import type { WarehouseOrder } from '../../shared/contract/aggregators'
import type { CarrierAdapter } from './types'

export interface CreatedAtAggregator {
  carrierOrderId: string
  carrierShipmentId: string | null
  /** Clickpost gives the AWB at create; Shiprocket and Shipway later. */
  awb: string | null
  courier: string | null
  labelUrl: string | null
  /** The aggregator's own status at create ("order:1" for Shiprocket), for the first timeline line. */
  nativeStatus: string | null
  nativeLabel: string | null
}

/** Where returns go back to: the account's warehouse (account options). */
export interface WarehouseAddress {
  name: string
  phone: string
  email?: string
  address: string
  city: string
  state: string
  pincode: string
  country: string
}

export interface AggregatorOps {
  adapter: CarrierAdapter
  createOrder(order: WarehouseOrder): Promise<CreatedAtAggregator>
  /**
   * After a crash: does the aggregator already hold an order with this reference? 'unknown' when
   * the aggregator offers no lookup (then the guard stops for the clerk rather than risk a twin).
   */
  findOrder(reference: string, direction: 'forward' | 'return'): Promise<CreatedAtAggregator | null | 'unknown'>
  assignAwb(
    created: { carrierShipmentId: string | null; carrierOrderId: string; reference: string },
    opts: { courierId?: number; isReturn: boolean }
  ): Promise<{ awb: string; courier: string | null; labelUrl: string | null }>
  label(rec: {
    awb: string
    reference: string
    carrierShipmentId: string | null
    labelUrl: string | null
  }): Promise<{ contentType: string; data: Uint8Array }>
  cancel(awb: string): Promise<void>
  /** The return order (the buyer sends the forward order back to the warehouse). */
  createReturn(reference: string, forward: WarehouseOrder, forwardAwb: string, warehouse: WarehouseAddress): Promise<CreatedAtAggregator>
}
