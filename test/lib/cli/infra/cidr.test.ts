import {strict as assert} from 'node:assert'

import {aclCidrBlock, networkCidr} from '../../../../src/lib/cli/infra/cidr.js'
import {EscError} from '../../../../src/lib/core/errors.js'

const refused = (fn: () => unknown, message: string) =>
  assert.throws(fn, (e: unknown) => e instanceof EscError && e.kind === 'invalid-input' && e.message === message)

describe('CIDR parsing of --cidr-block and --cidr-blocks', () => {
  it('sends networks in the canonical form, a host address without /32', () => {
    assert.equal(networkCidr('172.21.0.0/16'), '172.21.0.0/16')
    assert.equal(networkCidr('10/8'), '10.0.0.0/8')
    assert.equal(networkCidr('010.0.0.0/8'), '10.0.0.0/8')
    assert.equal(networkCidr('10.1.2.3/32'), '10.1.2.3')
    assert.equal(networkCidr('10.1.2.3'), '10.1.2.3')
    assert.equal(networkCidr('0.0.0.0/0'), '0.0.0.0/0')
  })

  it('refuses what the official CLI refuses, in one line naming the flag, the value and the fix', () => {
    const flag = "Invalid value for '--cidr-block <cidr-block>'"
    const fix = 'give an IPv4 network such as 172.21.0.0/16'
    refused(() => networkCidr('10.0.0.1/8'), `${flag}: 10.0.0.1/8: host part of address was not zero; ${fix}`)
    refused(
      () => networkCidr('10.0.0.0/33'),
      `${flag}: 10.0.0.0/33: invalid length for network: Network length 33 is too long for Ipv4 (maximum: 32); ${fix}`,
    )
    refused(
      () => networkCidr('10.0.0.0/'),
      `${flag}: 10.0.0.0/: couldn't parse length in network: cannot parse integer from empty string; ${fix}`,
    )
    for (const bad of ['::/0', '', 'abc', '256.0.0.0/8', '1.2.3.4.5/32'])
      refused(() => networkCidr(bad), `${flag}: ${bad}: couldn't parse address in network: invalid IPv4 address syntax; ${fix}`)
  })

  it('splits an ACL entry at the first comma: address (always with its length), then the comment', () => {
    assert.deepEqual(aclCidrBlock('10.0.0.0/8,Office VPN'), {address: '10.0.0.0/8', comment: 'Office VPN'})
    assert.deepEqual(aclCidrBlock('192.168.1.7'), {address: '192.168.1.7/32'})
    assert.deepEqual(aclCidrBlock('172.16.0.0/12,'), {address: '172.16.0.0/12', comment: ''})
    assert.deepEqual(aclCidrBlock('10.1.0.0/16,a, b,c'), {address: '10.1.0.0/16', comment: 'a, b,c'})
  })

  it('refuses a bad ACL address with the official "Invalid CIDR input" prefix', () => {
    refused(
      () => aclCidrBlock('10.0.0.1/8,x'),
      'Invalid value for \'--cidr-blocks <cidr-blocks>...\': 10.0.0.1/8: Invalid CIDR input: host part of address was not zero; give "<cidr>,<optional comment>" such as "10.0.0.0/8,Office VPN"',
    )
  })
})
