// Accounts by alias: one adapter (so one HTTP client, one token, one rate limiter) per
// carrier + alias, rebuilt when the account's settings or secrets change. Secrets come from the
// caller's source (the credentials vault) at call time and are never kept elsewhere.
import { createHash } from 'node:crypto'
import type { AggregatorId } from '../../shared/contract/aggregators'
import { GuichetError } from '../../shared/result'
import { createClickpostAdapter } from '../carriers/clickpost/client'
import { clickpostWarehouseOps } from '../carriers/clickpost/warehouse'
import type { AggregatorDepsExtra } from '../carriers/shiprocket/client'
import { createShiprocketAdapter } from '../carriers/shiprocket/client'
import { shiprocketWarehouseOps } from '../carriers/shiprocket/warehouse'
import { createShipwayAdapter } from '../carriers/shipway/client'
import { shipwayWarehouseOps } from '../carriers/shipway/warehouse'
import type { CarrierAccount } from '../carriers/types'
import type { AggregatorOps, WarehouseAddress } from './types'

export interface AccountSource {
  /** The account for an alias, secrets included; null when not configured. */
  get(carrier: AggregatorId, alias: string): CarrierAccount | null
}

/** A fixed list of accounts (tests, demo mode). */
export function staticAccounts(list: CarrierAccount[]): AccountSource & { list: CarrierAccount[] } {
  return { list, get: (c, a) => list.find((x) => x.carrier === c && x.alias === a) ?? null }
}

const fingerprint = (a: CarrierAccount) => createHash('sha256').update(JSON.stringify([a.baseUrl, a.credentials, a.options ?? {}])).digest('hex')

export interface AggregatorAccounts {
  account(carrier: AggregatorId, alias: string): CarrierAccount
  opsFor(carrier: AggregatorId, alias: string): AggregatorOps
  warehouseFor(carrier: AggregatorId, alias: string): WarehouseAddress | null
  /** The external URL notifications of this account are forwarded to, if any. */
  forwardUrlFor(carrier: AggregatorId, alias: string): string | null
}

export function aggregatorAccounts(src: AccountSource, deps: AggregatorDepsExtra): AggregatorAccounts {
  const cache = new Map<string, { fp: string; ops: AggregatorOps }>()
  const account = (carrier: AggregatorId, alias: string): CarrierAccount => {
    const a = src.get(carrier, alias)
    if (!a) throw new GuichetError('not_found', `No ${carrier} account named "${alias}" is configured.`, { field: 'account' })
    return a
  }
  const build = (a: CarrierAccount): AggregatorOps => {
    const opt = a.options ?? {}
    switch (a.carrier) {
      case 'shiprocket':
        return shiprocketWarehouseOps(createShiprocketAdapter(a, deps), { now: deps.now, pickupLocation: typeof opt.pickupLocation === 'string' ? opt.pickupLocation : undefined })
      case 'clickpost':
        return clickpostWarehouseOps(createClickpostAdapter(a, deps), { now: deps.now, warehouse: warehouseOf(a) })
      case 'shipway':
        return shipwayWarehouseOps(createShipwayAdapter(a, deps), { now: deps.now, warehouse: warehouseOf(a) })
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

function warehouseOf(a: CarrierAccount): WarehouseAddress | null {
  const w = a.options?.warehouse
  if (!w || typeof w !== 'object') return null
  const x = w as Record<string, unknown>
  const s = (k: string) => (typeof x[k] === 'string' ? (x[k] as string) : '')
  if (!s('name') || !s('address') || !s('pincode')) return null
  return { name: s('name'), phone: s('phone'), email: s('email') || undefined, address: s('address'), city: s('city'), state: s('state'), pincode: s('pincode'), country: s('country') || 'India' }
}
