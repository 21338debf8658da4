#!/usr/bin/env bash
# Builds and runs scripts/consumer, a package that depends on dmajournal by path and uses
# its library products (DMASim, OpScript, Pipeline, Journal) as an outside tool would: it fails if a
# product cannot be depended on (SwiftPM refuses unsafe flags in dependencies) or if the
# public API no longer suffices to run a script. Its own .build under scripts/consumer.
set -euo pipefail
cd "$(dirname "$0")/consumer"
swift build 2>&1 | tail -n 3 >&2
swift run --skip-build Consumer
