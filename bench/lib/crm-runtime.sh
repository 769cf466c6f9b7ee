# Shared by the bench drivers (plugin-swap.sh, core-load.sh): finding, stopping and cleaning up the copy of the CRM
# they started. Expects COPY (the copy's folder), WORK (the run's folder), STARTED (1 while the CRM runs) and a say
# function from the sourcing script.

# Every process whose command line names our unique copy (Karaf and its embedded PostgreSQL), one id at a time.
our_pids() {
  local d pid
  for d in /proc/[0-9]*; do
    pid="${d#/proc/}"
    [ "$pid" = "$$" ] && continue
    if { tr '\0' ' ' < "$d/cmdline"; } 2>/dev/null | grep -qF -- "$COPY/"; then
      echo "$pid"
    fi
  done
}

karaf_pid() {
  [ -f "$COPY/karaf.pid" ] && tr -d '[:space:]' < "$COPY/karaf.pid" || true
}

alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

stop_crm() {
  [ "$STARTED" = 1 ] || return 0
  local pid t0=$SECONDS
  pid="$(karaf_pid)"
  say "stopping the CRM (bin/stop)"
  timeout 60 "$COPY/bin/stop" >>"$WORK/start-stop.log" 2>&1 || say "bin/stop failed (see $WORK/start-stop.log)"
  for _ in $(seq 1 600); do
    alive "$pid" || break
    sleep 0.1
  done
  if alive "$pid"; then
    say "Karaf ($pid) still running 60 s after bin/stop: kill -9"
    kill -9 "$pid" 2>/dev/null || true
  fi
  # stragglers: the embedded PostgreSQL (it survives a killed Karaf) and anything else started from the copy
  local stragglers postmaster
  for postmaster in $(find "$COPY/data" -name postmaster.pid 2>/dev/null); do
    pid="$(head -n 1 "$postmaster" 2>/dev/null || true)"
    if alive "$pid" && { tr '\0' ' ' < "/proc/$pid/cmdline"; } 2>/dev/null | grep -qF -- "$COPY/"; then
      say "PostgreSQL $pid still running: SIGTERM"
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  sleep 1
  stragglers="$(our_pids)"
  for pid in $stragglers; do
    say "straggler $pid: $({ tr '\0' ' ' < "/proc/$pid/cmdline"; } 2>/dev/null | cut -c1-120): SIGTERM"
    kill -TERM "$pid" 2>/dev/null || true
  done
  [ -z "$stragglers" ] || sleep 3
  for pid in $(our_pids); do
    say "straggler $pid still there: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  done
  STARTED=0
  say "stopped in $((SECONDS - t0)) s"
}

free_port() {
  local p _
  for _ in $(seq 1 500); do
    p=$((20000 + RANDOM % 12000))
    [ "$p" = "${1:-}" ] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  return 1
}

built_stamp() {
  find "$ASSEMBLY/system/org/groupcrm" -type f -name '*.jar' -printf '%T@\n' 2>/dev/null | sort -n | tail -n 1
}
