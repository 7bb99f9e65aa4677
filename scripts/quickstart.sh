#!/bin/sh
# npm run quickstart: the short tour. A local broker, the topics, one price published, and that
# same price read back: read from the moment before it was published, not the topic's oldest.
set -eu
pix() { node "$(dirname "$0")/../bin/pix.cjs" "$@"; }
pix local start
pix topics create
since=$(node -p 'new Date().toISOString()')
pix publish price --id 123 --price 9.99
pix consume price --since "$since" --max-messages 1
