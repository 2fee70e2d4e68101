// The names of every IPC channel and push event. Kept free of zod so the sandboxed preload
// can build `window.guichet` from it without bundling the schemas. contract/index.ts checks,
// at compile time, that this list and the schemas name exactly the same channels.

export const CHANNELS = [
  'app.info',
  'settings.get',
  'settings.update',
  'demo.enable',
  'accounts.list',
  'accounts.save',
  'accounts.remove',
  'accounts.test',
  'remarks.add',
  'returns.request',
  'outbox.list',
  'outbox.pending',
  'outbox.resend',
  'outbox.discard',
  'credentials.status',
  'credentials.set',
  'credentials.clear',
  'credentials.acceptPlainTextRisk',
  'connectivity.state',
  'shipments.find',
  'shipments.search',
  'shipments.list',
  'shipments.get',
  'shipments.createToPoint',
  'points.search',
  'points.get',
  'points.attach',
  'points.diagnose',
  'swisspost.userId',
  'shipments.refresh',
  'poller.state',
  'labels.preview',
  'labels.print',
  'labels.pdf',
  'printers.list',
  'printers.save',
  'printers.testPrint',
  'printJobs.list',
  'printJobs.reprint',
  'printBatches.start',
  'printBatches.resume',
  'printBatches.get',
  'updater.status',
  'updater.check',
  'updater.restartNow',
  'updater.setChannel',
  'counter.config',
  'counter.setConfig',
  'counter.checkinStart',
  'counter.checkinScan',
  'counter.checkinClose',
  'counter.setSlot',
  'counter.attachPhoto',
  'counter.stock',
  'counter.find',
  'counter.handover',
  'counter.expired',
  'counter.prepareReturn',
  'counter.dropoff',
  'counter.collectionStart',
  'counter.collectionScan',
  'counter.collectionClose',
  'counter.endOfDay',
  'counter.audit',
  'orders.create',
  'orders.assignAwb',
  'orders.label',
  'orders.cancel',
  'orders.list',
  'returns.createAwb',
  'returns.getAwb',
  'webhooks.status',
  'webhooks.configure',
  'webhooks.rotateSecret',
  'forwarding.log',
  'hub.expectedArrivals',
  'hub.pointSteps'
] as const
export type Channel = (typeof CHANNELS)[number]

export const EVENTS = [
  'shipment.changed',
  'poller.state',
  'connectivity',
  'print.progress',
  'outbox.changed',
  'updater.changed',
  'backend.restarted'
] as const
export type EventName = (typeof EVENTS)[number]

/** The Electron IPC channel that carries a contract channel. */
export const ipcChannelName = (channel: Channel): string => `guichet:${channel}`
/** The single Electron IPC channel for push events (main -> renderer). */
export const IPC_EVENT_CHANNEL = 'guichet:event'

export const isChannel = (name: string): name is Channel => (CHANNELS as readonly string[]).includes(name)
export const isEventName = (name: string): name is EventName => (EVENTS as readonly string[]).includes(name)
