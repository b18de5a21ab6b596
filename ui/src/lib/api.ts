// The UI's only way to the engine: the generated commands, unwrapped so that
// a call returns its value or throws an AppError carrying the engine's code.
import { commands, type ErrorBody, type ErrorCode, type Result } from './bindings'

export class AppError extends Error {
  readonly code: ErrorCode
  readonly field: string | null

  constructor(body: ErrorBody) {
    super(body.message)
    this.code = body.code
    this.field = body.field
  }
}

function isErrorBody(e: unknown): e is ErrorBody {
  return typeof e === 'object' && e !== null && 'code' in e && 'message' in e
}

/** Anything thrown or returned as an error, as an AppError. */
export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e
  if (isErrorBody(e)) return new AppError({ code: e.code, message: e.message, field: e.field ?? null })
  // Tauri reports an argument that does not deserialise as a plain string.
  const message = e instanceof Error ? e.message : String(e)
  return new AppError({ code: 'internal', message, field: null })
}

export async function unwrap<T>(pending: Promise<Result<T, ErrorBody>>): Promise<T> {
  let result: Result<T, ErrorBody>
  try {
    result = await pending
  } catch (e) {
    throw toAppError(e)
  }
  if (result.status === 'ok') return result.data
  throw toAppError(result.error)
}

type Unwrapped<C> = {
  [K in keyof C]: C[K] extends (...args: infer A) => Promise<Result<infer T, ErrorBody>>
    ? (...args: A) => Promise<T>
    : never
}

/** The backend the screens use; a test can build one from fake commands. */
export type Backend = Unwrapped<typeof commands>

export function makeBackend(source: Record<string, (...args: never[]) => Promise<Result<unknown, ErrorBody>>>): Backend {
  const entries = Object.entries(source).map(([name, call]) => [
    name,
    (...args: never[]) => unwrap(call(...args)),
  ])
  return Object.fromEntries(entries) as Backend
}

export const api: Backend = makeBackend(commands)
