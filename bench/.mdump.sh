#!/usr/bin/env bash
# MySQL benchmark: dumps two databases of a throwaway MariaDB (a few hundred MB each) the way the
# original script did — per database, one after the other: mysqldump to a file, gzip it, gpg it
# (gpg's default settings, as the seed), `aws s3 cp` it — and with `backup run` (mysqldump source,
# gzip, gpg, S3, `parallel` default), side by side in the same run against the same local S3 server
# and gpg key. Prints time, peak RSS and the ratio; best of ROUNDS, the two alternating.
#
# usage: bench/mysql.sh [ROWS] [ROUNDS]     ROWS per database (default 1200000, ~300 MB dump each),
#                                           ROUNDS defaults to 2
# Needs: what scripts/install-test-deps.sh installs, plus the AWS CLI and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
rows=${1:-1200000}
rounds=${2:-2}
databases=(bench_a bench_b)

# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_setup backup-bench-mysql

# A throwaway MariaDB on a free port, as tests/Backup.IntegrationTests/Support/MariaDbServer.cs does.
dbport=$(free_port)
mkdir -p "$work/db"
mariadb-install-db --no-defaults --datadir="$work/db/data" --auth-root-authentication-method=normal \
  --user=root --skip-test-db >"$work/db/install.log" 2>&1 || { cat "$work/db/install.log" >&2; exit 1; }
mariadbd --no-defaults --datadir="$work/db/data" --socket="$work/db/sock" --port="$dbport" --bind-address=127.0.0.1 \
  --user=root --skip-networking=0 --skip-name-resolve --pid-file="$work/db/pid" --log-error="$work/db/error.log" \
  --tmpdir="$work/db" --innodb-buffer-pool-size=512M --innodb-log-file-size=256M \
  --innodb-flush-log-at-trx-commit=2 --event-scheduler=OFF --skip-log-bin 2>"$work/db/stderr.log" &
dbpid=$!
for _ in $(seq 300); do mysqladmin --no-defaults --socket="$work/db/sock" -uroot ping >/dev/null 2>&1 && break; sleep 0.2; done
rootsql() { mysql --no-defaults --socket="$work/db/sock" -uroot --batch --skip-column-names "$@"; }
dbpass=bench-$RANDOM$RANDOM
printf '%s\n' "$dbpass" > "$work/dbpass" && chmod 600 "$work/dbpass"
rootsql -e "CREATE USER 'bench'@'%' IDENTIFIED BY '$dbpass'; GRANT ALL PRIVILEGES ON *.* TO 'bench'@'%';"

# Mixed rows, made server-side in one statement from the Sequence engine: ints, a decimal, short and
# long varchar text (partly repetitive, partly hashes, as real tables are), dates, and a random
# 256-byte blob in every tenth row (incompressible, written as hex by --hex-blob).
start=$(date +%s)
for db in "${databases[@]}"; do
  rootsql <<SQL
CREATE DATABASE $db;
USE $db;
CREATE TABLE $db.orders (
  id INT PRIMARY KEY, customer_id INT NOT NULL, amount DECIMAL(10,2) NOT NULL, status VARCHAR(16) NOT NULL,
  email VARCHAR(64) NOT NULL, note VARCHAR(255) NOT NULL, created DATETIME NOT NULL, payload BLOB NULL
) ENGINE=InnoDB;
INSERT INTO $db.orders
SELECT seq, seq * 7919 % 100003, (seq * 37 % 100000) / 100,
       ELT(1 + seq % 5, 'delivered', 'returned', 'pending', 'shipped', 'cancelled'),
       CONCAT('customer', seq * 7919 % 100003, '@example.com'),
       CONCAT('order ', seq, ' ', ELT(1 + seq % 4, 'left at the door, customer satisfied',
              'damaged on arrival, refund requested', 'awaiting payment confirmation from the bank',
              'express shipping, signature required'), ' ref ', SHA1(seq), ' batch ', MD5(seq DIV 100)),
       '2020-01-01' + INTERVAL (seq * 13) MINUTE,
       IF(seq % 10 = 0, RANDOM_BYTES(256), NULL)
FROM seq_1_to_$rows;
SQL
done
echo "generated ${#databases[@]} databases x $rows rows in $(( $(date +%s) - start )) s"

cat > "$work/mysql.yaml" <<YAML
sources:
  mysqldump:
    bench:
      host: 127.0.0.1
      port: $dbport
      user: bench
      password_file: $work/dbpass
      databases: [${databases[0]}, ${databases[1]}]
      compress: gzip
      encryption: key
      destination: s3
$(store_and_key_yaml)
YAML

# The seed's way: one database after the other, a temp file per stage, then upload and clean up. The
# dump flags are the ones `backup` uses (docs/mysqldump.md), so both dump the same bytes.
cat > "$work/seed-way.sh" <<'SH'
set -euo pipefail
dbport=$1 rcpt=$2; shift 2
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
for db in "$@"; do
  MYSQL_PWD=$(cat "$DBPASS_FILE") mysqldump --no-defaults -h 127.0.0.1 -P "$dbport" -u bench \
    --single-transaction --routines --triggers --events --hex-blob --default-character-set=utf8mb4 \
    "$db" > "$t/$db.sql"
  gzip "$t/$db.sql"
  gpg --batch --yes --trust-model always -r "$rcpt" -e "$t/$db.sql.gz"
  aws --only-show-errors --endpoint-url "$AWS_ENDPOINT_URL" s3 cp "$t/$db.sql.gz.gpg" "s3://bench/seed/$db.sql.gz.gpg"
  du -b "$t/$db.sql.gz" "$t/$db.sql.gz.gpg" >> "$SIZES_FILE"
  rm -f "$t/$db.sql.gz" "$t/$db.sql.gz.gpg"
done
SH
export DBPASS_FILE=$work/dbpass SIZES_FILE=$work/sizes

# Floors, to see what part of each time is the dump itself (server + mysqldump CPU): both databases
# dumped to a pipe that discards them, one after the other and both at once.
cat > "$work/dump-only.sh" <<'SH'
set -euo pipefail
mode=$1 dbport=$2; shift 2
dump() {
  MYSQL_PWD=$(cat "$DBPASS_FILE") mysqldump --no-defaults -h 127.0.0.1 -P "$dbport" -u bench \
    --single-transaction --routines --triggers --events --hex-blob --default-character-set=utf8mb4 "$1" | cat >/dev/null
}
if [ "$mode" = serial ]; then for db in "$@"; do dump "$db"; done
else for db in "$@"; do dump "$db" & done; wait; fi
SH

MYSQL_PWD=$dbpass mysqldump --no-defaults -h 127.0.0.1 -P "$dbport" -u bench --single-transaction --hex-blob --default-character-set=utf8mb4 bench_a > /tmp/dump.sql
