#!/bin/sh
# PID 2 of a simulated VPS (docker run --init gives PID 1 to tini): makes the kernel interfaces dockerd writes to
# writable, then runs dockerd with the arguments given to the container.
#
# Docker mounts /sys and the cgroup v1 hierarchies read-only in a container that is not --privileged; the engine
# inside needs them writable (cgroups for its containers, /sys for its bridges). A plain `mount -o remount,rw` is
# refused ("mount point is busy"); a bind remount is not (measured, ../shared/FINDINGS.md).
set -eu

mount -o remount,bind,rw /sys
# one mount point a line (the file escapes white space in them as \040)
awk '$3 == "cgroup" || $3 == "cgroup2" || $2 == "/sys/fs/cgroup" { print $2 }' /proc/self/mounts |
    while IFS= read -r m; do
        mount -o remount,bind,rw "$m"
    done

# Without it the engine tries a registry before every Swarm task start; images come in with docker load.
export DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1
exec dockerd "$@"
