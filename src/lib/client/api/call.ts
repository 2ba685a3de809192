import type {ApiResponse} from './exchange.js'

/** One API call: the shape ApiClient gives the endpoint groups that live in modules of their own. */
export type ApiCall = <T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  decode: (body: unknown) => T,
  body?: unknown,
) => Promise<ApiResponse<T>>
