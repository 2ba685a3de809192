/**
 * A fixed number of uploads in flight, shared by every file of a run: each upload holds its
 * store's part buffers (part size × parts in flight), so the number of uploads at once is what
 * bounds a backup's memory, whichever phase (straight from the node or from the snapshot) they
 * come from. Waiters are served in the order they asked.
 */
export class UploadSlots {
  private free: number
  private readonly waiting: Array<() => void> = []

  constructor(size: number) {
    this.free = Math.max(1, size)
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--
    else await new Promise<void>((resolve) => this.waiting.push(resolve))
    try {
      return await work()
    } finally {
      // The slot passes straight to the next waiter, so that none is overtaken by a newcomer.
      const next = this.waiting.shift()
      if (next) next()
      else this.free++
    }
  }
}
