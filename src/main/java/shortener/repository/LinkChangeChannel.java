package shortener.repository;

import java.nio.charset.StandardCharsets;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import shortener.ShortCode;

/**
 * The Redis pub/sub channel through which every instance tells every other (and itself)
 * that a link changed, so each drops it from its {@link NearLinkCache}. Pub/sub keeps
 * nothing for a subscriber that is not listening, so every instance also publishes
 * heartbeats: the near cache trusts its entries in full only while heartbeats keep
 * arriving. A message is {@code c<code>} for a change and {@code h} for a heartbeat.
 * Redis failures surface as Spring's DataAccessException.
 * <p>
 * The subscription is made by {@link #ensureSubscribed()}, not at startup: a listener
 * container that cannot subscribe fails its start, and an unreachable Redis must not stop
 * the application. Once subscribed, the container resubscribes by itself after Redis
 * comes back.
 */
public class LinkChangeChannel implements MessageListener, SubscriptionListener, DisposableBean {

    private static final Log log = LogFactory.getLog(LinkChangeChannel.class);

    public static final ChannelTopic TOPIC = new ChannelTopic("quartet:shortener:link-changes");

    private static final char CHANGE = 'c';

    private static final String HEARTBEAT = "h";

    private final StringRedisTemplate redis;

    private final NearLinkCache nearCache;

    private final RedisMessageListenerContainer container = new RedisMessageListenerContainer();

    private volatile boolean failureLogged;

    public LinkChangeChannel(StringRedisTemplate redis, RedisConnectionFactory connections, NearLinkCache nearCache) {
        this.redis = redis;
        this.nearCache = nearCache;
        container.setConnectionFactory(connections);
        // Handling a message is a map removal: on the connection's own thread, not a
        // thread per message.
        container.setTaskExecutor(new SyncTaskExecutor());
        container.addMessageListener(this, TOPIC);
        container.afterPropertiesSet();
    }

    /**
     * Subscribes if not subscribed yet (or any more); false while that fails. Blocks up
     * to a few seconds.
     */
    public boolean ensureSubscribed() {
        if (container.isListening()) {
            return true;
        }
        try {
            container.start();
            failureLogged = false;
            return container.isListening();
        }
        catch (RuntimeException e) {
            container.stop();
            if (!failureLogged) {
                failureLogged = true;
                log.warn("Cannot subscribe to the link change channel yet (" + e.getMessage()
                        + "); the near cache keeps entries only briefly");
            }
            return false;
        }
    }

    @Override
    public void destroy() throws Exception {
        container.destroy();
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
