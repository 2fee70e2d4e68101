// What every printer driver does: take bytes in the printer's language and get them to the device.
import type { LabelSizeId } from '../../../shared/label'

export type PrintFormat = 'pdf' | 'zpl'
export type DriverKind = 'cups-pdf' | 'cups-raw' | 'tcp9100' | 'chromium'

export interface PrintPayload {
  format: PrintFormat
  bytes: Buffer
  /** The physical label size; PDF drivers pass it to the queue so nothing is scaled or split. */
  size: LabelSizeId | null
  title: string
  copies: number
  /** The label as HTML at its exact size, for Chromium silent printing; absent for carrier files. */
  html?: string
}

export interface PrinterDriver {
  readonly kind: DriverKind
  /** The formats this device takes as is. */
  readonly accepts: readonly PrintFormat[]
  /** Resolves once the OS queue or the device has the whole job. */
  print(payload: PrintPayload): Promise<{ externalId: string | null }>
}

/** Runs a program with arguments (never a shell string); injected so tests can fake it. */
export type ExecFile = (file: string, args: readonly string[], opts?: { timeoutMs?: number }) => Promise<{ stdout: string; stderr: string }>
