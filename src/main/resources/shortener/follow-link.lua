-- Follows a link in one round trip: reads its cache entry and, if the link still redirects, takes
-- one click of its limit (if it has one) and appends the click to the buffer the flush job
-- drains. One script, so concurrent redirects can never take more clicks than the limit allows.
-- KEYS[1] the link's cache entry, KEYS[2] its click counter, KEYS[3] the pending click buffer
-- ARGV[1] now in epoch microseconds: the application's clock decides expiry, not Redis's
-- ARGV[2] the encoded click; ARGV[3] seconds the counter lives after its last click
-- ARGV[4] the clicks PostgreSQL counted for the link, to seed a missing counter, or -1 when the
-- caller has not read them
-- ARGV[5] the link as read from PostgreSQL after a miss, or empty to read the cache entry;
-- ARGV[6] milliseconds to cache that link for, 0 to use it without caching it
-- The cache entry: 'L1 <maxClicks> <expiresAt> <flags> <createdAt> <target>' ('-' for none,
-- flags: 301/302/default, D when disabled, custom alias), or '!' for a code known not to exist.
-- Returns one string, an outcome letter followed by the cache entry where there is one:
--   M nothing cached (or an entry in a form this script does not read): call again with ARGV[5]
--   U known not to exist
--   G the link no longer redirects (disabled or expired): nothing counted
--   S its counter needs a seed: call again with ARGV[4]
--   X its click limit is used up: nothing counted
--   T the click was taken and buffered: redirect
local cached
if ARGV[5] ~= '' then
  cached = ARGV[5]
  if tonumber(ARGV[6]) > 0 then
    redis.call('SET', KEYS[1], cached, 'PX', ARGV[6])
  end
else
  cached = redis.call('GET', KEYS[1])
  if not cached then
    return 'M'
  end
  if cached == '!' then
    return 'U'
  end
end
local limit, expires, flags = string.match(cached, '^L1 (%S+) (%S+) (%S+) ')
if not limit then
  return 'M'
end
-- Epoch microseconds are exact in Lua's doubles until the year 2255; later expiries still compare right.
if string.sub(flags, 2, 2) == 'D' or (expires ~= '-' and tonumber(ARGV[1]) >= tonumber(expires)) then
  return 'G' .. cached
end
if limit ~= '-' then
  local used = redis.call('GET', KEYS[2])
  if not used then
    if tonumber(ARGV[4]) < 0 then
      return 'S' .. cached
    end
    used = ARGV[4]
  end
  used = tonumber(used)
  if used >= tonumber(limit) then
    return 'X' .. cached
  end
  redis.call('SET', KEYS[2], tostring(used + 1), 'EX', ARGV[3])
end
redis.call('RPUSH', KEYS[3], ARGV[2])
return 'T' .. cached
