import {UsageError} from '../../core/errors.js'
import {defaultFormat, formatsOf, isLabelTokenName, LABEL_TOKEN_NAMES, LabelFormat, LabelTokenName} from './tokens.js'

export interface LabelText {
  kind: 'text'
  text: string
}

export interface LabelToken {
  kind: 'token'
  token: LabelTokenName
  format: LabelFormat
  /** Offset of the opening bracket in the template and the length up to and including the closing one. */
  start: number
  length: number
}

export type LabelPart = LabelText | LabelToken

export interface LabelTemplate {
  template: string
  parts: LabelPart[]
  /** Token names used at least once: tells a caller which data it must fetch before rendering. */
  uses: Set<LabelTokenName>
}

/** Opening bracket → closing bracket of the two token syntaxes (`{token:fmt}` and `<token:fmt>`). */
const CLOSERS: Record<string, string> = {'{': '}', '<': '>'}

/**
 * A template error that points at the fault: the message shows the template with a caret line
 * under the offending characters. `reason` is the same text without the picture, for APIs
 * (the local cloud answers it in problem details).
 */
export class LabelTemplateError extends UsageError {
  constructor(
    readonly reason: string,
    readonly template: string,
    readonly position: number,
    readonly length: number,
  ) {
    super(`${reason}\n${caretPicture(template, position, length)}`)
    this.name = 'LabelTemplateError'
  }
}

function caretPicture(template: string, position: number, length: number): string {
  // Tabs stay tabs so the caret lines up however the terminal expands them.
  const pad = [...template.slice(0, position)].map((ch) => (ch === '\t' ? '\t' : ' ')).join('')
  return `  ${template}\n  ${pad}${'^'.repeat(Math.max(1, length))}`
}

/**
 * Parses a backup label template. Tokens are `{token}` or `{token:format}` (the docs' form) or the
 * same between `<` and `>`; token and format names are case-insensitive (`{datetime:RFC3339}`).
 * `{{`, `}}`, `<<` and `>>` stand for a literal bracket. Anything else that opens or closes a token
 * without forming a valid one is an error.
 */
export function parseLabelTemplate(template: string): LabelTemplate {
  const parts: LabelPart[] = []
  const uses = new Set<LabelTokenName>()
  let text = ''
  let i = 0
  while (i < template.length) {
    const ch = template[i]
    const next = template[i + 1]
    const isOpener = ch in CLOSERS
    const isCloser = ch === '}' || ch === '>'
    if ((isOpener || isCloser) && next === ch) {
      text += ch
      i += 2
      continue
    }
    if (isCloser) {
      const opener = ch === '}' ? '{' : '<'
      throw new LabelTemplateError(
        `Unmatched '${ch}' in the label template: write '${ch}${ch}' for a literal '${ch}' or open a token with '${opener}'`,
        template,
        i,
        1,
      )
    }
    if (!isOpener) {
      text += ch
      i += 1
      continue
    }
    const token = readToken(template, i, CLOSERS[ch])
    if (text) parts.push({kind: 'text', text})
    text = ''
    parts.push(token)
    uses.add(token.token)
    i = token.start + token.length
  }
  if (text) parts.push({kind: 'text', text})
  return {template, parts, uses}
}

function readToken(template: string, start: number, closer: string): LabelToken {
  const opener = template[start]
  const end = template.indexOf(closer, start + 1)
  const nested = template.slice(start + 1, end === -1 ? undefined : end).search(/[{<]/)
  if (end === -1 || nested !== -1) {
    throw new LabelTemplateError(
      `Unclosed '${opener}' in the label template: close the token with '${closer}' or write '${opener}${opener}' for a literal '${opener}'`,
      template,
      start,
      1,
    )
  }
  const body = template.slice(start + 1, end)
  const colon = body.indexOf(':')
  const name = (colon === -1 ? body : body.slice(0, colon)).toLowerCase()
  if (!isLabelTokenName(name)) {
    const shown = colon === -1 ? body : body.slice(0, colon)
    throw new LabelTemplateError(
      `Unknown token '${shown}' in the label template; valid tokens: ${LABEL_TOKEN_NAMES.join(', ')}`,
      template,
      start + 1,
      shown.length,
    )
  }
  const length = end - start + 1
  if (colon === -1) return {kind: 'token', token: name, format: defaultFormat(name), start, length}
  const rawFormat = body.slice(colon + 1)
  const format = formatsOf(name).find((f) => f === rawFormat.toLowerCase())
  if (!format) {
    throw new LabelTemplateError(
      `Unknown format '${rawFormat}' for token '${name}' in the label template; valid formats: ${formatsOf(name).join(', ')}`,
      template,
      start + 1 + colon + 1,
      rawFormat.length,
    )
  }
  return {kind: 'token', token: name, format, start, length}
}

/** Throws a LabelTemplateError (exit 2) when the template is not valid; returns the parsed form otherwise. */
export function validateLabelTemplate(template: string): LabelTemplate {
  return parseLabelTemplate(template)
}

/** True when the template contains at least one token (a plain description needs no data to render). */
export function hasLabelTokens(template: string): boolean {
  return parseLabelTemplate(template).uses.size > 0
}
