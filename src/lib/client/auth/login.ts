import {EscError, UsageError} from '../../core/errors.js'
import {type IdentityConfig, passwordGrant} from './identity.js'
import {isValidEmail, type Prompter} from './prompt.js'
import type {StoredToken} from './token.js'
import type {TokenStore} from './token-store.js'

export const OTP_QUESTION = 'Enter your one time password from your authenticator app or device: '

export interface PasswordLoginOptions {
  email?: string
  password?: string
  prompter: Prompter
  store: TokenStore
  debug?: (line: string) => void
}

/**
 * `esc access tokens create` (and the interactive fallback of other commands): email/password
 * grant, MFA code when the account asks for one, then the token is stored.
 */
export async function passwordLogin(config: IdentityConfig, options: PasswordLoginOptions): Promise<StoredToken> {
  const {prompter} = options
  let email = options.email
  if (email !== undefined && !isValidEmail(email))
    throw new UsageError(`invalid email "${email}"`, {
      suggestions: ['Pass the email of your Kurrent Cloud account, e.g. -e me@example.com'],
    })
  if (email === undefined) {
    email = await prompter.ask('Email: ')
    if (!isValidEmail(email)) throw new UsageError(`invalid email "${email}"`)
  }
  const password = options.password ?? (await prompter.askSecret('Password: '))
  if (password === '') throw new UsageError('empty password')
  const token = await passwordGrant(config, email, password, {
    debug: options.debug,
    promptOtp: async () => (await prompter.askSecret(OTP_QUESTION)).trim(),
  })
  if (!token.refresh_token) {
    throw new EscError('the identity provider returned no refresh token (scope offline_access was refused)', {kind: 'auth'})
  }
  await options.store.save(token)
  return token
}
