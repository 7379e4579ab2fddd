-- Counts one redirect, atomically: checks the link's click limit, takes one click of it, and
-- appends the click to the buffer the flush job drains. One script, so concurrent redirects
-- can never take more clicks than the limit allows.
-- KEYS[1] the link's click counter, KEYS[2] the pending click buffer (a list)
-- ARGV[1] the click limit, 0 for none; ARGV[2] the clicks counted so far in PostgreSQL, to seed
-- a missing counter, or -1 when the caller has not read it; ARGV[3] the encoded click;
-- ARGV[4] seconds the counter lives after its last click
-- Returns 1 when the click was taken, 0 when the limit is reached, -1 when a seed is needed.
local limit = tonumber(ARGV[1])
if limit > 0 then
  local used = redis.call('GET', KEYS[1])
  if not used then
    if tonumber(ARGV[2]) < 0 then
      return -1
    end
    used = ARGV[2]
  end
  used = tonumber(used)
  if used >= limit then
    return 0
  end
  redis.call('SET', KEYS[1], tostring(used + 1), 'EX', ARGV[4])
end
redis.call('RPUSH', KEYS[2], ARGV[3])
return 1
