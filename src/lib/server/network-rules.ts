/**
 * What the local cloud accepts for networks and ACLs, as the cloud does: IPv4 CIDR blocks (a
 * network's inside the private ranges, at least a /25), and a provider's known regions. Each check
 * answers a message for the field, or undefined when the value is fine.
 */

/** Where local clusters live: the region of every provider the local cloud serves. */
export const LOCAL_REGION = 'local'

/** The providers' common regions, for requests shaped like production ones. */
export const REGIONS: Readonly<Record<string, readonly string[]>> = {
  aws: [
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
    'ca-central-1',
    'sa-east-1',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'eu-central-1',
    'eu-north-1',
    'ap-south-1',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-northeast-1',
    'ap-northeast-2',
  ],
  gcp: [
    'us-central1',
    'us-east1',
    'us-east4',
    'us-west1',
    'us-west2',
    'northamerica-northeast1',
    'southamerica-east1',
    'europe-west1',
    'europe-west2',
    'europe-west3',
    'europe-west4',
    'europe-north1',
    'asia-south1',
    'asia-southeast1',
    'asia-northeast1',
    'australia-southeast1',
  ],
  azure: [
    'eastus',
    'eastus2',
    'centralus',
    'westus',
    'westus2',
    'westus3',
    'canadacentral',
    'brazilsouth',
    'northeurope',
    'westeurope',
    'uksouth',
    'francecentral',
    'germanywestcentral',
    'swedencentral',
    'centralindia',
    'southeastasia',
    'japaneast',
    'australiaeast',
  ],
}

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']
/** The smallest network the cloud creates: 128 addresses. */
const LONGEST_NETWORK_PREFIX = 25

interface Cidr {
  /** The address as an unsigned 32-bit number. */
  address: number
  prefix: number
}

const mask = (prefix: number) => (prefix === 0 ? 0 : (0xffff_ffff << (32 - prefix)) >>> 0)
const dotted = (n: number) => [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join('.')

/** Parses `a.b.c.d/n` (or a bare address, a /32); a message when it is not one. */
export function parseCidr(text: string): Cidr | string {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(text)
  const what = `${JSON.stringify(text)} is not an IPv4 CIDR block such as 10.1.0.0/16`
  if (!match) return what
  const octets = match.slice(1, 5).map(Number)
  const prefix = match[5] === undefined ? 32 : Number(match[5])
  if (octets.some((o) => o > 255) || prefix > 32) return what
  const address = octets.reduce((n, o) => n * 256 + o, 0)
  if ((address & ~mask(prefix)) >>> 0 !== 0) {
    return `${text} has host bits set: the block is ${dotted((address & mask(prefix)) >>> 0)}/${prefix}`
  }
  return {address, prefix}
}

const inside = (inner: Cidr, outer: Cidr) => inner.prefix >= outer.prefix && (inner.address & mask(outer.prefix)) >>> 0 === outer.address

/** A network's block: a CIDR inside 10/8, 172.16/12 or 192.168/16, no smaller than a /25. */
export function networkCidrProblem(text: string): string | undefined {
  const cidr = parseCidr(text)
  if (typeof cidr === 'string') return cidr
  if (!PRIVATE_RANGES.some((range) => inside(cidr, parseCidr(range) as Cidr))) {
    return `${text} is not a private range: use a block inside ${PRIVATE_RANGES.join(', ')}`
  }
  if (cidr.prefix > LONGEST_NETWORK_PREFIX) return `${text} is too small: a network needs at least a /${LONGEST_NETWORK_PREFIX}`
  return undefined
}

/** An ACL entry: any IPv4 CIDR block (clients reach public clusters from public addresses). */
export function aclCidrProblem(text: string): string | undefined {
  const cidr = parseCidr(text)
  return typeof cidr === 'string' ? cidr : undefined
}

export function regionProblem(provider: string, region: string): string | undefined {
  if (region === LOCAL_REGION) return undefined
  const known = REGIONS[provider] ?? []
  if (known.includes(region)) return undefined
  return `unknown region ${JSON.stringify(region)} for ${provider}: use ${LOCAL_REGION} or one of ${known.join(', ')}`
}

/** A /16 of 10/8 that none of `used` overlaps, for a network created without a block. */
export function freeBlock(used: readonly string[]): string {
  const taken = used.map(parseCidr).filter((c): c is Cidr => typeof c !== 'string')
  for (let second = 0; second < 256; second++) {
    const candidate = {address: (10 * 2 ** 24 + second * 2 ** 16) >>> 0, prefix: 16}
    if (!taken.some((c) => inside(c, candidate) || inside(candidate, c))) return `${dotted(candidate.address)}/16`
  }
  return '10.0.0.0/16'
}
