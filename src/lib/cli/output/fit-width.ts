/** Columns never cut below this (or their header), so a narrow terminal still shows a readable start. */
const MIN_CELL_WIDTH = 10

const length = (s: string) => [...s].length

/** `s` cut to `width` characters, the last one an ellipsis when anything was cut. */
export function truncateCell(s: string, width: number): string {
  const chars = [...s]
  return chars.length <= width ? s : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`
}

/**
 * Cuts the widest cells (never those of `keep` columns, e.g. ids) until a table of `rows` under
 * `head` fits `width` characters with cli-table3's borders (`│ a │ b │`: 3 per column plus 1).
 * A table that cannot fit even so is cut as far as the minimum allows and left to wrap.
 */
export function fitRows(head: string[], rows: string[][], width: number, keep: (column: number) => boolean): string[][] {
  const widths = head.map((h, i) => Math.max(length(h), ...rows.map((r) => length(r[i]))))
  const available = width - (3 * head.length + 1)
  const floor = head.map((h, i) => (keep(i) ? widths[i] : Math.min(widths[i], Math.max(length(h), MIN_CELL_WIDTH))))
  let excess = widths.reduce((a, b) => a + b, 0) - available
  while (excess > 0) {
    let widest = -1
    for (const [i, w] of widths.entries()) if (w > floor[i] && (widest < 0 || w > widths[widest])) widest = i
    if (widest < 0) break
    widths[widest]--
    excess--
  }
  return rows.map((r) => r.map((cell, i) => truncateCell(cell, widths[i])))
}
