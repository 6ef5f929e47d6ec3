#!/usr/bin/env bash
# HTTP serving, side by side in one run: reader-service (one uvicorn worker) versus nginx
# serving the same files, for a cached clip and a cached manifest; then the time to the first
# clip of an uncached article versus synthesising the whole article (benchmarks/first_clip.py).
#
#   sudo apt-get install nginx-light wrk      # by hand: measuring tools, not dependencies
#   bash benchmarks/serve.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
export XDG_CACHE_HOME="$work/cache" XDG_DATA_HOME="$work/data"

python -m reader_service serve --port 18080 >"$work/serve.log" 2>&1 &
for _ in $(seq 50); do curl -sf localhost:18080/healthz >/dev/null && break; sleep 0.2; done

manifest_url="localhost:18080/v1/listen?url=/demo/article"
# A sentence-sized clip: the sentence of median length on the demo page.
clip=$(curl -sf "$manifest_url" | python -c '
import json, sys
cues = sorted(json.load(sys.stdin)["cues"], key=lambda cue: len(cue["spoken"]))
print(cues[len(cues) // 2]["clip"])')
mkdir -p "$work/www"
curl -sf "localhost:18080$clip" -o "$work/www/clip.mp3"   # made now, then cached
curl -sf "$manifest_url" -o "$work/www/manifest.json"
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  types { audio/mpeg mp3; application/json json; }
  server { listen 18081; root $work/www; }
}
CONF
nginx -c "$work/nginx.conf"
sleep 0.5

# One wrk thread leaves a core to the server on small machines; each side is measured twice,
# alternating, and its better run kept, so a neighbour's burst does not decide the ratio.
rate() { wrk -t1 -c32 -d"${seconds}s" "$1" | awk '/Requests\/sec/ {print $2}'; }
best() { python -c 'import sys; print(max(map(float, sys.argv[1:])))' "$@"; }
a=$(rate "http://localhost:18080$clip"); b=$(rate "http://localhost:18081/clip.mp3")
c=$(rate "http://localhost:18080$clip"); d=$(rate "http://localhost:18081/clip.mp3")
ours_clip=$(best "$a" "$c"); nginx_clip=$(best "$b" "$d")
ours_manifest=$(rate "http://$manifest_url")
nginx_manifest=$(rate "http://localhost:18081/manifest.json")
nginx -c "$work/nginx.conf" -s stop
python - "$ours_clip" "$nginx_clip" "$ours_manifest" "$nginx_manifest" "$(stat -c %s "$work/www/clip.mp3")" <<'PY'
import sys
ours_clip, nginx_clip, ours_manifest, nginx_manifest, size = map(float, sys.argv[1:])
print(f"cached clip ({size / 1000:.1f} kB): reader-service {ours_clip:,.0f} req/s, "
      f"nginx {nginx_clip:,.0f} req/s, ratio {ours_clip / nginx_clip:.2f}")
print(f"manifest (extract + normalise each time): reader-service {ours_manifest:,.0f} req/s, "
      f"nginx (static file) {nginx_manifest:,.0f} req/s, ratio {ours_manifest / nginx_manifest:.3f}")
PY
python benchmarks/first_clip.py
