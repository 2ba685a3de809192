// Spawned by keychain-real.test.ts inside `dbus-run-session`: stores, reads and deletes a token
// through the real token store and prints one JSON line with what happened.
import {existsSync} from 'node:fs'

import {openTokenStore} from '../../../../src/lib/client/auth/token-store.js'

const configDir = process.env.ESC_CONFIG_DIR ?? ''
const store = openTokenStore(configDir, 'https://api.eventstore.cloud', {debug: (line) => process.stderr.write(`[debug] ${line}\n`)})
const token = {
  access_token: 'kc-access',
  refresh_token: 'kc-refresh',
  scope: 'cloud:access offline_access',
  expires_in: 60,
  token_type: 'Bearer',
}
const savedTo = await store.save(token)
const fileAfterSave = existsSync(store.filePath)
const loaded = await store.load()
const deleted = await store.delete()
const afterDelete = await store.load()
process.stdout.write(
  `${JSON.stringify({savedTo, fileAfterSave, loadedFrom: loaded?.source, refresh: loaded?.token.refresh_token, deleted, afterDelete: afterDelete ?? null})}\n`,
)
