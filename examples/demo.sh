#!/usr/bin/env bash
# Validate, plan and apply the example calendar against the bundled emulator.
#
# Works on a copy in a temporary directory, so the repository stays clean, and needs no
# account and no network: the emulator listens on a free port on 127.0.0.1. Run it with
# loomta-sync installed (see the README), from any directory.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/loomta-demo.XXXXXX")
project="$work/calendar"
cp -R "$here/calendar" "$project"

loomta-sync emulator --port 0 >"$work/emulator.out" 2>"$work/emulator.err" &
emulator_pid=$!
trap 'kill "$emulator_pid" 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
  grep -q "listening on" "$work/emulator.out" 2>/dev/null && break
  sleep 0.1
done
url=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$work/emulator.out")
if [ -z "$url" ]; then
  echo "The emulator did not start:" >&2
  cat "$work/emulator.err" >&2
  exit 1
fi

# The emulator accepts any well-formed key; this one is a placeholder, not a secret.
export LOOMTA_API_URL="$url"
export LOOMTA_API_KEY="loomta_sk_demo_placeholder"

step() { printf '\n\033[1m$ loomta-sync %s\033[0m\n' "$*"; }

step validate
loomta-sync -C "$project" validate
step plan
loomta-sync -C "$project" plan
step apply --yes
loomta-sync -C "$project" apply --yes
step state show
loomta-sync -C "$project" state show
step "plan (again: nothing left to do)"
loomta-sync -C "$project" plan

printf '\nThe state file with the returned ids is %s\n' "$project/.loomta/state.json"
