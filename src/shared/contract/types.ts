/** Declares a channel's output type without a run-time schema. */
export const out = <T>(): T => undefined as T
