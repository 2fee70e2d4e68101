// The sandboxed preload: exposes only `window.guichet`, built from the contract's channel list.
// No generic ipcRenderer, no Node: the page can call the contract's channels and nothing else.
import { contextBridge, ipcRenderer } from 'electron'
import { buildApi } from '../shared/contract/api'
import { IPC_EVENT_CHANNEL, ipcChannelName, isEventName, type EventName } from '../shared/contract/channels'

const listeners = new Map<EventName, Set<(payload: unknown) => void>>()

ipcRenderer.on(IPC_EVENT_CHANNEL, (_event, message: { name?: unknown; payload?: unknown }) => {
  if (!message || typeof message.name !== 'string' || !isEventName(message.name)) return
  for (const l of listeners.get(message.name) ?? []) l(message.payload)
})

const api = buildApi(
  (channel, input) => ipcRenderer.invoke(ipcChannelName(channel), input),
  (name, listener) => {
    const set = listeners.get(name) ?? new Set()
    listeners.set(name, set)
    set.add(listener)
    return () => set.delete(listener)
  }
)

contextBridge.exposeInMainWorld('guichet', api)
