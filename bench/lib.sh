# Shared by the benchmark scripts (sourced, not run): packages, the Release build, a work folder
# cleaned on exit, one local s3rver with a bucket `bench`, and a throwaway gpg key `bench@example.com`.
# After bench_setup: $root $backup $work $rcpt, AWS_* and GNUPGHOME exported, s3rver running.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# bench_setup WORK_PREFIX [DEBIAN_PACKAGE_IF_MISSING:COMMAND ...]
bench_setup() {
  local prefix=$1; shift
  root=$PWD
  scripts/install-test-deps.sh >/dev/null
  # GNU time measures peak RSS; the references need the AWS CLI (and whatever the caller adds).
  local missing=() pair
  [ -x /usr/bin/time ] || missing+=(time)
  for pair in awscli:aws "$@"; do command -v "${pair#*:}" >/dev/null || missing+=("${pair%%:*}"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing Debian packages: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
      || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
  fi
  # Measured as installed (README): published, compiled ahead of time.
  dotnet publish src/Backup.Cli -c Release -r linux-x64 --self-contained false -o "$root/bench/.published" \
    -nologo -clp:ErrorsOnly >/dev/null
  backup=$root/bench/.published/backup

  work=$(mktemp -d "/tmp/$prefix.XXXXXX")
  trap bench_cleanup EXIT

  local port
  port=$(free_port)
  mkdir -p "$work/s3" "$work/gnupg" && chmod 700 "$work/gnupg"
  # Without the legacy provider s3rver answers 500 to any listing past 1,000 keys (Node 17+).
  NODE_OPTIONS=--openssl-legacy-provider node node_modules/s3rver/bin/s3rver.js --address 127.0.0.1 --port "$port" --directory "$work/s3" --silent >/dev/null &
  s3pid=$!
  export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1
  export AWS_ENDPOINT_URL=http://127.0.0.1:$port GNUPGHOME=$work/gnupg
  for _ in $(seq 50); do aws --endpoint-url "$AWS_ENDPOINT_URL" s3 mb s3://bench >/dev/null 2>&1 && break; sleep 0.2; done
  gpg --batch --passphrase '' --quick-gen-key 'Bench <bench@example.com>' future-default default never 2>/dev/null
  rcpt=bench@example.com
}

bench_cleanup() {
  [ -n "${dbpid:-}" ] && kill "$dbpid" 2>/dev/null && wait "$dbpid" 2>/dev/null || true
  [ -n "${s3pid:-}" ] && kill "$s3pid" 2>/dev/null || true
  gpgconf --homedir "$work/gnupg" --kill gpg-agent 2>/dev/null || true
  rm -rf "$work"
}

# The destinations/encryptions part of a benchmark config: the local s3rver and the throwaway key.
store_and_key_yaml() {
  cat <<YAML
destinations:
  s3:
    method: s3
    S3_BUCKET: bench
    prefix: tool
    endpoint: $AWS_ENDPOINT_URL
encryptions:
  key:
    method: gpg
    recipient: $rcpt
    gnupg_home: $work/gnupg
YAML
}

# measure COMMAND... → "seconds maxrss_kb" of the fastest of $rounds runs
measure() {
  local best="" line
  for _ in $(seq "$rounds"); do
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; echo "failed: $*" >&2; exit 1; }
    line=$(tail -1 "$work/time")
    if [ -z "$best" ] || awk -v a="${line%% *}" -v b="${best%% *}" 'BEGIN{exit !(a<b)}'; then best=$line; fi
  done
  echo "$best"
}
