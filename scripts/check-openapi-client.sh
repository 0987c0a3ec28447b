#!/usr/bin/env bash
# Generates a TypeScript client from docs/openapi.json with openapi-typescript (an independent
# generator, from npm) and type-checks the README's calls against it (scripts/openapi-client/).
# Needs node and npm (the registry); prints the generator's and the compiler's output.
set -euo pipefail
cd "$(dirname "$0")/openapi-client"
npm ci --no-audit --no-fund --silent >/dev/null  # the versions package-lock.json pins
mkdir -p generated
npx --no-install openapi-typescript ../../docs/openapi.json -o generated/orian.d.ts
npx --no-install tsc -p tsconfig.json
echo "the README's calls type-check against the client generated from docs/openapi.json"
