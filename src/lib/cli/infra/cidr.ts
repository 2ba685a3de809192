/**
 * IPv4 CIDR parsing of `--cidr-block` (networks) and `--cidr-blocks` (ACLs), accepting and refusing
 * what the official CLI does: short forms (`10/8`) and leading zeros are fine, host bits must be
 * zero. No private-range or size check here: the cloud decides those.
 */
import {UsageError} from '../../core/errors.js'

interface Cidr {
  octets: number[]
  length: number
}

const ADDRESS_SYNTAX = "couldn't parse address in network: invalid IPv4 address syntax"

/** The parsed network, or the official CLI's reason for refusing it. */
function parse(text: string): Cidr | string {
  const slash = text.indexOf('/')
  const address = slash === -1 ? text : text.slice(0, slash)
  const parts = address.split('.')
  // A short form (`10/8`, `10.1/16`) needs the length; a bare address is a host, all four octets.
  const shortOk = slash !== -1 && parts.length <= 4
  if (!(shortOk || parts.length === 4) || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return ADDRESS_SYNTAX
  const octets = [0, 1, 2, 3].map((i) => Number(parts[i] ?? 0))
  if (slash === -1) return {octets, length: 32}
  const lengthText = text.slice(slash + 1)
  if (lengthText === '') return "couldn't parse length in network: cannot parse integer from empty string"
  if (!/^\d+$/.test(lengthText)) return "couldn't parse length in network: invalid digit found in string"
  const length = Number(lengthText)
  if (length > 255) return "couldn't parse length in network: number too large to fit in target type"
  if (length > 32) return `invalid length for network: Network length ${length} is too long for Ipv4 (maximum: 32)`
  const value = octets.reduce((n, o) => n * 256 + o, 0)
  const hostBits = 2 ** (32 - length)
  if (value % hostBits !== 0) return 'host part of address was not zero'
  return {octets, length}
}

const address = (c: Cidr) => c.octets.join('.')

/** `--cidr-block`: the canonical network; a /32 is sent as the bare address, as the official CLI does. */
export function networkCidr(text: string): string {
  const cidr = parse(text)
  if (typeof cidr === 'string') {
    throw new UsageError(`Invalid value for '--cidr-block <cidr-block>': ${text}: ${cidr}; give an IPv4 network such as 172.21.0.0/16`)
  }
  return cidr.length === 32 ? address(cidr) : `${address(cidr)}/${cidr.length}`
}

/**
 * One `--cidr-blocks` value, `"<cidr>,<optional comment>"`: split at the first comma (the comment
 * may hold more); no comma, no comment. The address always carries its length (`/32` too).
 */
export function aclCidrBlock(text: string): {address: string; comment?: string} {
  const comma = text.indexOf(',')
  const cidrText = comma === -1 ? text : text.slice(0, comma)
  const cidr = parse(cidrText)
  if (typeof cidr === 'string') {
    throw new UsageError(
      `Invalid value for '--cidr-blocks <cidr-blocks>...': ${cidrText}: Invalid CIDR input: ${cidr}; give "<cidr>,<optional comment>" such as "10.0.0.0/8,Office VPN"`,
    )
  }
  const block = `${address(cidr)}/${cidr.length}`
  return comma === -1 ? {address: block} : {address: block, comment: text.slice(comma + 1)}
}
