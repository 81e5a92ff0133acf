#!/usr/bin/env bash
# PostgreSQL benchmark: dumps two databases of a throwaway PostgreSQL 15 cluster (a few hundred MB
# each) the way the original script did its MySQL ones — per database, one after the other: pg_dump
# to a file, gzip it, gpg it (gpg's default settings, as the seed), `aws s3 cp` it — and with `backup
# run` (one postgresql source holding both databases, gzip, gpg, S3, `parallel: 2`), once as custom
# archives (the default, pg_dump told -Z0) and once as plain SQL (the same bytes the seed's way
# dumps), side by side in the same run against the same local S3 server and gpg key. The pipelines
# alternate within each round; prints each round's times and ratios, then the medians and peak RSS.
#
# usage: bench/postgresql.sh [ROWS] [ROUNDS]   ROWS per database (default 1200000, ~300 MB dump each),
#                                              ROUNDS defaults to 2
# CPU s: user + system of the pipeline and its children (not the PostgreSQL backends, not s3rver).
# Knobs (environment, for profiling; the README's figures use the defaults):
#   PG_BENCH_PARALLEL (2)  the source's `parallel`     PG_BENCH_LEVEL (6)  its `compress_level`
#   PG_BENCH_FORMATS ("custom plain")                  which `format`s of backup to run
# Needs: what scripts/install-test-deps.sh installs (PostgreSQL 15, setpriv), plus the AWS CLI and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
rows=${1:-1200000}
rounds=${2:-2}
parallel=${PG_BENCH_PARALLEL:-2}
level=${PG_BENCH_LEVEL:-6}
read -r -a formats <<<"${PG_BENCH_FORMATS:-custom plain}"
databases=(bench_a bench_b)
pgbin=/usr/lib/postgresql/15/bin
nobody=65534

# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_setup backup-bench-pg

# A throwaway cluster on a free port, as tests/Backup.IntegrationTests/Support/PostgreSqlServer.cs
# makes one: initdb as nobody (PostgreSQL refuses root), scram-sha-256 for every connection. The
# postmaster runs in the foreground under setpriv and env (both exec it), started as a plain command
# (a shell function in the background would be a subshell, and $! its pid, not the postmaster's), so
# $dbpid is the postmaster and bench_cleanup's SIGTERM is its smart shutdown (it has no clients left
# by then). $work is private to root; nobody may only traverse it.
chmod 711 "$work"
pg=$work/pg
mkdir -p "$pg" && chown "$nobody:$nobody" "$pg"
asnobody() { setpriv --reuid=$nobody --regid=$nobody --clear-groups -- env HOME="$pg" LC_ALL=C "$@"; }
dbpass=bench-$RANDOM$RANDOM$RANDOM
printf '%s\n' "$dbpass" > "$pg/pw" && chown "$nobody:$nobody" "$pg/pw" && chmod 600 "$pg/pw"
asnobody "$pgbin/initdb" --pgdata="$pg/data" --username=postgres --pwfile="$pg/pw" --auth=scram-sha-256 \
  --encoding=UTF8 --no-locale --no-sync >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; exit 1; }
rm -f "$pg/pw"
dbport=$(free_port)
# Durability off (a throwaway cluster), autovacuum off so that it never runs under a timed dump (the
# load is vacuumed and checkpointed once below).
setpriv --reuid=$nobody --regid=$nobody --clear-groups -- env HOME="$pg" LC_ALL=C \
  "$pgbin/postgres" -D "$pg/data" -c listen_addresses=127.0.0.1 -c port="$dbport" -c unix_socket_directories="$pg" \
  -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
  -c shared_buffers=256MB -c max_wal_size=2GB -c autovacuum=off -c logging_collector=off \
  >"$work/postgres.log" 2>&1 &
dbpid=$!
printf '%s\n' "$dbpass" > "$work/dbpass" && chmod 600 "$work/dbpass"
printf '*:*:*:*:%s\n' "$dbpass" > "$work/pgpass" && chmod 600 "$work/pgpass"
# The plain clients (the seed's way, the floors, the load) reach the server as postgres this way.
export PGHOST=127.0.0.1 PGPORT=$dbport PGUSER=postgres PGPASSFILE=$work/pgpass PGCLIENTENCODING=UTF8
for _ in $(seq 300); do "$pgbin/pg_isready" -q && break; sleep 0.2; done
"$pgbin/pg_isready" -q || { cat "$work/postgres.log" >&2; echo "PostgreSQL did not start" >&2; exit 1; }
sql() { psql -X -q -v ON_ERROR_STOP=1 --no-password "$@"; }

