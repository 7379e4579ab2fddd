-- One token-bucket decision, atomic, on Redis's own clock: takes between `least` and `most`
-- tokens (as many as the bucket holds, up to `most`), or none if it holds fewer than `least`.
-- `most` above `least` leases tokens that an instance then spends without a round trip.
-- KEYS[1]  the bucket
-- ARGV     capacity, tokens per step, step in nanoseconds (the rate in lowest terms), least,
--          most, and optionally a clock reading in microseconds to use instead of TIME
--          (tests replay exact schedules with it; the application never sends it)
-- Returns  {tokens taken (0, or least to most), whole tokens left, microseconds until `least`
--           could be taken (when none were), microseconds until the bucket is full}
--
-- The level is kept in units where one token is `step` units and each nanosecond adds
-- `per_step` units (so a microsecond adds 1000 * per_step): refill is exact integer arithmetic
-- with no remainder thrown away, for any period, not only whole microseconds. It is capped at
-- full, so refill while full is lost, as in a textbook bucket. Every value stays below
-- capacity * step + 1000 * per_step, which the caller checks is under 2^53 (Lua numbers are
-- doubles).
local capacity = tonumber(ARGV[1])
local per_step = tonumber(ARGV[2])
local step = tonumber(ARGV[3])
local least = tonumber(ARGV[4])
local most = tonumber(ARGV[5])
local full = capacity * step
local per_micro = 1000 * per_step

local now
if ARGV[6] then
  now = tonumber(ARGV[6])
else
  local clock = redis.call('TIME')
  now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
end

local state = redis.call('HMGET', KEYS[1], 'level', 'at')
local level = tonumber(state[1])
local at = tonumber(state[2])
if level == nil or at == nil then
  level = full -- no bucket (never used, or dropped when full) is a full bucket
  at = now
elseif now > at then
  -- Cap the elapsed time at the time to full before multiplying, so the product stays small.
  local to_full = math.ceil((full - level) / per_micro)
  local elapsed = now - at
  if elapsed >= to_full then
    level = full
  else
    level = level + elapsed * per_micro
  end
  at = now
end

local cost = least * step
local consumed = 0
local wait = 0
if level >= cost then
  consumed = math.min(most, math.floor(level / step))
  level = level - consumed * step
else
  wait = math.ceil((cost - level) / per_micro)
end

local until_full = math.ceil((full - level) / per_micro)
if until_full <= 0 then
  redis.call('DEL', KEYS[1]) -- a full bucket is indistinguishable from none: keep no key
else
  redis.call('HSET', KEYS[1], 'level', string.format('%.0f', level), 'at', string.format('%.0f', at))
  -- A key lives until its bucket is full; with a replayed clock that moment has nothing to do
  -- with real time, so such a key lives a minute instead.
  redis.call('PEXPIRE', KEYS[1], ARGV[6] and 60000 or math.ceil(until_full / 1000))
end
return {consumed, math.floor(level / step), wait, until_full}
