#!/usr/bin/env bash
# Streaming benchmarks: ours vs the vendor SDKs vs the floor (BenchmarkDotNet, in memory), time to first chunk and load
# (both over loopback). Results go to BenchmarkDotNet.Artifacts/ and stdout; docs/benchmarks.md explains them.
#   benchmarks/run.sh --quick   the headline ratios in under 5 minutes (fewer iterations, shorter TTFC and load)
#   benchmarks/run.sh           the full set
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
[[ "${1:-}" == "--quick" ]] && quick=1

dotnet build benchmarks/Providers.Benchmarks -c Release --nologo -v q
bench="dotnet benchmarks/Providers.Benchmarks/bin/Release/net10.0/Providers.Benchmarks.dll"

# Streaming: BenchmarkDotNet builds a project of its own (under bin/Release/net10.0/<job>/, about a minute on the idle
# machine) and runs every benchmark case in a fresh process, after running that case until the JIT stops compiling
# (StreamingBenchmarks.cs, JitSettle): no case runs on code tiered up with another case's profile.
echo "## Streaming (ns and bytes per event; ratios are to ours)"
if [[ $quick == 1 ]]; then
  PROVIDERS_BENCH_QUICK=1 $bench --filter '*OpenAiTextStream*' '*AnthropicStream*' '*OllamaStream*' '*GroqReasoningStream*' '*GeminiStream*' '*BedrockStream*'
else
  $bench --filter '*Stream*'
fi

echo "## Time to first chunk"
$bench ttfc $([[ $quick == 1 ]] && echo 50 || echo 300)

echo "## Load (openai-text, 1,000 concurrent streams; peak working set of the client process)"
echo "| subject | streams | completed | failed | seconds | events/s | peak working set MB | CPU s | allocated MB | bytes/stream | methods JIT'd | JIT ms |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
# Each subject twice: after one stream (the JIT still tiering our code up while the load runs; the framework code the
# floor runs is precompiled) and after 3,000 warm-up streams (steady state, what a long-running service sees).
subjects="ours openai-sdk floor"
for warmup in 1 3000; do
  for subject in $subjects; do
    $bench load "$subject" 1000 "$warmup"
  done
done
