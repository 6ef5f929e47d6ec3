#!/usr/bin/env bash
# From the team's ../shared/services (kept here: CI runs from a clone without ../shared).
# Stops what start-ceph-rgw.sh started (by its pid files in CEPH_DIR), then removes CEPH_DIR.
D=${CEPH_DIR:?set CEPH_DIR to the directory start-ceph-rgw.sh used}
pids=""
for f in "$D"/run/client.rgw.a.pid "$D"/run/osd.*.pid "$D"/run/mon.a.pid; do
  [ -f "$f" ] && pids="$pids $(cat "$f")"
done
[ -n "$pids" ] && kill $pids 2>/dev/null
alive=""
for _ in $(seq 1 20); do
  alive=""; for p in $pids; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
  [ -z "$alive" ] && break; sleep 0.5
done
[ -n "$alive" ] && kill -9 $alive 2>/dev/null
rm -rf "$D"
exit 0
