// The aggregator simulators the warehouse demo runs, behind one dynamic import (demo/warehouse.ts):
// they, their fixtures and their spec checkers load when the demo starts, not at every launch.
export { startClickpostSimulator } from '../carriers/clickpost/sim/simulator'
export { startShiprocketSimulator } from '../carriers/shiprocket/sim/simulator'
export { startShipwaySimulator } from '../carriers/shipway/sim/simulator'
export { DEMO_WAREHOUSE } from './warehouse-slice'
