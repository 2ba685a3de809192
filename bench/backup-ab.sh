#!/usr/bin/env bash
# Paired runs of two builds of esc on one data directory, with `cp -r` + `sync` in every round:
# for comparing a change against the build before it on a shared machine (same load for both).
#   bench/backup-ab.sh <work-dir-with-data> <cli-A/bin/run.js> <cli-B/bin/run.js> [rounds]
# <work-dir>/data: e.g. `esc node generate <work-dir>/data --chunks 9 --chunk-size 256MiB --with-index`.
# A build to compare against: `git archive <commit> | tar -x -C <dir>`, link node_modules, `npm run build`.
# Prints one line per run: name, wall seconds, peak RSS, user and system CPU seconds.
set -euo pipefail
work=$1 a=$2 b=$3 rounds=${4:-3}
cd "$work"
for _ in $(seq "$rounds"); do
  sync
  /usr/bin/time -f 'cp -r + sync %e s' bash -c 'cp -r data cp && sync'
  rm -rf cp
  for flags in '' '--no-verify'; do
    for side in A B; do
      cli=$a
      [ "$side" = B ] && cli=$b
      sync
      /usr/bin/time -f "$side backup ${flags:-verified} %e s %M KB u%U s%S" node "$cli" node backup bk --db data $flags >/dev/null
      rm -rf bk
    done
  done
done
cat /proc/loadavg
