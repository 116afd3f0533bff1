-- Test script: adds ARGV[1] to KEYS[1] and returns the new value.
--   KEYS[1]  counter key
--   ARGV[1]  increment
return redis.call('INCRBY', KEYS[1], ARGV[1])
