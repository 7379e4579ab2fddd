-- Caches what a redirect read from PostgreSQL after a miss, unless the link changed since the miss.
-- A change bumps the link's version after it committed (evict-link.lua); the reader saw the version
-- with its miss, before it read PostgreSQL. Same version: no change committed after the read began
-- has been evicted yet, and its eviction, coming later, deletes what we write. Other version: what
-- we read may be older than the change, so nothing is written.
-- KEYS[1] the link's cache entry, KEYS[2] its version; ARGV[1] the entry, ARGV[2] its TTL in
-- milliseconds, ARGV[3] the version the miss saw ('' for none). Returns 1 if written, else 0.
local version = redis.call('GET', KEYS[2]) or ''
if version ~= ARGV[3] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
