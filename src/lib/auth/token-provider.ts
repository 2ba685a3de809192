import type {EscContext} from '../config/context.js'

/** What the API client asks for a bearer token. */
export interface TokenProvider {
  /** A valid access token (refreshed and re-stored first when the stored one has expired). */
  getAccessToken(): Promise<string>
  /** Forces one refresh (the API client calls this once after a 401) and returns the new access token. */
  refresh(): Promise<string>
}

export interface TokenProviderOptions {
  /** `--refresh-token`; falls back to ESC_REFRESH_TOKEN. */
  refreshToken?: string
  /** `--noninteractive`: never prompt. */
  noninteractive?: boolean
  /** `--debug`: log identity calls (never secrets) to stderr. */
  debug?: boolean
}

/**
 * Chooses the credential source (ESC_TOKEN → ESC_CLIENT_ID/SECRET → --refresh-token/ESC_REFRESH_TOKEN
 * → stored token → interactive prompt) and returns a provider for it. Throws EscError exit 3 when
 * none applies. The Authorization header is `Bearer <access token>`.
 */
export async function createTokenProvider(ctx: EscContext, opts: TokenProviderOptions = {}): Promise<TokenProvider> {
  const {selectTokenProvider} = await import('./credentials.js')
  return selectTokenProvider(ctx, opts)
}
