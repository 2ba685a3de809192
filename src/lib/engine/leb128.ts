/** Unsigned LEB128 (7 bits per byte, low first, high bit set on all but the last): event records and WebAssembly both use it. */
export function uleb128Bytes(n: number): number[] {
  const out: number[] = []
  do {
    let byte = n & 0x7f
    n >>>= 7
    if (n !== 0) byte |= 0x80
    out.push(byte)
  } while (n !== 0)
  return out
}
