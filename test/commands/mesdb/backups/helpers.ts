import nock from 'nock'

import {tmpHome, type TmpHome} from '../../../support/tmp-home.js'

export const API = 'http://127.0.0.1:2180'
export const ORG = 'bt77lfqrh41scaatc180'
export const PROJECT = 'btfjev2rh41scaatc1k0'
export const BACKUPS = `/mesdb/v1/organizations/${ORG}/projects/${PROJECT}/backups`

/**
 * A temp home whose default profile has the org (not the project, like the seed doc), the API
 * URL in ESC_API_URL and ESC_TOKEN as credential; nock owns the network.
 */
export function useBackupsEnv(): {env: () => Record<string, string | undefined>; home: () => TmpHome} {
  let home: TmpHome
  before(async () => {
    home = await tmpHome({profile: {orgId: ORG}, token: false})
    nock.disableNetConnect()
  })
  afterEach(() => nock.cleanAll())
  after(async () => {
    nock.enableNetConnect()
    await home.cleanup()
  })
  return {
    home: () => home,
    env: () => ({
      ...home.env, ESC_API_URL: API, ESC_TOKEN: 'tok', ESC_ORG_ID: undefined, ESC_PROJECT_ID: undefined,
      ESC_PROFILE: undefined, ESC_HTTP_TIMEOUT: undefined, ESC_REFRESH_TOKEN: undefined, ESC_DEBUG: undefined,
    }),
  }
}

export const problem = (status: number, title: string, detail?: string, fields?: Record<string, string>) => ({
  type: 'https://kurrent.io/problems/x', title, status, ...(detail ? {detail} : {}), instance: '/x', ...(fields ? {fields} : {}),
})
