/**
 * The tokens a backup label template may contain and the formats each accepts, as Kurrent Cloud
 * renders them (users find them in docs/jobs-and-restores.md, "Backup label templates"). The first
 * format of each token is its default.
 */
export const LABEL_TOKENS = {
  index: ['decimal', 'hex'],
  cluster: ['description', 'id', 'provider'],
  datetime: ['utc', 'rfc822', 'unix', 'json', 'rfc3339'],
} as const

export type LabelTokenName = keyof typeof LABEL_TOKENS
export type IndexFormat = (typeof LABEL_TOKENS.index)[number]
export type ClusterFormat = (typeof LABEL_TOKENS.cluster)[number]
export type DatetimeFormat = (typeof LABEL_TOKENS.datetime)[number]
export type LabelFormat = IndexFormat | ClusterFormat | DatetimeFormat

export const LABEL_TOKEN_NAMES = Object.keys(LABEL_TOKENS) as LabelTokenName[]

export function isLabelTokenName(name: string): name is LabelTokenName {
  return Object.hasOwn(LABEL_TOKENS, name)
}

export function formatsOf(token: LabelTokenName): readonly LabelFormat[] {
  return LABEL_TOKENS[token]
}

export function defaultFormat(token: LabelTokenName): LabelFormat {
  return LABEL_TOKENS[token][0]
}
