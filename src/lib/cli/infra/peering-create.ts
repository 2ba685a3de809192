import type {ApiClient} from '../../client/api/client.js'
import {ApiError} from '../../client/api/errors.js'
import type {CreatePeeringRequest} from '../../contract/infra.js'
import {peeringCommandsJson, peeringCommandsText, peeringIdKind} from '../output/infra.js'
import type {Printer} from '../output/printer.js'

/**
 * The status with which the cloud says a peering needs configuration on the provider's side. The
 * official CLI (since its generated client) treats every failure so and exits 0, which hides real
 * errors; here only this status takes that path, every other failure is an error (exit 1).
 */
export const PEERING_NEEDS_PROVIDER_SETUP = 412

/**
 * Creates a peering. On success only `-q`, `table` and the API formats print something (the
 * official CLI prints nothing). When the provider side needs configuration: fetches the network,
 * asks the API for the commands to run there and prints them (with `--json` as JSON, in the API
 * formats after the exchanges), exit 0.
 */
export async function createPeering(
  api: ApiClient,
  printer: Printer,
  target: {orgId: string; projectId: string; json: boolean},
  body: CreatePeeringRequest,
): Promise<void> {
  const {orgId, projectId} = target
  try {
    const res = await api.infra.createPeering(orgId, projectId, body)
    if (printer.quiet || printer.isApiFormat || printer.format === 'table') await printer.created(peeringIdKind, res)
    return
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== PEERING_NEEDS_PROVIDER_SETUP) throw error
    if (printer.isApiFormat) printer.exchange(error.exchange)
  }
  const net = await api.infra.getNetwork(orgId, projectId, body.networkId)
  if (printer.isApiFormat) printer.exchange(net.exchange)
  const res = await api.infra.peeringCommands(orgId, projectId, {
    provider: net.data.network.provider,
    peerAccountId: body.peerAccountId,
    peerNetworkId: body.peerNetworkId,
  })
  if (printer.isApiFormat) printer.exchange(res.exchange)
  const commands = res.data.commands
  if (!target.json) printer.write(peeringCommandsText(commands))
  else if (!printer.isApiFormat) printer.write(peeringCommandsJson(commands))
}
