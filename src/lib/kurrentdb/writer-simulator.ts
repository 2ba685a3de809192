export interface WriterSimulatorOptions {
  db: string
  index?: string
  /** Events per appendOnce (default 4). */
  eventsPerAppend?: number
  /** Bytes of JSON payload per event (default 200). */
  eventBytes?: number
  /** Pause between appends when started (default 0: next tick). */
  intervalMs?: number
  /** Add a PTable (and rewrite the indexmap) every this many appends; 0 = never (default). */
  ptableEvery?: number
  /** fsync data and checkpoints like the server (default true). */
  fsync?: boolean
}

export class WriterSimulator {
  constructor(readonly options: WriterSimulatorOptions) {}
  async start(): Promise<void> {
    throw new Error('WriterSimulator: not implemented yet')
  }
  async stop(): Promise<void> {}
  async appendOnce(): Promise<void> {
    throw new Error('WriterSimulator: not implemented yet')
  }
}
