-- Evicts a changed link's cache entry and bumps its version, so a reader that missed before the
-- change committed cannot cache what it read (cache-link.lua).
-- KEYS[1] the link's cache entry, KEYS[2] its version; ARGV[1] how long the version is kept, in milliseconds
redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
redis.call('DEL', KEYS[1])
return 1
