#!/usr/bin/env bash
# Installs what the integration specs and the benchmark use: Debian packages (GNU tar, gzip, bzip2,
# zstd, gpg, MariaDB server + client, Node.js, attr and acl, a Ceph monitor, OSD and RADOS Gateway (the second, real
# S3 server the specs start on loopback), Prometheus' node_exporter, systemd (for systemd-analyze), and libdeflate: the fast gzip engine, optional for users,
# which the specs require so that they test what the benchmark measures) and the npm packages of
# package.json (s3rver; maildev, the SMTP server with an HTTP API that the e-mail notification specs
# read what arrived from).
# Idempotent: apt-get runs only when something is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
have() { command -v "$1" >/dev/null 2>&1; }
have tar || need+=(tar)
have gzip || need+=(gzip)
have bzip2 || need+=(bzip2)
/sbin/ldconfig -p | grep -q 'libdeflate\.so\.0 ' || need+=(libdeflate0)
have zstd || need+=(zstd)
have gpg || need+=(gnupg)
have gpgconf || need+=(gpgconf)
have mariadbd || [ -x /usr/sbin/mariadbd ] || need+=(mariadb-server)
have mysqldump || need+=(mariadb-client)
have mariadb-install-db || need+=(mariadb-server)
have node || need+=(nodejs)
have npm || need+=(npm)
# The restore specs set and read extended attributes and POSIX ACLs with the plain tools.
have setfattr || need+=(attr)
have setfacl || need+=(acl)
# Ceph for the RADOS Gateway specs; monmaptool comes with ceph-base, which ceph-mon depends on, and
# ceph-common brings ceph, ceph-authtool and radosgw-admin. No ceph-mgr: the gateway works without
# it and it would add ~300 MB of RAM.
{ have ceph-mon && have monmaptool; } || need+=(ceph-mon)
have ceph-osd || need+=(ceph-osd)
have radosgw || need+=(radosgw)
{ have ceph && have ceph-authtool && have radosgw-admin; } || need+=(ceph-common)
# The metrics specs let a real node_exporter's textfile collector read what `metrics_file` wrote; the
# deployment specs run `systemd-analyze verify` on examples/systemd/ (only the tool is used: nothing
# is started under systemd).
have prometheus-node-exporter || need+=(prometheus-node-exporter)
have systemd-analyze || need+=(systemd)
# script(1), which gives the JSON log spec a terminal (util-linux; essential on Debian, but not in every image).
have script || need+=(bsdutils)

if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# The Debian package starts a system MariaDB; the specs run their own on a free port instead.
if [ -f package-lock.json ]; then
  if [ ! -d node_modules/s3rver ] || [ ! -d node_modules/maildev ]; then
    echo "installing npm packages (s3rver, maildev)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi
