-- Moves up to ARGV[1] clicks from the pending buffer into a batch of their own and notes when
-- the batch was claimed, atomically: a click is either pending or in exactly one batch.
-- KEYS[1] the pending buffer, KEYS[2] the new batch (a list), KEYS[3] claimed batches (a sorted
-- set scored by claim time); ARGV[1] batch size, ARGV[2] now in epoch milliseconds, ARGV[3] batch id
local clicks = redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
if #clicks > 0 then
  redis.call('LTRIM', KEYS[1], #clicks, -1)
  redis.call('RPUSH', KEYS[2], unpack(clicks))
  redis.call('ZADD', KEYS[3], ARGV[2], ARGV[3])
end
return clicks
