#!/usr/bin/env bash
# Adds up the counters of every .trx in $1 and prints "tests: N passed, N failed[, N skipped]".
# Fails when a result file is missing or unreadable, or when the integration tests did not all run:
# a suite that skips them because Docker or runc is missing must not pass quietly.
set -uo pipefail
results="$1"
passed=0 failed=0 skipped=0 problems=()

# The blame collector's sequence files list the tests of $2 as they started; the ones not completed are the ones that hung.
unfinished() {
  find "$1" -name 'Sequence_*.xml' -exec grep -h "Source=\"[^\"]*/$2.dll\" Completed=\"False\"" {} + 2>/dev/null \
    | grep -o ' Name="[^"]*"' | sed 's/^ Name="//; s/"$//' | paste -sd ',' -
}

# The names of the failed tests of one .trx, each with the first line of its message, so that the tail of a CI log
# (often all that is kept) says what failed.
failures() {
  awk '
    /<UnitTestResult / && /outcome="Failed"/ { match($0, /testName="[^"]*"/); name = substr($0, RSTART + 10, RLENGTH - 11); want = 1; next }
    want && /<Message>/ { line = $0; sub(/.*<Message>/, "", line); sub(/<\/Message>.*/, "", line); print "failed: " name ": " substr(line, 1, 300); want = 0 }
    want && /<\/UnitTestResult>/ { print "failed: " name; want = 0 }
  ' "$1"
}

counter() { grep -o "<Counters [^>]*" "$1" | grep -o " $2=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }

for project in tests/*/*.csproj; do
  grep -q 'Microsoft.NET.Test.Sdk' "$project" || continue
  name="$(basename "$project" .csproj)"
  trx="$results/$name.trx"
  if [ ! -s "$trx" ] || ! grep -q "<Counters " "$trx"; then
    problems+=("$name produced no test results")
    failed=$((failed + 1))
    continue
  fi
  p=$(counter "$trx" passed); f=$(( $(counter "$trx" failed) + $(counter "$trx" error) + $(counter "$trx" timeout) + $(counter "$trx" aborted) ))
  s=$(counter "$trx" notExecuted); e=$(counter "$trx" executed)
  exit_code=$(cat "$results/$name.exit" 2>/dev/null || echo 0)
  if [ "$exit_code" -ne 0 ] && [ "$f" -eq 0 ]; then
    # The run ended without recording the failure: a test hung and was ended by the blame collector, or the
    # test host crashed. The sequence file under the results directory names the test that was running.
    running=$(unfinished "$results" "$name")
    problems+=("$name: dotnet test exited $exit_code with no failed test recorded (a test hung or the test host crashed${running:+; not finished: $running}; see $results/**/Sequence_*.xml)")
    f=1
  fi
  [ "$f" -gt 0 ] && failures "$trx"
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  # The client tests run ert and the agent against RabbitMQ and runc too: the same rule holds for them.
  if [[ "$name" == *Integration* || "$name" == *Client.Tests* ]] && { [ "$e" -eq 0 ] || [ "$s" -gt 0 ]; }; then
    problems+=("$name: $e executed, $s skipped; integration tests must all run (Docker, runc, RabbitMQ image)")
  fi
done

for problem in "${problems[@]}"; do echo "problem: $problem"; done
line="tests: $passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ] && [ ${#problems[@]} -eq 0 ] && [ "$passed" -gt 0 ]
