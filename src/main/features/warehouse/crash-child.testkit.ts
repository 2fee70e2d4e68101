// Child process for the crash test: creates one order through the guard and is SIGKILLed right
// after the aggregator answered, before Guichet records it (what a power cut would do).
// Environment: GUICHET_CRASH_DB, GUICHET_CRASH_SIM, GUICHET_CRASH_REF.
import { silentLogger } from '../../platform/logger'
import { systemClock } from '../../platform/clock'
import { demoShiprocketAccount, sampleWarehouseOrder, startWarehouseSlice } from '../../demo/warehouse-slice'
import { openAggregatorDatabase } from './warehouse.testkit'

async function main(): Promise<void> {
  const db = openAggregatorDatabase(process.env.GUICHET_CRASH_DB!)
  const slice = await startWarehouseSlice({
    db,
    clock: systemClock,
    logger: silentLogger,
    accounts: [demoShiprocketAccount(process.env.GUICHET_CRASH_SIM!)],
    afterCreateCall: () => {
      process.stdout.write('created-at-aggregator\n')
      process.kill(process.pid, 'SIGKILL')
    }
  })
  await slice.service.createOrder('shiprocket', 'warehouse-north', sampleWarehouseOrder(process.env.GUICHET_CRASH_REF!))
  process.stdout.write('recorded (the kill did not happen)\n')
  process.exit(3)
}

void main()
