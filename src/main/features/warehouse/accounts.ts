// Accounts by alias: one adapter (so one HTTP client, one token, one rate limiter) per
// carrier + alias, rebuilt when the account's settings or secrets change. Secrets come from the
// caller's source (the credentials vault) at call time and are never kept elsewhere.
import { createHash } from 'node:crypto'
import type { AggregatorId } from '../../../shared/contract/aggregators'
import { GuichetError } from '../../../shared/result'
import { createClickpostAdapter, type ClickpostAdapter } from '../../carriers/clickpost/client'
import { clickpostWarehouseOps } from '../../carriers/clickpost/warehouse'
import type { AggregatorDepsExtra } from '../../carriers/shiprocket/client'
import { createShiprocketAdapter, type ShiprocketAdapter } from '../../carriers/shiprocket/client'
import { shiprocketWarehouseOps } from '../../carriers/shiprocket/warehouse'
import { createShipwayAdapter, type ShipwayAdapter } from '../../carriers/shipway/client'
import { shipwayWarehouseOps } from '../../carriers/shipway/warehouse'
import type { CarrierAccount, CarrierAdapter } from '../../carriers/types'
import type { AggregatorOps, WarehouseAddress } from '../../carriers/aggregator'

interface AccountSource {
  /** The account for an alias, secrets included; null when not configured. */
  get(carrier: AggregatorId, alias: string): CarrierAccount | null
}

/** A fixed list of accounts (tests, demo mode). */
export function staticAccounts(list: CarrierAccount[]): AccountSource & { list: CarrierAccount[] } {
  return { list, get: (c, a) => list.find((x) => x.carrier === c && x.alias === a) ?? null }
}

const fingerprint = (a: CarrierAccount) =>
  createHash('sha256')
    .update(JSON.stringify([a.baseUrl, a.credentials, a.options ?? {}]))
    .digest('hex')

export interface AggregatorAccounts {
  account(carrier: AggregatorId, alias: string): CarrierAccount
  opsFor(carrier: AggregatorId, alias: string): AggregatorOps
  warehouseFor(carrier: AggregatorId, alias: string): WarehouseAddress | null
  /** The external URL notifications of this account are forwarded to, if any. */
  forwardUrlFor(carrier: AggregatorId, alias: string): string | null
}

/**
 * `adapterFor` (the backend's CarrierAccounts) lets the warehouse share the poller's adapter for
 * an alias, so both spend one token and one rate budget; left out, adapters are built here.
 */
export function aggregatorAccounts(
  src: AccountSource,
  deps: AggregatorDepsExtra,
  adapterFor?: (carrier: AggregatorId, alias: string) => CarrierAdapter | null
): AggregatorAccounts {
  const cache = new Map<string, { fp: string; ops: AggregatorOps }>()
  const account = (carrier: AggregatorId, alias: string): CarrierAccount => {
    const a = src.get(carrier, alias)
    if (!a) throw new GuichetError('not_found', `No ${carrier} account named "${alias}" is configured.`, { field: 'account' })
    return a
  }
  // The registry builds these same adapters for the same carrier, so the cast holds.
  const shared = (a: CarrierAccount): CarrierAdapter | null => adapterFor?.(a.carrier as AggregatorId, a.alias) ?? null
  const build = (a: CarrierAccount): AggregatorOps => {
    const opt = a.options ?? {}
    switch (a.carrier) {
      case 'shiprocket':
        return shiprocketWarehouseOps((shared(a) as ShiprocketAdapter | null) ?? createShiprocketAdapter(a, deps), {
          now: deps.now,
          pickupLocation: typeof opt.pickupLocation === 'string' ? opt.pickupLocation : undefined
        })
      case 'clickpost':
        return clickpostWarehouseOps((shared(a) as ClickpostAdapter | null) ?? createClickpostAdapter(a, deps), {
          now: deps.now,
          warehouse: warehouseOf(a)
        })
      case 'shipway':
        return shipwayWarehouseOps((shared(a) as ShipwayAdapter | null) ?? createShipwayAdapter(a, deps), {
          now: deps.now,
          warehouse: warehouseOf(a)
        })
      default:
        throw new GuichetError('unsupported', `${a.carrier} is not a logistics aggregator.`)
    }
  }
  return {
    account,
    opsFor(carrier, alias) {
      const a = account(carrier, alias)
      const key = `${carrier}/${alias}`
      const fp = fingerprint(a)
      const hit = cache.get(key)
      if (hit && hit.fp === fp) return hit.ops
      const ops = build(a)
      cache.set(key, { fp, ops })
      return ops
    },
    warehouseFor: (carrier, alias) => warehouseOf(account(carrier, alias)),
    forwardUrlFor(carrier, alias) {
      const u = src.get(carrier, alias)?.options?.forwardUrl
      return typeof u === 'string' && u ? u : null
    }
  }
}

/** A warehouse address as flat account options. */
export function warehouseOptions(w: WarehouseAddress): Record<string, string> {
  return {
    warehouseName: w.name,
    warehousePhone: w.phone,
    warehouseEmail: w.email ?? '',
    warehouseAddress: w.address,
    warehouseCity: w.city,
    warehouseState: w.state,
    warehousePincode: w.pincode,
    warehouseCountry: w.country
  }
}

function warehouseOf(a: CarrierAccount): WarehouseAddress | null {
  const o = a.options ?? {}
  const s = (k: string) => (typeof o[k] === 'string' ? (o[k] as string).trim() : typeof o[k] === 'number' ? String(o[k]) : '')
  if (!s('warehouseName') || !s('warehouseAddress') || !s('warehousePincode')) return null
  return {
    name: s('warehouseName'),
    phone: s('warehousePhone'),
    email: s('warehouseEmail') || undefined,
    address: s('warehouseAddress'),
    city: s('warehouseCity'),
    state: s('warehouseState'),
    pincode: s('warehousePincode'),
    country: s('warehouseCountry') || 'India'
  }
}
