#!/usr/bin/env bash
# Benchmark harness: backs up one real directory tree with `backup` and with the reference shell
# pipelines (../shared/bench/reference-pipelines.sh), side by side in the same run, against the same
# local S3 server and gpg key, and prints time and peak-RSS ratios. Machines here are shared and noisy:
# only the ratios within one run mean something, so each pair runs back to back, best of N.
#
# usage: bench/run.sh [DIR] [ROUNDS]        DIR defaults to the .NET SDK folder, ROUNDS to 2
#        bench/run.sh --memory [GIB...]     peak RSS of backup on a growing stream (default 1 5 GiB)
# Needs: what scripts/install-test-deps.sh installs, plus pigz and the AWS CLI for the references.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# shared/ sits beside the main checkout; a worktree under wt/ is one level deeper.
reference=${REFERENCE_PIPELINES:-}
for candidate in "$root/../shared/bench/reference-pipelines.sh" "$root/../../shared/bench/reference-pipelines.sh"; do
  [ -z "$reference" ] && [ -f "$candidate" ] && reference=$candidate
done
[ -f "${reference:-}" ] || { echo "reference-pipelines.sh not found: set REFERENCE_PIPELINES" >&2; exit 2; }

# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_setup backup-bench pigz:pigz

config() { # compress source-dir
  cat > "$work/$1.yaml" <<YAML
sources:
  directories:
    bench-$1:
      path: $2
      compress: $1
      encryption: key
      destination: s3
$(store_and_key_yaml)
YAML
  echo "$work/$1.yaml"
}

if [ "${1:-}" = "--memory" ]; then
  shift
  rounds=1
  printf '%-28s %10s %12s\n' "stream (zstd+gpg+s3)" "seconds" "peak RSS MB"
  for gib in "${@:-1 5}"; do
    for g in $gib; do
      mkdir -p "$work/mem$g" && truncate -s "${g}G" "$work/mem$g/zeros"   # sparse: tar reads g GiB
      read -r s kb < <(measure "$backup" run --config "$(config zstd "$work/mem$g")")
      printf '%-28s %10s %12d\n' "${g} GiB" "$s" $((kb / 1024))
    done
  done
  exit 0
fi

dir=${1:-/usr/share/dotnet}
rounds=${2:-2}
size=$(du -sb "$dir" | cut -f1)
echo "dataset: $dir ($((size / 1048576)) MiB), best of $rounds, $(nproc) cores"
printf '%-34s %9s %12s %12s %10s\n' pipeline seconds "peak RSS MB" "vs ref time" "target"
row() { printf '%-34s %9s %12d %12s %10s\n' "$1" "$2" $(($3 / 1024)) "$4" "$5"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2fx", a/b}'; }

for pair in "gzip shell-gzip 0.40x" "zstd shell-zstd 1.00x"; do
  set -- $pair
  read -r rs rkb < <(measure bash "$reference" "$2" "$dir" s3://bench/ref "$rcpt")
  read -r ts tkb < <(measure "$backup" run --config "$(config "$1" "$dir")")
  row "reference $2" "$rs" "$rkb" "1.00x" ""
  row "backup $1+gpg+s3" "$ts" "$tkb" "$(ratio "$ts" "$rs")" "<= $3"
  if [ "$1" = gzip ]; then gzs=$ts gzkb=$tkb; fi
done
read -r ss skb < <(measure bash "$reference" seed-style "$dir" s3://bench/ref "$rcpt")
row "reference seed-style" "$ss" "$skb" "1.00x" ""
row "backup gzip+gpg+s3 vs seed-style" "$gzs" "$gzkb" "$(ratio "$gzs" "$ss")" ""
