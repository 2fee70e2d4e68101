// The carriers Guichet can speak to. Adding a carrier means adding its folder and one line here.
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
