#!/usr/bin/env bash
# From the team's ../shared/services (kept here: CI runs from a clone without ../shared).
# A throwaway single-node Ceph on loopback: 1 monitor, 1 OSD keeping its data in RAM (memstore),
# 1 RADOS Gateway (the S3 API). Starts in about 12 s on two cores.
#   CEPH_DIR=$(mktemp -d) RGW_PORT=7480 MON_PORT=3300 start-ceph-rgw.sh
# S3 endpoint http://127.0.0.1:$RGW_PORT, path-style addressing, region us-east-1,
# access key "testkey", secret "testsecret". Stop it with stop-ceph-rgw.sh (same CEPH_DIR).
# Needs Debian's packages (as root):
#   apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common curl
set -euo pipefail
D=${CEPH_DIR:-$(mktemp -d)}; RGW_PORT=${RGW_PORT:-7480}; MON_PORT=${MON_PORT:-3300}
rm -rf "$D"; mkdir -p "$D"/{mon,osd,run,log}
FSID=$(cat /proc/sys/kernel/random/uuid)
cat > "$D/ceph.conf" <<CONF
[global]
fsid = $FSID
mon host = v2:127.0.0.1:$MON_PORT
public network = 127.0.0.0/8
keyring = $D/keyring
run dir = $D/run
admin socket = $D/run/\$name.asok
log file = $D/log/\$name.log
pid file = $D/run/\$name.pid
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon allow pool size one = true
mon warn on pool no redundancy = false
mon data avail warn = 1
mon max pg per osd = 1000
osd crush chooseleaf type = 0
client mount timeout = 30
[mon]
mon data = $D/mon
[osd]
osd data = $D/osd
osd objectstore = memstore
memstore device bytes = 2147483648
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT tcp_nodelay=1
CONF
C="-c $D/ceph.conf"
# cephx, not "auth = none": without it radosgw hangs for minutes at start.
ceph-authtool --create-keyring "$D/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
ceph-authtool "$D/keyring" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' >/dev/null
monmaptool --create --addv a "[v2:127.0.0.1:$MON_PORT]" --fsid "$FSID" "$D/monmap" >/dev/null
ceph-mon $C --mkfs -i a --monmap "$D/monmap" --keyring "$D/keyring"
ceph-mon $C -i a
OSD_UUID=$(cat /proc/sys/kernel/random/uuid)
ID=$(ceph $C osd new "$OSD_UUID")
# The OSD's key must exist before its --mkfs.
ceph $C auth get-or-create "osd.$ID" mon 'allow profile osd' mgr 'allow profile osd' osd 'allow *' > "$D/osd/keyring"
ceph-osd $C -i "$ID" --mkfs --osd-uuid "$OSD_UUID" --keyring "$D/osd/keyring" 2>/dev/null
ceph-osd $C -i "$ID" --keyring "$D/osd/keyring"
ceph $C auth get-or-create client.rgw.a mon 'allow rw' osd 'allow rwx' > "$D/rgw.keyring"
radosgw $C -n client.rgw.a --keyring "$D/rgw.keyring"
for _ in $(seq 1 120); do curl -fs -o /dev/null "http://127.0.0.1:$RGW_PORT" && break; sleep 0.5; done
curl -fs -o /dev/null "http://127.0.0.1:$RGW_PORT" || { echo "RGW did not come up; logs in $D/log" >&2; exit 1; }
radosgw-admin $C user create --uid=test --display-name=test --access-key=testkey --secret=testsecret >/dev/null
echo "http://127.0.0.1:$RGW_PORT"
