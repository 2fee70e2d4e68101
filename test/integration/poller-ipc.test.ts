// shipments.refresh and poller.state through the backend's dispatcher, as the UI calls them.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createBackend, type Backend } from '../../src/main/backend'
import { CarrierError } from '../../src/main/carriers/types'
import { ShipmentRepository } from '../../src/main/core/shipments/shipments.repo'
import { TEST_MAPPING } from '../../src/main/core/pipeline/pipeline.testkit'
import { FakeCarrier } from '../../src/main/carriers/testing/fake-carrier.testkit'
import { DAY, ManualClock } from '../../src/main/platform/clock'
import { createLogger } from '../../src/main/platform/logger'
import { MemoryStore } from '../../src/main/core/settings/settings'
import type { PollerState, RefreshResult } from '../../src/shared/contract'

const SECRET = 'poller-ipc-secret-token-9f8e7d'
let dir: string
let backend: Backend
let clock: ManualClock
let carrier: FakeCarrier
let events: Array<{ name: string; payload: unknown }>

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'guichet-poller-ipc-'))
  clock = new ManualClock()
  carrier = new FakeCarrier({ carrier: 'express-relais', batchSize: 50, windows: [{ limit: 2, windowMs: 60_000 }], now: () => clock.now() })
  const logger = createLogger({ console: false })
  logger.addSecret(SECRET)
  backend = createBackend({
    dataDir: dir,
    version: '0.0.0-test',
    settingsStore: new MemoryStore(),
    clock,
    logger,
    demo: false,
    outboxAutoStart: false,
    startPoller: false,
    pollerAccounts: () => [{ adapter: carrier }],
    mappingFor: () => TEST_MAPPING
  })
  events = []
  backend.events.onAny((name, payload) => events.push({ name, payload }))
})
afterEach(() => {
  backend.close()
  rmSync(dir, { recursive: true, force: true })
})

function addShipment(ageDays: number): number {
  const repo = new ShipmentRepository(backend.db)
  const tn = `ER${String(ageDays).padStart(8, '0')}`
  carrier.addParcel(tn, clock.now() - ageDays * DAY)
  return repo.insert({
    carrier: 'express-relais',
    trackingNumber: tn,
    recipientName: 'Nadia',
    createdAt: clock.now() - ageDays * DAY,
    nextCheckAt: null
  })
}

describe('shipments.refresh and poller.state over the dispatcher', () => {
  it('refreshes a shipment past the max check period and pushes one shipment.changed', async () => {
    const id = addShipment(30)
    const r = await backend.dispatch('shipments.refresh', { ids: [id] })
    expect(r.ok).toBe(true)
    const value = (r as { value: RefreshResult }).value
    expect(value).toMatchObject({ refreshed: [id], changed: [id], failed: [], waiting: [], notFound: [] })
    expect(events.filter((e) => e.name === 'shipment.changed')).toEqual([
      { name: 'shipment.changed', payload: { ids: [id], reason: 'manual', statuses: { [id]: 'shipping_in_progress' } } }
    ])
    const st = await backend.dispatch('poller.state', {})
    expect(st.ok).toBe(true)
    const state = (st as { value: PollerState }).value
    expect(state.accounts).toEqual([
      expect.objectContaining({ carrier: 'express-relais', account: 'default', callsMade: 1, budgetLeft: 1, lastError: null })
    ])
  })

  it('says how long to wait when the budget is spent, and refuses bad input with a typed error', async () => {
    const a = addShipment(1)
    const b = addShipment(2)
    const c = addShipment(3)
    expect((await backend.dispatch('shipments.refresh', { ids: [a] })).ok).toBe(true)
    expect((await backend.dispatch('shipments.refresh', { ids: [b] })).ok).toBe(true)
    const r = (await backend.dispatch('shipments.refresh', { ids: [c] })) as { ok: true; value: RefreshResult }
    expect(r.value.waiting).toEqual([
      { ids: [c], carrier: 'express-relais', account: 'default', reason: 'rate_limit', retryAfterMs: expect.any(Number) }
    ])
    expect(r.value.waiting[0]!.retryAfterMs).toBeGreaterThan(0)
    expect(carrier.tooMany).toBe(0)

    for (const input of [{ ids: [] }, { ids: [0] }, { ids: [1], extra: true }, { ids: Array.from({ length: 501 }, (_, i) => i + 1) }, {}]) {
      const bad = await backend.dispatch('shipments.refresh', input)
      expect(bad.ok ? 'ok' : bad.error.code).toBe('invalid_input')
    }
  })

  it('keeps carrier secrets out of what the UI sees when a check fails', async () => {
    const id = addShipment(1)
    carrier.failWith = new CarrierError('unauthorized', `Express Relais refused token ${SECRET}`)
    const r = (await backend.dispatch('shipments.refresh', { ids: [id] })) as { ok: true; value: RefreshResult }
    expect(r.value.failed).toHaveLength(1)
    expect(JSON.stringify(r.value)).not.toContain(SECRET)
    const detail = await backend.dispatch('shipments.get', { id })
    expect(JSON.stringify(detail)).not.toContain(SECRET)
    expect(JSON.stringify(detail)).toContain('[redacted]')
    const st = await backend.dispatch('poller.state', {})
    expect(JSON.stringify(st)).not.toContain(SECRET)
  })
})
