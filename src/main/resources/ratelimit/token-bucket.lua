-- One token-bucket decision, atomic, on Redis's own clock (one round trip per decision).
-- KEYS[1]  the bucket
-- ARGV     capacity, refill tokens, refill period in microseconds, tokens requested
-- Returns  {consumed 0|1, whole tokens left, microseconds until the request could succeed,
--           microseconds until the bucket is full}
--
-- The level is kept in units where one token is `period` units and each microsecond adds
-- `refill` units, so refill is exact integer arithmetic with no remainder thrown away. Every
-- value stays below capacity * period + refill, which the caller checks is under 2^53 (Lua
-- numbers are doubles).
local capacity = tonumber(ARGV[1])
local refill = tonumber(ARGV[2])
local period = tonumber(ARGV[3])
local requested = tonumber(ARGV[4])
local full = capacity * period

local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])

local state = redis.call('HMGET', KEYS[1], 'level', 'at')
local level = tonumber(state[1])
local at = tonumber(state[2])
if level == nil or at == nil then
  level = full -- no bucket (never used, or dropped when full) is a full bucket
  at = now
elseif now > at then
  -- Cap the elapsed time at the time to full before multiplying, so the product stays small.
  local to_full = math.ceil((full - level) / refill)
  local elapsed = now - at
  if elapsed >= to_full then
    level = full
  else
    level = level + elapsed * refill
  end
  at = now
end

local cost = requested * period
local consumed = 0
local wait = 0
if level >= cost then
  level = level - cost
  consumed = 1
else
  wait = math.ceil((cost - level) / refill)
end

local until_full = math.ceil((full - level) / refill)
if until_full <= 0 then
  redis.call('DEL', KEYS[1]) -- a full bucket is indistinguishable from none: keep no key
else
  redis.call('HSET', KEYS[1], 'level', string.format('%.0f', level), 'at', string.format('%.0f', at))
  redis.call('PEXPIRE', KEYS[1], math.ceil(until_full / 1000))
end
return {consumed, math.floor(level / period), wait, until_full}
