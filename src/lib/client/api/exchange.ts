/**
 * One HTTP request/response as it went over the wire. Commands never look inside; the output
 * module prints it for `--fmt api` / `api-verbose`, and errors carry it for `--debug`.
 */
export interface HttpExchange {
  method: string
  /** Full URL, including base path and query. */
  url: string
  /** Path + query only, used in one-line error messages. */
  path: string
  /** The JSON text sent (POST/PUT with a body), exactly as sent. */
  requestBody?: string
  status: number
  responseText: string
  /** Wall time of the final attempt. */
  durationMs: number
  /** 1 + the number of retries. */
  attempts: number
}

/** What every ApiClient call returns: the decoded value and the exchange that produced it. */
export interface ApiResponse<T> {
  data: T
  exchange: HttpExchange
}
