/**
 * At most `n` steps at once; the others wait their turn in the order they asked. For bounding one
 * stage of a pipeline (the kernel copies) while more items are in flight in its later stages.
 */
export class Slots {
  private free: number
  private readonly waiting: (() => void)[] = []

  constructor(n: number) {
    this.free = Math.max(1, n)
  }

  async use<T>(step: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--
    else await new Promise<void>((resolve) => this.waiting.push(resolve))
    try {
      return await step()
    } finally {
      // The slot passes straight to the next in line, so a newcomer cannot overtake it.
      const next = this.waiting.shift()
      if (next) next()
      else this.free++
    }
  }
}
