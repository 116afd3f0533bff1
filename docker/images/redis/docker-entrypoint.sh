#!/bin/sh
# Runs redis-server (or Sentinel: `redis-server FILE --sentinel`) as user redis. Started as root, it first gives
# /data to redis: a Sentinel config copied there by the stack's command as root must stay writable, since Sentinel
# rewrites it.
set -e
case $1 in -*) set -- redis-server "$@" ;; esac
if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then
    find /data \! -user redis -exec chown redis:redis '{}' +
    exec setpriv --reuid=redis --regid=redis --init-groups "$@"
fi
exec "$@"
