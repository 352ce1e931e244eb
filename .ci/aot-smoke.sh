#!/usr/bin/env bash
# Native AOT smoke test of the `providers` CLI: publishes it with trim/AOT warnings as errors, checks the binary's
# size, runs --version, list and chat against a local replay server (exact streamed text, jsonl, a piped prompt, and a
# 401 whose key must appear in no output), and prints the size and the median start-up time of --version.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDTERMINALLOGGER=off

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "aot-smoke: FAILED: $*" >&2; exit 1; }
checks=0
pass() { checks=$((checks + 1)); echo "aot-smoke: ok: $*"; }

# Starts the replay server on a free port with the given arguments; sets $port.
serve() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  : > "$work/port"
  python3 .ci/replay_server.py "$@" > "$work/port" &
  server_pid=$!
  for _ in $(seq 100); do
    port=$(head -n1 "$work/port")
    [ -n "$port" ] && return 0
    sleep 0.05
  done
  fail "the replay server did not start"
}

# 1. Publish: trim and AOT analysis warnings are errors; any warning at all fails the smoke test.
out="$work/publish"
if ! dotnet publish src/Providers.Cli -c Release -r linux-x64 -o "$out" -p:TreatWarningsAsErrors=true > "$work/publish.log" 2>&1; then
  cat "$work/publish.log" >&2
  fail "dotnet publish"
fi
warnings=$( { grep -Eo 'warning [A-Z]+[0-9]+' "$work/publish.log" || true; } | sort -u | wc -l)
[ "$warnings" -eq 0 ] || { grep -E 'warning [A-Z]+[0-9]+' "$work/publish.log" >&2; fail "$warnings publish warnings"; }
pass "published with 0 warnings"

bin="$out/providers"
[ -x "$bin" ] || fail "no executable at $bin"
size=$(stat -c %s "$bin")
[ "$size" -lt 15000000 ] || fail "binary is $size bytes, over 15 MB"
pass "binary is $size bytes"

# 2. --version and list.
version=$("$bin" --version)
[[ "$version" =~ ^providers\ [0-9]+\.[0-9]+\.[0-9]+ ]] || fail "--version printed '$version'"
pass "--version: $version"

"$bin" list > "$work/list"
grep -qx 'ollama (Ollama)' "$work/list" || fail "list has no ollama"
grep -qx 'anthropic (Anthropic)' "$work/list" || fail "list has no anthropic"
grep -Eq '^  apiKey +string +required, secret$' "$work/list" || fail "list does not flag apiKey as required and secret"
pass "list"

# 3. chat against a replayed Ollama stream: the exact text on stdout, the summary on stderr.
serve tests/fixtures/ollama/chat-text.ndjson 200 application/x-ndjson "$work/requests"
url="http://127.0.0.1:$port"
printf 'The sky looks blue because of Rayleigh scattering \xe2\x80\x94 short wavelengths scatter more.\n' > "$work/expected"
"$bin" chat -p ollama -m llama3.2 --base-url "$url" "Why is the sky blue?" > "$work/stdout" 2> "$work/stderr" || fail "chat exited $?"
cmp -s "$work/expected" "$work/stdout" || { diff "$work/expected" "$work/stdout" >&2 || true; fail "chat text differs"; }
grep -Eq '^31 in / 17 out tokens' "$work/stderr" || fail "no summary line: $(cat "$work/stderr")"
grep -q '"model":"llama3.2"' "$work/requests" || fail "the request did not name the model"
pass "chat streams the exact text"

"$bin" chat -p ollama -m llama3.2 --base-url "$url" --format jsonl "Why is the sky blue?" > "$work/jsonl"
[ "$(wc -l < "$work/jsonl")" -eq 6 ] || fail "jsonl has $(wc -l < "$work/jsonl") lines, not 6"
[ "$(head -n1 "$work/jsonl")" = '{"type":"text","text":"The"}' ] || fail "jsonl first line: $(head -n1 "$work/jsonl")"
[ "$(tail -n1 "$work/jsonl")" = '{"type":"usage","inputTokens":31,"outputTokens":17,"totalCost":0}' ] || fail "jsonl last line: $(tail -n1 "$work/jsonl")"
pass "chat --format jsonl"

echo "Why is the sky blue?" | "$bin" chat -p ollama -m llama3.2 --base-url "$url" > "$work/stdout" 2>/dev/null
cmp -s "$work/expected" "$work/stdout" || fail "piped prompt"
pass "prompt piped on stdin"

# 4. A 401: exit code 1, the provider's message on stderr, the key nowhere.
key="sk-test-SECRET-0123456789"
printf '{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key %s"}}' "$key" > "$work/401.json"
serve "$work/401.json" 401 application/json
set +e
"$bin" chat -p anthropic --api-key "$key" --base-url "http://127.0.0.1:$port" "Hello" > "$work/stdout" 2> "$work/stderr"
code=$?
set -e
[ "$code" -eq 1 ] || fail "401 exited $code, not 1"
grep -q "401 Unauthorized (authentication_error)" "$work/stderr" || fail "401 message: $(cat "$work/stderr")"
if grep -q "$key" "$work/stdout" "$work/stderr"; then fail "the API key was printed"; fi
pass "401 exits 1 without printing the key"

# 5. Bad usage exits 2.
set +e
"$bin" chat --set ollamaBaseUlr=x -p ollama hi > /dev/null 2> "$work/stderr"
code=$?
set -e
[ "$code" -eq 2 ] && grep -q "Did you mean 'ollamaBaseUrl'" "$work/stderr" || fail "unknown --set key: exit $code, $(cat "$work/stderr")"
pass "unknown --set key exits 2 with a suggestion"

# 6. The integrations under Native AOT: configuration -> AddProviders -> keyed handler -> IChatClient, against the same replay.
svc="$work/aot-service"
if ! dotnet publish samples/AotService -c Release -r linux-x64 -o "$svc" -p:TreatWarningsAsErrors=true > "$work/svc.log" 2>&1; then
  cat "$work/svc.log" >&2
  fail "dotnet publish samples/AotService"
fi
svc_warnings=$( { grep -Eo 'warning [A-Z]+[0-9]+' "$work/svc.log" || true; } | sort -u | wc -l)
[ "$svc_warnings" -eq 0 ] || { grep -E 'warning [A-Z]+[0-9]+' "$work/svc.log" >&2; fail "$svc_warnings publish warnings in AotService"; }
serve tests/fixtures/ollama/chat-text.ndjson 200 application/x-ndjson
"$svc/AotService" "http://127.0.0.1:$port" llama3.2 "Why is the sky blue?" > "$work/svc.out" || fail "AotService exited $?"
cmp -s "$work/expected" "$work/svc.out" || { diff "$work/expected" "$work/svc.out" >&2 || true; fail "AotService text differs"; }
pass "DI, configuration and IChatClient stream the exact text under Native AOT"

# 7. Start-up of --version: median of 50 runs (after 3 warm-up runs), timed in-shell with $EPOCHREALTIME.
for _ in 1 2 3; do "$bin" --version > /dev/null; done
times=()
for _ in $(seq 50); do
  start=$EPOCHREALTIME
  "$bin" --version > /dev/null
  end=$EPOCHREALTIME
  times+=($(( ${end/./} - ${start/./} )))
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", (a[25]+a[26])/2000}')
echo "aot-smoke: $checks checks passed; binary $size bytes ($(awk -v s="$size" 'BEGIN {printf "%.2f", s/1048576}') MiB); --version start-up median ${median} ms over 50 runs"
