import {UsageError} from '../../core/errors.js'

/**
 * A resource id for a path or query: an empty one (an unset shell variable in `-i "$ID"`) would
 * address the collection instead (`DELETE …/backups/`), so it is refused before anything is sent.
 */
export function idSeg(id: string, what: string): string {
  if (id.trim() === '') throw new UsageError(`The ${what} id is empty: pass a non-empty id (is the variable that should hold it set?)`)
  return encodeURIComponent(id)
}

/** Updates and deletes: the body (if any) is ignored, as esc does. */
export function ignoreBody(): void {}
