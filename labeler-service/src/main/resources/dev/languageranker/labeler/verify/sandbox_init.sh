# Runs as root inside fresh mount, PID (and network) namespaces, before the untrusted program.
# Arguments: run directory, sandbox uid, tmpfs size in bytes, then the command to run.
set -eu
run="$1"; uid="$2"; disk="$3"; shift 3
# Every mount this namespace inherited becomes read-only (only here; the host keeps its own), so the program
# cannot write anywhere but the private tmpfs below. Fail closed if one cannot be made read-only.
awk '{print $5}' /proc/self/mountinfo | while read -r mountpoint; do
  mountpoint=$(printf '%b' "$mountpoint")
  if ! mount -o remount,bind,ro "$mountpoint" 2>/dev/null; then
    echo "sandbox: cannot make $mountpoint read-only" >&2
    exit 97
  fi
done
# A size-capped tmpfs is the program's only writable place: filling it cannot fill the disk.
mount -t tmpfs -o "size=$disk,mode=0700,nosuid,nodev" sandbox "$run/box"
cp "$run/harness.py" "$run/job.json" "$run/box/"
chown -R "$uid:$uid" "$run/box"
cd "$run/box"
unset PWD OLDPWD # set by cd; the program's environment stays exactly what the labeler chose
# Not exec: this shell stays PID 1 of the namespace, so the program gets ordinary signal semantics (the CPU limit's
# SIGXCPU) and every process it forks dies with the namespace when this shell exits or is killed.
set +e
"$@"
exit $?
