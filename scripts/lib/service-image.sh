# Shared by scripts/build-auth-image and scripts/build-control-image: a service (SaasPanel.<Project>)
# published self-contained for linux-x64 (not Native AOT: EF Core and Razor need the JIT) in a FROM
# scratch image with exactly the shared libraries its native parts load. Before sourcing it, a script
# sets image_name and project; the tag and the rest come from scripts/lib/image.sh.
source "$(dirname "${BASH_SOURCE[0]}")/image.sh"

image_inputs() {
  find "$project" SaasPanel.ServiceDefaults SaasPanel.Contracts -type f -not -path '*/bin/*' -not -path '*/obj/*'
  printf '%s\n' Directory.Build.props Directory.Packages.props global.json NuGet.config \
    deploy/service.Dockerfile scripts/lib/service-image.sh
}

openssl_libraries() {
  ldconfig -p | awk '/(libssl|libcrypto)\.so\.3 \(libc6,x86-64\)/ { print $NF }'
}

image_context() {
  local context=$1 binary
  log "publishing $project self-contained for linux-x64..."
  dotnet publish "$repo/$project" -c Release -r linux-x64 --self-contained -o "$context/app" \
    -p:DebugType=none -nologo -v quiet >&2
  binary="$context/app/$project"

  # The apphost and the runtime's native libraries (coreclr, System.Native, the JIT, SQLite's e_sqlite3)
  # name what they link; OpenSSL is loaded at run time (Data Protection, password hashing, random
  # numbers), so its two libraries are added by name. Copy exactly those, with what they link.
  # The volumes mount over /data/*: a folder the image owns gives a fresh volume its owner (10001).
  mkdir -p "$context/rootfs" "$context/writable/tmp" "$context/writable/data/"{auth,control,keys}
  { echo "$binary"; find "$context/app" -maxdepth 1 -name '*.so'; openssl_libraries; } \
    | xargs ldd 2>/dev/null | grep -v ':$' | grep -o '/[^ ]*' | grep -v "^$context/" | sort -u | while read -r lib; do
    cp -L --parents "$lib" "$context/rootfs/"
  done
  openssl_libraries | while read -r lib; do cp -L --parents "$lib" "$context/rootfs/"; done
  sed "s|@BINARY@|/app/$project|" "$repo/deploy/service.Dockerfile" >"$context/Dockerfile"
}
