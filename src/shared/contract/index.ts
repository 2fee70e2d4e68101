import type { z } from 'zod'
import { appChannels } from './app'
import { accountChannels } from './accounts'
import { shipmentChannels } from './shipments'
import { labelChannels } from './labels'
import { actionChannels } from './actions'
import { updaterChannels } from './updater'
import { webhookSecretChannels } from './webhooks'
import { pollerChannels } from './poller'
import { pointChannels } from './points'
import { counterChannels } from './counter'
import { aggregatorChannels } from './aggregators'
import { hubChannels } from './hub'
import type { Channel, EventName } from './channels'
import type { EventPayloads } from './events'
import type { Result } from '../result'

export * from './channels'
export type { EventPayloads, PollerState, PollerAccountState } from './events'
export type { FindResult, ShipmentPage } from './shipments'
export type { LabelPreview, PrintBatchInfo, PrinterInfo, PrintJobInfo } from './labels'
export type { OutboxItem, OutboxCounts, OutboxState, CredentialsStatus, CredentialsAccountStatus, ConnectivityState } from './actions'
export type { UpdateStatus, UpdateInstallBlock, UpdateDisabledReason, UpdatePhase } from './updater'
export type { RefreshResult, RefreshWaiting } from './poller'
export type { AggregatorId, AggregatorOrderInfo, ForwardingEntry, LabelFetched, WarehouseOrder, WebhookReceiverStatus } from './aggregators'
export type { WebhookSecretIssued } from './webhooks'
export type { ExpectedArrival, ExpectedArrivals, ExpectedOn, HubLinkState, PointStep } from './hub'
export type { PointSearchResult, PointSearchError, PointsDiagnostics, UserIdLookupResult, ShipmentToPointResult } from './points'
export type {
  CounterParcel,
  CounterParcelState,
  CounterSession,
  CheckinResult,
  CheckinWarning,
  CounterStock,
  CarrierSync,
  CarrierNote,
  CarrierNoteCode,
  CounterDocument,
  HandoverResult,
  DropoffResult,
  PrepareReturnResult,
  CollectionState,
  CollectionCloseResult,
  CounterDayReport,
  CounterAuditEntry,
  CounterConfig
} from './counter'

/**
 * The whole IPC contract: every channel, its input schema and its output type. Each channel's
 * own input schema is wrapped in z.lazy: built at the channel's first call, not when the contract
 * is imported (some sixty object schemas, about 10 ms of CPU before a desk's first scan).
 */
export const contract = {
  ...appChannels,
  ...accountChannels,
  ...actionChannels,
  ...shipmentChannels,
  ...labelChannels,
  ...updaterChannels,
  ...pointChannels,
  ...pollerChannels,
  ...counterChannels,
  ...aggregatorChannels,
  ...webhookSecretChannels,
  ...hubChannels
}
type Contract = typeof contract

// Compile-time proof that CHANNELS (used by the preload) and the schemas agree.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const channelListMatches: Same<Channel, keyof Contract> = true
void channelListMatches
const eventListMatches: Same<EventName, keyof EventPayloads> = true
void eventListMatches

export type Input<C extends Channel> = z.input<Contract[C]['input']>
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>
export type Output<C extends Channel> = Contract[C]['output']

type Namespace<C extends string> = C extends `${infer NS}.${string}` ? NS : never

/** A channel as a function: the input may be left out when every field is optional. */
type ChannelFn<C extends Channel> =
  Record<never, never> extends Input<C> ? (input?: Input<C>) => Promise<Result<Output<C>>> : (input: Input<C>) => Promise<Result<Output<C>>>

/** `window.guichet`: one async function per channel, grouped by namespace, plus typed events. */
export type GuichetApi = {
  [NS in Namespace<Channel>]: {
    [C in Channel as C extends `${NS}.${infer M}` ? M : never]: ChannelFn<C>
  }
} & {
  on<E extends EventName>(name: E, listener: (payload: EventPayloads[E]) => void): () => void
}
