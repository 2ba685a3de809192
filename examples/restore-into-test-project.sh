#!/usr/bin/env bash
# Restores the newest available backup of a cluster into a fresh, throw-away test project, runs a
# check against the restored cluster, and deletes everything it created: the cluster, the network
# and the project, also when a step fails (through an EXIT trap).
#
# Usage:
#   restore-into-test-project.sh <source-cluster-id> [check command and its arguments...]
#
#   The check runs after the restored cluster is available, with these variables in its
#   environment: ESC_RESTORED_CLUSTER_ID, ESC_TEST_PROJECT_ID, ESC_TEST_NETWORK_ID, ESC_ORG_ID,
#   ESC_SOURCE_BACKUP_ID. Without check arguments, RESTORE_CHECK (a shell command line, run with
#   `bash -c`) is the check; without either, the restore alone is the test.
#
# Environment (all optional):
#   ESC                 the esc command (default: esc), split on spaces, e.g. "node /opt/esc/bin/run.js"
#   NODE                the node binary used to read esc's JSON (default: node; esc needs it anyway)
#   SOURCE_CLUSTER_ID   the source cluster, when not given as the first argument
#   SOURCE_PROJECT_ID   the source cluster's project (default: the profile's project, see esc's --project-id)
#   ORG_ID              the organization (default: the profile's organization)
#   TEST_PROJECT_NAME   the name of the test project (default: restore-test-<cluster>-<UTC time>)
#   TEST_NETWORK_CIDR   the test network's CIDR block (default: the source cluster's network's)
#   TEST_TOPOLOGY       single-node or three-node-multi-zone (default: the source cluster's)
#   TEST_INSTANCE_TYPE  the restored cluster's instance type (default: the source cluster's)
#   WAIT_TIMEOUT        how long each wait may take (default: 60m)
#   KEEP_ON_FAILURE=1   keep what was created when a step fails, for a look (never when all passed)
#
# Output: stdout carries exactly one line, the restored cluster's id, as soon as it is available.
# Progress, esc's errors and the check's own output go to stderr.
#
# Exit codes (the first failing step decides; a failed teardown after it is reported on stderr):
#   0   everything passed and everything created was deleted
#   2   usage: no source cluster id, or esc/node cannot be run
#   10  the source cluster (or its network) could not be read
#   11  the source cluster has no available backup
#   12  the test project could not be created
#   13  the test network could not be created or did not become available
#   14  the restore failed or the restored cluster did not become available
#   15  the check failed
#   16  the teardown failed (all earlier steps passed); what is left is named on stderr
#   130, 143  interrupted by SIGINT or SIGTERM; the teardown ran after the esc command in progress
set -euo pipefail

readonly EXIT_USAGE=2 EXIT_SOURCE=10 EXIT_NO_BACKUP=11 EXIT_PROJECT=12 EXIT_NETWORK=13 EXIT_RESTORE=14 EXIT_CHECK=15 EXIT_TEARDOWN=16

read -r -a esc_cmd <<<"${ESC:-esc}"
node_bin=${NODE:-node}
wait_timeout=${WAIT_TIMEOUT:-60m}

log() { printf 'restore-test: %s\n' "$*" >&2; }
fail() {
  local code=$1
  shift
  log "FAILED: $*"
  exit "$code"
}
esc() { "${esc_cmd[@]}" "$@"; }

# Reads one field of the JSON on stdin (a dotted path, e.g. "cluster.id"); prints "" when absent.
json_field() {
  "$node_bin" -e '
    let value = JSON.parse(require("fs").readFileSync(0, "utf8"))
    for (const key of process.argv[1].split(".").filter(Boolean)) value = value == null ? undefined : value[key]
    process.stdout.write(value == null ? "" : String(value))
  ' "$1"
}

