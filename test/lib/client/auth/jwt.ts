/** An unsigned JWT-shaped token whose payload carries `exp` (the CLI never checks signatures). */
export function fakeJwt(expSeconds: number, sub = 'user'): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({alg: 'RS256', typ: 'JWT'})}.${part({sub, exp: expSeconds})}.c2lnbmF0dXJl`
}
