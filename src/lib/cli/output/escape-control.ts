const NAMED: Record<string, string> = {'\t': String.raw`\t`, '\n': String.raw`\n`, '\r': String.raw`\r`}

/**
 * Shows control characters (C0, DEL, C1) as escapes: text from the API printed in a table must not
 * move the cursor, change colours or break a row. `cli` and `--json` keep esc's exact renderings.
 */
export function escapeControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replaceAll(/[\u0000-\u001f\u007f-\u009f]/g, (c) => NAMED[c] ?? `\\x${c.codePointAt(0)!.toString(16).padStart(2, '0')}`)
}
