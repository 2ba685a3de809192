/** What the API client asks for a bearer token. */
export interface TokenProvider {
  /** A valid access token (refreshed and re-stored first when the stored one has expired). */
  getAccessToken(): Promise<string>
  /** Forces one refresh (the API client calls this once after a 401) and returns the new access token. */
  refresh(): Promise<string>
}

export interface TokenProviderOptions {
  /** `--refresh-token`: ranks above every environment variable (ESC_ACCESS_TOKEN, ESC_TOKEN, ESC_REFRESH_TOKEN). */
  refreshToken?: string
  /** `--noninteractive`: never prompt. */
  noninteractive?: boolean
  /** `--debug`: log identity calls (never secrets) to stderr. */
  debug?: boolean
}
