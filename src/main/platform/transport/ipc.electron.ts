import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import { CHANNELS, IPC_EVENT_CHANNEL, ipcChannelName } from '../../../shared/contract/channels'
import type { Dispatch } from '../ipc/dispatch'
import type { EventBus } from '../events'
import { isTrustedSenderUrl } from '../security/policy'

// The desktop transport: one ipcMain.handle per contract channel, push events via webContents.send.

export function registerIpc(ipcMain: IpcMain, dispatch: Dispatch, devServerUrl?: string): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(ipcChannelName(channel), (event: IpcMainInvokeEvent, input: unknown) => {
      const frame = event.senderFrame
      if (!frame || !isTrustedSenderUrl(frame.url, frame.parent === null, devServerUrl)) {
        return { ok: false, error: { code: 'forbidden', message: 'Calls are only accepted from Guichet’s own window.', retryable: false } }
      }
      return dispatch(channel, input)
    })
  }
}

/** Forwards every backend event to a window until it is destroyed. */
export function forwardEvents(events: EventBus, contents: WebContents): () => void {
  const off = events.onAny((name, payload) => {
    if (!contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, { name, payload })
  })
  contents.once('destroyed', off)
  return off
}
