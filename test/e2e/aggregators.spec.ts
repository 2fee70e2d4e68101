// Issue 8 in browser mode (demo, on the aggregator simulators): create a Shiprocket order, assign
// an AWB, print its carrier label (stored as Shiprocket made it, through a cups-pdf queue),
// receive OUT_FOR_DELIVERY then DELIVERED by webhook (the simulator posts to the desk's receiver),
// create the return and see RETURN_PICKED_UP, then find the parcel at the counter by its AWB.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { promisify } from 'node:util'
import { expect, scan, screenshot, test } from './fixtures'

const run = promisify(execFile)
const QUEUE = `GuichetAgg_${process.pid}`
let cupsd: ChildProcess | undefined

async function schedulerRunning(): Promise<boolean> {
  try {
    return /scheduler is running/.test((await run('lpstat', ['-r'])).stdout)
  } catch {
    return false
  }
}

test.beforeAll(async () => {
  if (!(await schedulerRunning())) {
    cupsd = spawn('/usr/sbin/cupsd', ['-f'], { stdio: 'ignore' })
    for (let i = 0; i < 75 && !(await schedulerRunning()); i++) await new Promise((r) => setTimeout(r, 200))
  }
  await run('lpadmin', ['-p', QUEUE, '-v', 'cups-pdf:/', '-E', '-m', 'lsb/usr/cups-pdf/CUPS-PDF_noopt.ppd'])
})

test.afterAll(async () => {
  await run('lpadmin', ['-x', QUEUE]).catch(() => undefined)
  if (cupsd?.pid) process.kill(cupsd.pid, 'SIGTERM')
})

test.describe('warehouse on Shiprocket (browser mode, demo)', () => {
  test('order, AWB, printed label, OUT_FOR_DELIVERY then DELIVERED by webhook, return with RETURN_PICKED_UP', async ({ page, guichet }) => {
    const rpc = async <T>(channel: string, input: unknown = {}): Promise<T> => {
      const res = await fetch(`${guichet.base}/rpc/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${guichet.token}` },
        body: JSON.stringify(input)
      })
      const r = (await res.json()) as { ok: boolean; value?: T; error?: { code: string; message: string } }
      if (!r.ok) throw new Error(`${channel}: ${r.error?.code} ${r.error?.message}`)
      return r.value as T
    }
    await page.goto(guichet.url)
    await expect(page.getByTestId('search-input')).toBeFocused()

    // Demo mode starts the receiver on loopback; the simulators post to it.
    await expect.poll(async () => (await rpc<{ listening: boolean }>('webhooks.status')).listening).toBe(true)
    const sim = (await rpc<Array<{ carrier: string; alias: string; baseUrl: string }>>('accounts.list')).find(
      (a) => a.carrier === 'shiprocket' && a.alias === 'demo'
    )!
    const move = async (awb: string, id: number) => {
      const res = await fetch(new URL('/__sim/advance', sim.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ awb, shipment_status_id: id })
      })
      expect(((await res.json()) as { webhook: { delivered: boolean } }).webhook.delivered).toBe(true)
    }

    const order = await rpc<{ shipmentId: number; state: string }>('orders.create', {
      carrier: 'shiprocket',
      account: 'demo',
      order: {
        reference: 'E2E-SR-1',
        recipient: {
          name: 'Priya Raman',
          phone: '9876543210',
          email: 'priya@example.in',
          address: '12 Anna Salai',
          city: 'Chennai',
          state: 'Tamil Nadu',
          pincode: '600002',
          country: 'India'
        },
        items: [{ name: 'Cotton kurta', sku: 'KUR-42-M', units: 1, price: 899 }],
        payment: 'prepaid',
        weightGrams: 500,
        lengthCm: 30,
        breadthCm: 20,
        heightCm: 5
      }
    })
    expect(order.state).toBe('created')
    const { awb } = await rpc<{ awb: string }>('orders.assignAwb', { shipmentId: order.shipmentId })
    expect(awb).toMatch(/^\d{14}$/)

    // The carrier's PDF, stored as is, goes to a PDF printer.
    const label = await rpc<{ labelId: number; contentType: string }>('orders.label', { shipmentId: order.shipmentId })
    expect(label.contentType).toBe('application/pdf')
    const printer = await rpc<{ id: string }>('printers.save', {
      name: 'Warehouse PDF',
      driver: 'cups-pdf',
      target: QUEUE,
      format: 'pdf',
      size: 'A6'
    })
    const job = await rpc<{ state: string; source: string; labelId: number }>('labels.print', {
      shipmentId: order.shipmentId,
      printerId: printer.id
    })
    expect(job).toMatchObject({ source: 'carrier', labelId: label.labelId })
    expect(job.state).not.toBe('failed')

    await move(awb, 17)
    await move(awb, 7)
    const ret = await rpc<{ awb: string; parentShipmentId: number }>('returns.createAwb', { shipmentId: order.shipmentId })
    expect(ret.parentShipmentId).toBe(order.shipmentId)
    await move(ret.awb, 42)

    const detail = await rpc<{
      shipment: { unifiedStatus: string; nativeStatusLabel: string }
      events: Array<{ nativeLabel: string | null; source: string }>
    }>('shipments.get', { id: order.shipmentId })
    expect(detail.shipment).toMatchObject({ unifiedStatus: 'return', nativeStatusLabel: 'RETURN_PICKED_UP' })
    const webhookLabels = detail.events.filter((e) => e.source === 'webhook').map((e) => e.nativeLabel)
    expect(webhookLabels).toEqual(['RETURN_PICKED_UP', 'DELIVERED', 'OUT FOR DELIVERY'])

    // The counter finds it by its AWB and shows the return on the timeline.
    await scan(page, awb)
    await expect(page.getByTestId('shipment-view')).toBeVisible()
    await expect(page.getByTestId('shipment-tracking')).toHaveText(awb)
    await expect(page.getByTestId('unified-status')).toHaveAttribute('data-status', 'return')
    await expect(page.getByTestId('timeline')).toContainText('RETURN_PICKED_UP')
    await expect(page.getByTestId('timeline')).toContainText('OUT FOR DELIVERY')
    await screenshot(page, 'aggregators-return')
  })
})
