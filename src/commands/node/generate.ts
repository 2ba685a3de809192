import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../lib/cli/base-command.js'
import {sizeFlag} from '../../lib/cli/base-size-flag.js'
import type {GenerateResult} from '../../lib/engine/index.js'

export default class NodeGenerate extends BaseCommand {
  static override enableJsonFlag = true
  static override description =
    'Write a realistic KurrentDB data directory (completed chunks with valid MD5, an ongoing chunk, checkpoints, optionally an index) for tests, demos and benchmarks'

  static override examples = [
    '<%= config.bin %> node generate /tmp/db --chunks 4 --chunk-size 1MiB --with-index',
    '<%= config.bin %> node generate /tmp/db --chunk-size 64KiB --follow',
  ]

  static override args = {
    dir: Args.string({description: 'Directory to write (created; must not hold KurrentDB files yet)', required: true}),
  }

  static override flags = {
    chunks: Flags.integer({description: 'Chunk files: all but the last are completed, the last is ongoing', default: 3, min: 1}),
    'chunk-size': sizeFlag({
      description: "Logical chunk size (the node's ChunkSize), e.g. 1MiB, 64KiB",
      default: 256 * 1024 * 1024,
      defaultHelp: '256MiB',
    }),
    'events-per-chunk': Flags.integer({description: 'Events per completed chunk [default: chunk size / 1 KiB]', min: 1}),
    'with-index': Flags.boolean({description: 'Also write index/indexmap and one PTable per completed chunk'}),
    follow: Flags.boolean({description: 'Then keep appending like a live node (completing chunks, adding PTables) until interrupted'}),
    interval: Flags.integer({description: 'With --follow: milliseconds between appends', default: 100, min: 0}),
  }

  public async run(): Promise<GenerateResult | undefined> {
    const {args, flags} = await this.parse(NodeGenerate)
    const {refuseFile} = await import('../../lib/cli/node-input.js')
    await refuseFile(args.dir, 'give a directory to write the data directory into (created when missing)')
    const {generateDataDir, WriterSimulator} = await import('../../lib/engine/index.js')
    const {formatBytes} = await import('../../lib/engine/progress.js')
    const result = await generateDataDir(args.dir, {
      chunks: flags.chunks,
      chunkSize: flags['chunk-size'],
      eventsPerChunk: flags['events-per-chunk'],
      withIndex: flags['with-index'],
    })
    if (this.jsonEnabled()) {
      if (!flags.follow) return result
      // Following runs until Ctrl-C: the data directory's description is printed now, not at the end.
      this.logJson(result)
    } else {
      process.stdout.write(
        `Generated ${result.dir}: ${result.chunks} chunks of ${formatBytes(result.chunkSize)} (${formatBytes(result.bytes)} on disk), ${result.events} events, writer ${result.writer}` +
          `${flags['with-index'] ? `, ${result.ptables.length} PTables` : ''}\n`,
      )
    }
    if (!flags.follow) return result
    const sim = new WriterSimulator({db: result.dir, intervalMs: flags.interval, ptableEvery: flags['with-index'] ? 50 : 0})
    await sim.start()
    process.stderr.write('Appending like a live node; press Ctrl-C to stop\n')
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve())
      process.once('SIGTERM', () => resolve())
    })
    await sim.stop()
    const s = sim.stats
    process.stdout.write(
      `Stopped: ${s.events} events appended, ${s.chunksCompleted} chunks completed, ${s.ptablesAdded} PTables added, writer ${s.writer}\n`,
    )
    return undefined
  }
}
