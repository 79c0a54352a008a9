#!/usr/bin/env bash
# Run a command with the variables of ./.env (or $TELEPATI_ENV_FILE) exported.
# Variables already set in the environment win over the file, as with most .env loaders.
# The file is sourced by bash: KEY=value lines, '#' comments, shell quoting.
set -euo pipefail

env_file=${TELEPATI_ENV_FILE:-.env}
if [[ -f $env_file ]]; then
  saved=$(export -p)
  set -a
  # shellcheck source=/dev/null
  . "$env_file"
  set +a
  eval "$saved"
fi
exec "$@"