# Mixed rows, made server-side in one statement from generate_series, the same as bench/mysql.sh's:
# ints, a numeric, short and long text (partly repetitive, partly hashes, as real tables are), a
# timestamp, and a 256-byte pseudo-random bytea in every tenth row (sha512 of the row number:
# incompressible, deterministic; written as hex by pg_dump). The second database is a copy.
start=$(date +%s)
sql -d postgres -c "CREATE DATABASE ${databases[0]} TEMPLATE template0 ENCODING 'UTF8'"
sql -d "${databases[0]}" <<SQL
CREATE TABLE orders (
  id integer PRIMARY KEY, customer_id integer NOT NULL, amount numeric(10,2) NOT NULL, status text NOT NULL,
  email text NOT NULL, note text NOT NULL, created timestamp NOT NULL, payload bytea
);
INSERT INTO orders
SELECT i, i * 7919 % 100003, (i * 37 % 100000) / 100.0,
       (ARRAY['delivered', 'returned', 'pending', 'shipped', 'cancelled'])[(1 + i % 5)::int],
       'customer' || (i * 7919 % 100003) || '@example.com',
       'order ' || i || ' ' || (ARRAY['left at the door, customer satisfied',
              'damaged on arrival, refund requested', 'awaiting payment confirmation from the bank',
              'express shipping, signature required'])[(1 + i % 4)::int]
         || ' ref ' || left(encode(sha256(int8send(i)), 'hex'), 40) || ' batch ' || md5((i / 100)::text),
       timestamp '2020-01-01' + i * interval '13 minutes',
       CASE WHEN i % 10 = 0 THEN sha512(int8send(i)) || sha512(int8send(-i)) || sha512(int4send(i::int))
                                 || sha512(int4send(-i::int)) END
FROM generate_series(1::bigint, $rows) AS i;
VACUUM (FREEZE, ANALYZE) orders;
SQL
sql -d postgres -c "CREATE DATABASE ${databases[1]} TEMPLATE ${databases[0]}" -c "CHECKPOINT"
sql -d postgres <<<"CREATE ROLE bench LOGIN SUPERUSER PASSWORD '$dbpass'"   # on stdin: never in argv
echo "generated ${#databases[@]} databases x $rows rows in $(( $(date +%s) - start )) s"

config() { # format → the config of one postgresql source of both databases
  cat > "$work/$1.yaml" <<YAML
sources:
  postgresql:
    bench-$1:
      host: 127.0.0.1
      port: $dbport
      user: bench
      password_file: $work/dbpass
      databases: [${databases[0]}, ${databases[1]}]
      format: $1
      globals: false
      parallel: $parallel
      compress: gzip
      compress_level: $level
      encryption: key
      destination: s3
$(store_and_key_yaml)
YAML
  echo "$work/$1.yaml"
}

# The seed's way: one database after the other, a temp file per stage, then upload and clean up; the
# time of each stage goes to STAGES_FILE. pg_dump's flags are the ones `backup` gives a plain dump
# (README: sources.postgresql.NAME), so both dump the same bytes.
cat > "$work/seed-way.sh" <<'SH'
set -euo pipefail
rcpt=$1; shift
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
now() { date +%s.%N; }
for db in "$@"; do
  t0=$(now)
  pg_dump --format=plain --no-password --dbname="dbname=$db" > "$t/$db.sql"
  t1=$(now)
  gzip "$t/$db.sql"
  t2=$(now)
  gpg --batch --yes --trust-model always -r "$rcpt" -e "$t/$db.sql.gz"
  t3=$(now)
  aws --only-show-errors --endpoint-url "$AWS_ENDPOINT_URL" s3 cp "$t/$db.sql.gz.gpg" "s3://bench/seed/$db.sql.gz.gpg"
  t4=$(now)
  echo "$t0 $t1 $t2 $t3 $t4" | awk '{printf "%.2f %.2f %.2f %.2f\n", $2-$1, $3-$2, $4-$3, $5-$4}' >> "$STAGES_FILE"
  du -b "$t/$db.sql.gz" "$t/$db.sql.gz.gpg" >> "$SIZES_FILE"
  rm -f "$t/$db.sql.gz" "$t/$db.sql.gz.gpg"
done
SH
export SIZES_FILE=$work/sizes STAGES_FILE=$work/stages

# Floors, to see what part of each time is the dump itself (server backend + pg_dump CPU): both
# databases dumped to a pipe that discards them, one after the other and both at once.
cat > "$work/dump-only.sh" <<'SH'
set -euo pipefail
mode=$1 format=$2; shift 2
dump() {
  if [ "$format" = custom ]; then set -- "$1" --format=custom -Z0; else set -- "$1" --format=plain; fi
  pg_dump "${@:2}" --no-password --dbname="dbname=$1" | cat >/dev/null
}
if [ "$mode" = serial ]; then for db in "$@"; do dump "$db"; done
else for db in "$@"; do dump "$db" & done; wait; fi
SH