source_cluster=${1:-${SOURCE_CLUSTER_ID:-}}
[[ $# -gt 0 ]] && shift
[[ -n $source_cluster ]] || fail "$EXIT_USAGE" "no source cluster: pass its id as the first argument or set SOURCE_CLUSTER_ID"
command -v "${esc_cmd[0]}" >/dev/null || fail "$EXIT_USAGE" "esc not found (${esc_cmd[0]}): install it or set ESC"
command -v "$node_bin" >/dev/null || fail "$EXIT_USAGE" "node not found ($node_bin): install it or set NODE"
check=("$@")

source_scope=()
[[ -n ${ORG_ID:-} ]] && source_scope+=(--org-id "$ORG_ID")
[[ -n ${SOURCE_PROJECT_ID:-} ]] && source_scope+=(--project-id "$SOURCE_PROJECT_ID")

# --- 1. The source cluster: its organization, project, provider, region, network and settings.
cluster_json=$(esc mesdb clusters get "${source_scope[@]}" --id "$source_cluster" --json) ||
  fail "$EXIT_SOURCE" "cannot read cluster $source_cluster"
field() { json_field "$1" <<<"$cluster_json"; }
[[ $(field id 2>/dev/null) == "$source_cluster" ]] || fail "$EXIT_SOURCE" "esc answered no JSON cluster for $source_cluster"
org_id=$(field organizationId)
source_project=$(field projectId)
provider=$(field provider)
region=$(field region)
topology=${TEST_TOPOLOGY:-$(field topology)}
instance_type=${TEST_INSTANCE_TYPE:-$(field instanceType)}
disk_size=$(field diskSizeGb)
disk_type=$(field diskType)
server_version=$(field serverVersion)
projection_level=$(field projectionLevel)
cidr=${TEST_NETWORK_CIDR:-}
if [[ -z $cidr ]]; then
  source_network=$(field networkId)
  network_json=$(esc infra networks get --org-id "$org_id" --project-id "$source_project" --id "$source_network" --json) ||
    fail "$EXIT_SOURCE" "cannot read the network of cluster $source_cluster (set TEST_NETWORK_CIDR to skip this)"
  cidr=$(json_field cidrBlock <<<"$network_json")
fi

# --- 2. The newest available backup of that cluster (by creation time), before anything is created.
backups_json=$(esc mesdb backups list --org-id "$org_id" --project-id "$source_project" --json) ||
  fail "$EXIT_SOURCE" "cannot list the backups of project $source_project"
read -r backup_id backup_size < <("$node_bin" -e '
  const backups = JSON.parse(require("fs").readFileSync(0, "utf8"))
  const newest = backups
    .filter((b) => b.sourceClusterId === process.argv[1] && b.status === "available")
    .sort((a, b) => Date.parse(b.created) - Date.parse(a.created))[0]
  if (newest) console.log(newest.id, Number.isInteger(newest.sizeGb) ? newest.sizeGb : 0)
' "$source_cluster" <<<"$backups_json") || true
[[ -n ${backup_id:-} ]] || fail "$EXIT_NO_BACKUP" "cluster $source_cluster has no available backup in project $source_project"
# The restored disk must hold the backup: never smaller than the source cluster's nor the backup.
((backup_size > disk_size)) && disk_size=$backup_size
log "restoring backup $backup_id of cluster $source_cluster ($provider/$region, project $source_project)"

# --- Teardown: the test project is this run's own, so everything in it goes, in dependency
# order (clusters, then networks, then the project), whatever happened before. Listing instead of
# remembering ids also removes what a create left behind when its wait failed.
project_id='' cluster_id=''
teardown_failed=()

# The ids of the project's resources (`clusters` or `networks`) that are not deleted yet.
live_ids() {
  local listing
  if [[ $1 == clusters ]]; then
    listing=$(esc mesdb clusters list --org-id "$org_id" --project-id "$project_id" --json) || return 1
  else
    listing=$(esc infra networks list --org-id "$org_id" --project-id "$project_id" --json) || return 1
  fi
  "$node_bin" -e '
    const items = JSON.parse(require("fs").readFileSync(0, "utf8"))
    for (const item of items) if (item.status !== "deleted") console.log(item.id)
  ' <<<"$listing"
}

# Deletes the project's clusters and polls until they are gone: a network in use cannot be deleted.
delete_clusters() {
  local ids id deadline=$((SECONDS + ${TEARDOWN_TIMEOUT_SECONDS:-3600}))
  ids=$(live_ids clusters) || return 1
  [[ -n $ids ]] || return 0
  for id in $ids; do
    log "deleting cluster $id"
    esc mesdb clusters delete --org-id "$org_id" --project-id "$project_id" --id "$id" >/dev/null || return 1
  done
  for (( ; ; )); do
    ids=$(live_ids clusters) || return 1
    [[ -z $ids ]] && return 0
    ((SECONDS < deadline)) || return 1
    sleep "${TEARDOWN_POLL_SECONDS:-10}"
  done
}

delete_networks() {
  local ids id
  ids=$(live_ids networks) || return 1
  for id in $ids; do
    log "deleting network $id"
    esc infra networks delete --org-id "$org_id" --project-id "$project_id" --id "$id" \
      --wait --timeout "$wait_timeout" >/dev/null || return 1
  done
}

teardown() {
  local code=$?
  trap - EXIT
  [[ -n $project_id ]] || exit "$code"
  if ((code != 0)) && [[ ${KEEP_ON_FAILURE:-} == 1 ]]; then
    log "KEEP_ON_FAILURE=1: kept project $project_id and what is in it"
    exit "$code"
  fi
  if ! delete_clusters; then
    teardown_failed+=("the clusters")
  elif ! delete_networks; then
    teardown_failed+=("the networks")
  else
    log "deleting project $project_id"
    esc resources projects delete --org-id "$org_id" --id "$project_id" >/dev/null || teardown_failed+=("the project")
  fi
  if ((${#teardown_failed[@]} > 0)); then
    log "teardown stopped at ${teardown_failed[*]} of project $project_id (organization $org_id): delete them by hand"
    ((code == 0)) && code=$EXIT_TEARDOWN
  else
    log "deleted project $project_id and everything in it"
  fi
  exit "$code"
}
trap teardown EXIT
# A cancelled CI job gets SIGTERM (Ctrl-C sends SIGINT): end with the usual code, through the teardown.
trap 'exit 130' INT
trap 'exit 143' TERM

# --- 3. The test project.
project_name=${TEST_PROJECT_NAME:-restore-test-$source_cluster-$(date -u +%Y%m%dT%H%M%SZ)}
project_id=$(esc resources projects create --org-id "$org_id" --name "$project_name" -q) ||
  fail "$EXIT_PROJECT" "cannot create project $project_name"
log "created project $project_id ($project_name)"

# --- 4. A network like the source cluster's, available before the restore asks for it.
network_args=(--provider "$provider" --region "$region" --description "restore test of $source_cluster")
[[ -n $cidr ]] && network_args+=(--cidr-block "$cidr")
network_id=$(esc infra networks create --org-id "$org_id" --project-id "$project_id" "${network_args[@]}" \
  --wait --timeout "$wait_timeout" -q) || fail "$EXIT_NETWORK" "cannot create a $provider/$region network in project $project_id"
log "network $network_id is available"

# --- 5. The restore: a new cluster from the backup of the source project.
cluster_id=$(esc mesdb clusters create --org-id "$org_id" --project-id "$project_id" \
  --source-backup-id "$backup_id" --source-project-id "$source_project" \
  --network-id "$network_id" --description "restore test of $source_cluster from $backup_id" \
  --topology "$topology" --instance-type "$instance_type" --disk-size-in-gb "$disk_size" --disk-type "$disk_type" \
  --server-version "$server_version" --projection-level "$projection_level" \
  --provider "$provider" --region "$region" \
  --wait --timeout "$wait_timeout" -q) || fail "$EXIT_RESTORE" "the restore of backup $backup_id did not become available"
printf '%s\n' "$cluster_id"
log "restored cluster $cluster_id is available"

# --- 6. The caller's check, against the restored cluster.
export ESC_RESTORED_CLUSTER_ID=$cluster_id ESC_TEST_PROJECT_ID=$project_id ESC_TEST_NETWORK_ID=$network_id
export ESC_ORG_ID=$org_id ESC_SOURCE_BACKUP_ID=$backup_id
if ((${#check[@]} > 0)); then
  log "check: ${check[*]}"
  "${check[@]}" >&2 || fail "$EXIT_CHECK" "the check exited with $?"
elif [[ -n ${RESTORE_CHECK:-} ]]; then
  log "check: $RESTORE_CHECK"
  bash -c "$RESTORE_CHECK" >&2 || fail "$EXIT_CHECK" "the check exited with $?"
else
  log "no check given: the restore itself was the test"
fi
log "passed; tearing down"
