#!/usr/bin/env bash
# Rewrites docs/openapi.json from the document the service serves (the test that keeps them equal,
# told to write instead). Review the diff before committing it: it is the API's contract.
set -euo pipefail
cd "$(dirname "$0")/.."
ORIAN_WRITE_OPENAPI=1 dotnet test tests/Orian.Tests -nologo -v quiet --filter "FullyQualifiedName~OpenApiDocumentTests.TheServedDocumentIsTheCommittedOne" >/dev/null
git --no-pager diff --stat -- docs/openapi.json
