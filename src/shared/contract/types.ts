import type { z } from 'zod'

/** A channel: a zod schema for what comes in, a type for what goes out. */
export interface ChannelDef<In extends z.ZodType = z.ZodType, Out = unknown> {
  input: In
  /** Type-only marker; never read at run time. */
  output: Out
}

/** Declares a channel's output type without a run-time schema. */
export const out = <T>(): T => undefined as T
