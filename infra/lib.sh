# Shared shell helpers for infra scripts (sourced, not run).

# ensure_packages PKG...: installs the Debian packages that are missing, without starting their services.
ensure_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # policy-rc.d keeps the packages' postinst from starting services: the scripts start what they need.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/var/log/eventruntime-apt.log 2>&1; then
    tail -n 40 /var/log/eventruntime-apt.log
    rm -f /usr/sbin/policy-rc.d
    return 1
  fi
  rm -f /usr/sbin/policy-rc.d
}
