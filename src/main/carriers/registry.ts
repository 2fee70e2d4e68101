// The carriers Guichet can speak to: one line per carrier module. A new carrier also needs its id
// and name in src/shared/domain.ts, its simulator for the demo (src/main/demo) and its words in the
// locales; README "Adding a carrier" has the list.
import type { CarrierId } from '../../shared/domain'
import { clickpostModule } from './clickpost'
import { ecotrackModule } from './ecotrack'
import { expressRelaisModule } from './express-relais'
import { sendcloudModule } from './sendcloud'
import { shiprocketModule } from './shiprocket'
import { shipwayModule } from './shipway'
import { swissPostModule } from './swisspost'
import type { CarrierModule } from './types'

export const CARRIER_MODULES: readonly CarrierModule[] = [
  ecotrackModule,
  expressRelaisModule,
  sendcloudModule,
  swissPostModule,
  shiprocketModule,
  clickpostModule,
  shipwayModule
]

const byId = new Map<CarrierId, CarrierModule>(CARRIER_MODULES.map((m) => [m.id, m]))

/** The module of a carrier, or undefined while it has no adapter yet. */
export const carrierModule = (id: CarrierId): CarrierModule | undefined => byId.get(id)
