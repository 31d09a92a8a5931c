#!/usr/bin/env bash
# The first borrow in a fresh process: runs LicenseClient.FirstBorrow N times (default 15) as the client and as
# the hand-written floor, alternately, against one signed-answer server, and prints each one's median in ms.
# Usage: benchmarks/first-borrow.sh [N]   (builds the program in Release first)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
runs="${1:-15}"

dotnet build LicenseClient.FirstBorrow -c Release -nodeReuse:false -v quiet -nologo >/dev/null
program=(dotnet LicenseClient.FirstBorrow/bin/Release/net10.0/LicenseClient.FirstBorrow.dll)

work="$(mktemp -d)"
fifo="$work/server-input"
mkfifo "$fifo"
"${program[@]}" serve "$work/server" <"$fifo" &
server=$!
exec 3>"$fifo"
cleanup() {
  exec 3>&-
  wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for _ in $(seq 1 100); do
  [ -s "$work/server" ] && break
  sleep 0.1
done
[ -s "$work/server" ] || { echo "The server did not start." >&2; exit 1; }

median() {
  sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

: >"$work/client"
: >"$work/floor"
for _ in $(seq 1 "$runs"); do
  "${program[@]}" client "$work/server" >>"$work/client"
  "${program[@]}" floor "$work/server" >>"$work/floor"
done

client=$(median <"$work/client")
floor=$(median <"$work/floor")
echo "first borrow, median of $runs fresh processes: client ${client} ms, floor ${floor} ms, ratio $(awk -v c="$client" -v f="$floor" 'BEGIN { printf "%.2f", c / f }')"
