-- Takes one click of a limited link's limit, atomically: concurrent redirects on any instance can
-- never take more clicks than the limit allows. The click itself is counted by the instance that
-- served it (in memory, flushed to PostgreSQL), not here, so a call that timed out and runs late
-- takes at most one click the redirect did not serve (it was refused) and records no click twice.
-- KEYS[1] the link's click counter
-- ARGV[1] the click limit; ARGV[2] the clicks PostgreSQL counted for the link, to seed a missing
-- counter, or -1 when the caller has not read them; ARGV[3] seconds the counter lives after its last click
-- Returns T (taken: redirect), X (the limit is used up: nothing taken) or S (no counter: call again with ARGV[2])
local used = redis.call('GET', KEYS[1])
if not used then
  if tonumber(ARGV[2]) < 0 then
    return 'S'
  end
  used = ARGV[2]
end
used = tonumber(used)
if used >= tonumber(ARGV[1]) then
  return 'X'
end
redis.call('SET', KEYS[1], tostring(used + 1), 'EX', ARGV[3])
return 'T'
