import {useEffect, useRef} from 'preact/hooks'

import type {Backup} from '../api.js'
import {html} from '../html.js'

/** A status as a badge; a defunct one carries its reason on hover and in an expandable detail. */
export function StatusBadge({status, details}: {status: string; details?: string}) {
  const badge = html`<span class="badge badge-${status}" title=${details ?? undefined}>${status}</span>`
  if (status !== 'defunct' || !details) return badge
  return html`<span class="badge-wrap"
    >${badge}
    <details class="reason">
      <summary>Why</summary>
      <span>${details}</span>
    </details></span
  >`
}

/** A panel that opens below the list with its heading focused, so keyboard users land in it. */
export function Panel({title, onClose, children}: {title: string; onClose: () => void; children: unknown}) {
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])
  return html`
    <section class="panel" aria-label=${title} onKeyDown=${(e: KeyboardEvent) => e.key === 'Escape' && onClose()}>
      <h2 tabindex="-1" ref=${heading}>${title}</h2>
      ${children}
      <button type="button" class="secondary" onClick=${onClose}>Close</button>
    </section>
  `
}

export const newestFirst = (a: {created: string}, b: {created: string}) => b.created.localeCompare(a.created)

export function lastAvailable(backups: Backup[], clusterId: string): Backup | undefined {
  return backups.filter((b) => b.sourceClusterId === clusterId && b.status === 'available').sort(newestFirst)[0]
}

export function FieldError({id, message}: {id: string; message?: string}) {
  return message ? html`<p class="field-error" id=${id} role="alert">${message}</p>` : null
}

/**
 * A modal confirmation in the page (not window.confirm): a native <dialog> opened with showModal,
 * so focus stays inside it, Escape cancels, and the safe choice (Cancel) has the focus first.
 */
export function ConfirmDialog(props: {title: string; message: string; confirm: string; onConfirm: () => void; onCancel: () => void}) {
  const dialog = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    dialog.current?.showModal()
  }, [])
  return html`<dialog
    ref=${dialog}
    class="confirm"
    aria-labelledby="confirm-title"
    aria-describedby="confirm-message"
    onCancel=${(e: Event) => {
      e.preventDefault()
      props.onCancel()
    }}
  >
    <h2 id="confirm-title">${props.title}</h2>
    <p id="confirm-message">${props.message}</p>
    <div class="buttons">
      <button type="button" class="secondary" autofocus onClick=${props.onCancel}>Cancel</button>
      <button type="button" class="danger" onClick=${props.onConfirm}>${props.confirm}</button>
    </div>
  </dialog>`
}
