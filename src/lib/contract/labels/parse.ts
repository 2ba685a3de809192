import {UsageError} from '../../core/errors.js'
import {nearest} from './nearest.js'
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

/**
 * The shape of a token: a name and an optional format. In braces, a match is a token the user meant,
 * so an unknown name or format there is refused; in angle brackets it is a token only when both are
 * known (descriptions such as `pre-upgrade <v24>` are common), otherwise plain text.
 */
const BRACE_TOKEN = /^\{([A-Za-z][\w-]*)(?::([\w-]*))?\}/
const ANGLE_TOKEN = /^<([A-Za-z][\w-]*)(?::([\w-]*))?>/

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
 * `{{` and `}}` stand for a literal brace (unescaped once, here). Every other character is plain
 * text, brackets included, except a brace token with an unknown name or format: that is a typo
 * (`{clustr}`) and is refused rather than stored as typed.
 */
export function parseLabelTemplate(template: string): LabelTemplate {
  const parts: LabelPart[] = []
  const uses = new Set<LabelTokenName>()
  let text = ''
  let i = 0
  while (i < template.length) {
    const ch = template[i]
    if ((ch === '{' || ch === '}') && template[i + 1] === ch) {
      text += ch
      i += 2
      continue
    }
    const token = ch === '{' || ch === '<' ? readToken(template, i) : undefined
    if (!token) {
      text += ch
      i += 1
      continue
    }
    if (text) parts.push({kind: 'text', text})
    text = ''
    parts.push(token)
    uses.add(token.token)
    i = token.start + token.length
  }
  if (text) parts.push({kind: 'text', text})
  return {template, parts, uses}
}

const suggestion = (typed: string, choices: readonly string[]) => {
  const near = nearest(typed, choices)
  return near ? ` (did you mean '${near}'?)` : ''
}

/** The token starting at `start`, undefined when the text there is not one (plain text). */
function readToken(template: string, start: number): LabelToken | undefined {
  const braces = template[start] === '{'
  const match = (braces ? BRACE_TOKEN : ANGLE_TOKEN).exec(template.slice(start))
  if (!match) return undefined
  const [whole, shownName, rawFormat] = match
  const name = shownName.toLowerCase()
  const length = whole.length
  if (!isLabelTokenName(name)) {
    if (!braces) return undefined
    throw new LabelTemplateError(
      `Unknown token '${shownName}' in the label template${suggestion(shownName, LABEL_TOKEN_NAMES)}; ` +
        `valid tokens: ${LABEL_TOKEN_NAMES.join(', ')}; write '{{' and '}}' for literal braces`,
      template,
      start + 1,
      shownName.length,
    )
  }
  if (rawFormat === undefined) return {kind: 'token', token: name, format: defaultFormat(name), start, length}
  const format = formatsOf(name).find((f) => f === rawFormat.toLowerCase())
  if (format) return {kind: 'token', token: name, format, start, length}
  if (!braces) return undefined
  throw new LabelTemplateError(
    `Unknown format '${rawFormat}' for token '${name}' in the label template${suggestion(rawFormat, formatsOf(name))}; ` +
      `valid formats: ${formatsOf(name).join(', ')}`,
    template,
    start + 1 + shownName.length + 1,
    rawFormat.length,
  )
}

/** Throws a LabelTemplateError (exit 2) when the template is not valid; returns the parsed form otherwise. */
export function validateLabelTemplate(template: string): LabelTemplate {
  return parseLabelTemplate(template)
}

/** True when the template contains at least one token (a plain description needs no data to render). */
export function hasLabelTokens(template: string): boolean {
  return parseLabelTemplate(template).uses.size > 0
}
