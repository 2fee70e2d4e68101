// The three aggregator modules, for the receiver and the pipeline's mapping lookup.
import type { CarrierId } from '../../../shared/domain'
import { clickpostModule } from '../../carriers/clickpost'
import { shiprocketModule } from '../../carriers/shiprocket'
import { shipwayModule } from '../../carriers/shipway'
import type { CarrierModule } from '../../carriers/types'

const AGGREGATOR_MODULES: Readonly<Partial<Record<CarrierId, CarrierModule>>> = {
  shiprocket: shiprocketModule,
  clickpost: clickpostModule,
  shipway: shipwayModule
}

export const aggregatorModule = (carrier: CarrierId): CarrierModule | undefined => AGGREGATOR_MODULES[carrier]
