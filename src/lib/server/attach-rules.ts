import {stat} from 'node:fs/promises'
import {isAbsolute, join, normalize} from 'node:path'

import {overlaps, realPathOf} from '../engine/contained-path.js'
import {readRegularFile} from '../engine/regular-file.js'
import {ApiProblem} from './api/problems.js'
import type {ClusterRow} from './store/clusters.js'

/**
 * What `esc local clusters attach` accepts, in one place. A path must be absolute (the CLI resolves
 * a relative one against the user's working directory, never the server's), without NUL, not `/`
 * or a system directory, outside the state directory and not containing it (after resolving
 * symbolic links), and hold a KurrentDB data directory: writer.chk and chaser.chk as regular files.
 * Missing, unreadable and not-a-data-directory all get one message, so the API cannot be used to
 * learn whether some file exists.
 */

/** Refused with everything under them. */
const SYSTEM_TREES = ['/proc', '/sys', '/dev', '/etc', '/boot', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/usr', '/run']
/** Refused themselves (their subdirectories, such as /var/lib/kurrentdb, are where data lives). */
const SYSTEM_DIRS = ['/', '/var', '/home', '/root', '/tmp', '/opt', '/srv', '/mnt', '/media', '/var/lib', '/var/run']

const REQUIRED_CHECKPOINTS = ['writer.chk', 'chaser.chk']

export interface AttachInput {
  db: string
  index?: string
  nodeCaFile?: string
}

export interface AttachPaths {
  /** The data directory as given (normalised), stored for the cluster. */
  db: string
  index?: string
  nodeCaFile?: string
}

const bad = (field: string, message: string) => new ApiProblem(400, `invalid body: ${field}`, {[field]: message})

function isSystemPath(path: string): boolean {
  return SYSTEM_DIRS.includes(path) || SYSTEM_TREES.some((tree) => path === tree || path.startsWith(`${tree}/`))
}

/** The syntactic rules and the state-directory rule; returns the normalised path and its real path. */
async function checkPath(field: string, given: string, stateDir: string): Promise<{path: string; real: string}> {
  if (given.includes('\0')) throw bad(field, 'must not contain a NUL character')
  if (!isAbsolute(given)) throw bad(field, `${given} is not an absolute path`)
  const path = normalize(given).replace(/(.)\/+$/, '$1')
  if (isSystemPath(path)) throw bad(field, `${path} is a system directory`)
  const real = await realPathOf(path).catch(() => path)
  if (isSystemPath(real)) throw bad(field, `${path} is a system directory`)
  const state = await realPathOf(stateDir)
  if (overlaps(real, state)) throw bad(field, `${path} is, contains or lies inside the local cloud's state directory`)
  return {path, real}
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  )
}

async function isRegularFile(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  )
}

/** Checks an attach request's paths; throws 400 (a bad path) or 409 (already attached) problem details. */
export async function checkAttach(input: AttachInput, stateDir: string, attached: readonly ClusterRow[]): Promise<AttachPaths> {
  const db = await checkPath('db', input.db, stateDir)
  const notData = bad('db', `${db.path} is not a KurrentDB data directory`)
  if (!(await isDirectory(db.real))) throw notData
  for (const name of REQUIRED_CHECKPOINTS) {
    if (!(await isRegularFile(join(db.real, name)))) throw notData
  }
  for (const cluster of attached) {
    const other = await realPathOf(cluster.db_dir).catch(() => cluster.db_dir)
    if (overlaps(db.real, other)) throw new ApiProblem(409, `${db.path} is already attached (cluster ${cluster.id}, ${cluster.db_dir})`)
  }
  const paths: AttachPaths = {db: db.path}
  if (input.index !== undefined) {
    const index = await checkPath('index', input.index, stateDir)
    if (!(await isDirectory(index.real))) throw bad('index', `${index.path} is not a KurrentDB index directory`)
    paths.index = index.path
  }
  if (input.nodeCaFile !== undefined) {
    const caFile = input.nodeCaFile
    const notPem = bad('nodeCaFile', `${caFile} is not a readable PEM certificate file`)
    if (caFile.includes('\0') || !isAbsolute(caFile)) throw notPem
    const text = await readRegularFile(caFile, 1024 * 1024).then(
      (b) => b.toString('utf8'),
      () => '',
    )
    if (!text.includes('-----BEGIN CERTIFICATE-----')) throw notPem
    paths.nodeCaFile = normalize(caFile)
  }
  return paths
}
