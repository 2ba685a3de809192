import htm from 'htm'
import {h} from 'preact'

/** JSX-like templates without a compile step; values are always rendered as text, never as HTML. */
export const html = htm.bind(h)
