/**
 * Backup label templates: `{index}`, `{cluster}`, `{datetime}` tokens with optional formats.
 * Used by `backups create` and `orchestrate jobs create` (validation and the dry-run preview: the
 * service renders the labels) and by the local cloud's server, which renders them.
 */
export {hasLabelTokens, LabelTemplateError, parseLabelTemplate, validateLabelTemplate} from './parse.js'
export type {LabelPart, LabelTemplate, LabelText, LabelToken} from './parse.js'
export {formatLabelDate, renderLabel} from './render.js'
export type {LabelCluster, LabelContext} from './render.js'
export {defaultFormat, formatsOf, LABEL_TOKEN_NAMES, LABEL_TOKENS} from './tokens.js'
export type {DatetimeFormat, LabelFormat, LabelTokenName} from './tokens.js'