once() { # prints "seconds maxrss_kb cpu_seconds" of one run (CPU: user + system, children included)
  /usr/bin/time -f '%e %M %U %S' -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; echo "failed: $*" >&2; exit 1; }
  tail -1 "$work/time" | awk '{printf "%s %s %.2f\n", $1, $2, $3 + $4}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2fx", a/b}'; }
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {printf "%.2f", NR % 2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

# One list of seconds and of CPU seconds per pipeline, in round order, and the peak RSS of all rounds.
declare -A times cpus rss
pipelines=(seed "${formats[@]}" serial-plain both-plain both-custom)
for p in "${pipelines[@]}"; do times[$p]="" cpus[$p]="" rss[$p]=0; done
record() { # pipeline "seconds kb cpu"
  local s kb cpu
  read -r s kb cpu <<<"$2"
  times[$1]+=" $s"
  cpus[$1]+=" $cpu"
  [ "$kb" -gt "${rss[$1]}" ] && rss[$1]=$kb
  return 0
}
for f in "${formats[@]}"; do config "$f" >/dev/null; done
echo "round   seed s$(for f in "${formats[@]}"; do printf '  %-24s' "backup $f s (vs seed)"; done)"
for r in $(seq "$rounds"); do
  record seed "$(once bash "$work/seed-way.sh" "$rcpt" "${databases[@]}")"
  for f in "${formats[@]}"; do record "$f" "$(once "$backup" run --config "$work/$f.yaml")"; done
  record serial-plain "$(once bash "$work/dump-only.sh" serial plain "${databases[@]}")"
  record both-plain "$(once bash "$work/dump-only.sh" parallel plain "${databases[@]}")"
  record both-custom "$(once bash "$work/dump-only.sh" parallel custom "${databases[@]}")"
  read -r -a seeds <<<"${times[seed]}"
  line=$(printf '%5d %8s' "$r" "${seeds[-1]}")
  for f in "${formats[@]}"; do
    read -r -a ts <<<"${times[$f]}"
    line+=$(printf '  %-24s' "${ts[-1]} ($(ratio "${ts[-1]}" "${seeds[-1]}"))")
  done
  echo "$line"
done

dump=$(pg_dump --format=plain --no-password --dbname="dbname=${databases[0]}" | wc -c)
gz=$(awk '/\.sql\.gz$/ {s+=$1; n++} END {printf "%d", s/n}' "$SIZES_FILE")
echo
echo "dataset: ${#databases[@]} databases x $rows rows; plain dump $((dump / 1048576)) MiB each, $((gz / 1048576)) MiB gzipped; median of $rounds rounds, $(nproc) cores"
echo "seed's way, mean per database: $(awk '{d+=$1; z+=$2; g+=$3; u+=$4} END {printf "pg_dump %.2f s, gzip %.2f s, gpg %.2f s, aws s3 cp %.2f s", d/NR, z/NR, g/NR, u/NR}' "$STAGES_FILE")"
# What was stored, to see both sides did the same work: backup's artifacts per format (one per
# database and round) and the seed's last upload.
stored() { # S3 prefix, key suffix → "N objects, mean M MiB"
  aws --endpoint-url "$AWS_ENDPOINT_URL" s3 ls --recursive "s3://bench/$1" |
    awk -v sfx="$2" 'index($4, sfx) == length($4) - length(sfx) + 1 {s+=$3; n++} END {printf "%d objects, mean %.1f MiB", n, n ? s/n/1048576 : 0}'
}
for f in "${formats[@]}"; do
  ext=.sql.gz.gpg; [ "$f" = custom ] && ext=.dump.gz.gpg
  echo "stored by backup, format $f: $(stored "tool/bench-$f/" "$ext")"
done
echo "stored by the seed's way: $(stored seed/ .sql.gz.gpg)"
# shellcheck disable=SC2086
seedm=$(median ${times[seed]})
printf '%-56s %9s %12s %10s %10s %10s\n' pipeline "median s" "peak RSS MB" "vs seed" target "CPU s"
row() { # label pipeline target
  # shellcheck disable=SC2086
  local m; m=$(median ${times[$2]})
  # shellcheck disable=SC2086
  printf '%-56s %9s %12d %10s %10s %10s\n' "$1" "$m" $((${rss[$2]} / 1024)) "$(ratio "$m" "$seedm")" "$3" "$(median ${cpus[$2]})"
}
row "seed way (pg_dump > file, gzip, gpg, aws s3 cp)" seed ""
for f in "${formats[@]}"; do row "backup run (format: $f, gzip+gpg+s3, parallel $parallel)" "$f" "<= 0.35x"; done
row "floor: pg_dump plain only, one after the other" serial-plain ""
row "floor: pg_dump plain only, both at once" both-plain ""
row "floor: pg_dump custom -Z0 only, both at once" both-custom ""
