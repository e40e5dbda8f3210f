# Shared by the scripts/build-*-image scripts, which build SaasPanel's images locally, FROM scratch
# (no registry). Before sourcing it, a script sets image_name (the tag is saaspanel-<name>:<hash>) and
# defines image_inputs (prints, one a line and relative to the repository, the files the image is made
# of) and image_context DIR (fills the build context, Dockerfile included). Then it calls image_main "$@".
#
# The tag is a hash of those inputs, this file and the calling script, so an unchanged image is never
# built again; saaspanel-<name>:latest always names the current build (for people; SaasPanel is given
# the hashed tag). Prints the tag on stdout, logs on stderr; with --print-tag only prints it.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

log() { printf '%s-image: %s\n' "$image_name" "$*" >&2; }

image_inputs_hash() {
  cd "$repo"
  { image_inputs; printf '%s\n' scripts/lib/image.sh "scripts/build-$image_name-image"; } \
    | sort -u | tr '\n' '\0' | xargs -0 sha256sum | sha256sum | cut -c1-16
}

image_main() {
  local repository="saaspanel-$image_name" tag
  tag="$repository:$(image_inputs_hash)"
  if [ "${1:-}" = "--print-tag" ]; then
    echo "$tag"
    return 0
  fi

  # Parallel builds (tests, a second AppHost) share one engine and one obj/ folder: one at a time.
  exec 9>"${TMPDIR:-/tmp}/saaspanel-$image_name-image.lock"
  flock 9

  if docker image inspect "$tag" >/dev/null 2>&1; then
    log "$tag is up to date (no rebuild)"
  else
    local started=$SECONDS
    context=$(mktemp -d)
    trap 'rm -rf "$context"' EXIT
    image_context "$context"
    log "building $tag..."
    DOCKER_BUILDKIT=0 docker build -q --label "saaspanel.$image_name.inputs=${tag#*:}" -t "$tag" "$context" >/dev/null
    log "built $tag in $((SECONDS - started)) s ($(docker image inspect "$tag" --format '{{.Size}}' | awk '{printf "%.1f MB", $1/1e6}'))"
  fi

  docker tag "$tag" "$repository:latest"
  echo "$tag"
}
