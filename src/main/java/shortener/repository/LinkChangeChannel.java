package shortener.repository;

import java.nio.charset.StandardCharsets;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import shortener.ShortCode;

/**
 * The Redis pub/sub channel through which every instance tells every other (and itself) that a link
 * changed, so each drops it from its {@link NearLinkCache}. Pub/sub keeps nothing for a subscriber
 * that is not listening, so every instance also publishes heartbeats: the near cache trusts its
 * entries in full only while heartbeats keep arriving. A message is {@code c<code>} for a change
 * and {@code h} for a heartbeat. Redis failures surface as Spring's DataAccessException.
 */
public class LinkChangeChannel implements MessageListener, SubscriptionListener {

    public static final ChannelTopic TOPIC = new ChannelTopic("quartet:shortener:link-changes");
    private static final char CHANGE = 'c';
    private static final String HEARTBEAT = "h";

    private final StringRedisTemplate redis;
    private final NearLinkCache nearCache;

    public LinkChangeChannel(StringRedisTemplate redis, NearLinkCache nearCache) {
        this.redis = redis;
        this.nearCache = nearCache;
    }

    /** Tells every instance that the link changed. */
    public void publishChange(ShortCode code) {
        redis.convertAndSend(TOPIC.getTopic(), CHANGE + code.value());
    }

    public void publishHeartbeat() {
        redis.convertAndSend(TOPIC.getTopic(), HEARTBEAT);
    }

    @Override
    public void onMessage(Message message, byte[] pattern) {
        String body = new String(message.getBody(), StandardCharsets.UTF_8);
        if (body.equals(HEARTBEAT)) {
            nearCache.heartbeat();
        }
        else if (!body.isEmpty() && body.charAt(0) == CHANGE && ShortCode.isValid(body.substring(1))) {
            nearCache.invalidate(ShortCode.of(body.substring(1)));
        }
    }

    @Override
    public void onChannelSubscribed(byte[] channel, long count) {
        nearCache.resubscribed();
    }
}
