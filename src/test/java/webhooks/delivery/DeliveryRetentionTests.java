package webhooks.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import webhooks.delivery.TestReceiver.Answer;

/**
 * The retention purge removes old succeeded messages with their deliveries and attempts,
 * and nothing else.
 */
class DeliveryRetentionTests extends WebhooksIntegrationTest {

    @Test
    void purgesOldSucceededMessagesAndKeepsFailedAndRecentOnes() throws Exception {
        String type = uniqueType();
        TestReceiver receiver = receiver().thenAnswer(Answer.status(200), Answer.status(200))
            .otherwiseAnswer(Answer.status(500));
        register(receiver, type);
        JsonNode oldSuccess = awaitDelivery(message(type, "\"old\""), "SUCCEEDED");
        JsonNode recentSuccess = awaitDelivery(message(type, "\"recent\""), "SUCCEEDED");
        JsonNode oldFailure = awaitDelivery(message(type, "\"failed\""), "FAILED");
        UUID unsubscribed = UUID.fromString(json
            .readTree(post("/api/webhooks/messages", "{\"eventType\":\"" + uniqueType() + "\",\"payload\":1}").body())
            .path("messageId")
            .asString());
        // Two hours pass for all but the recent message.
        for (UUID message : new UUID[] { messageOf(oldSuccess), messageOf(oldFailure), unsubscribed }) {
            jdbc.sql("UPDATE webhooks.messages SET created_at = created_at - interval '2 hours' WHERE id = ?")
                .param(message)
                .update();
            jdbc.sql(
                    """
                            UPDATE webhooks.deliveries SET created_at = created_at - interval '2 hours', updated_at = updated_at - interval '2 hours'
                            WHERE message_id = ?
                            """)
                .param(message)
                .update();
        }

        int purged = new DeliveryRetention(jdbc, Duration.ofHours(1)).purge();

        assertThat(purged).isGreaterThanOrEqualTo(2);
        assertThat(exists("messages", messageOf(oldSuccess))).isFalse();
        assertThat(exists("messages", unsubscribed)).isFalse();
        assertThat(rows("SELECT count(*) FROM webhooks.deliveries WHERE id = ?", oldSuccess)).isZero();
        assertThat(rows("SELECT count(*) FROM webhooks.attempts WHERE delivery_id = ?", oldSuccess)).isZero();
        assertThat(exists("messages", messageOf(recentSuccess))).isTrue();
        assertThat(exists("messages", messageOf(oldFailure))).isTrue();
        assertThat(rows("SELECT count(*) FROM webhooks.attempts WHERE delivery_id = ?", oldFailure)).isEqualTo(4);
        assertThat(new DeliveryRetention(jdbc, Duration.ofHours(1)).purge()).as("nothing left to purge").isZero();
    }

    private static UUID messageOf(JsonNode delivery) {
        return UUID.fromString(delivery.path("messageId").asString());
    }

    private boolean exists(String table, UUID id) {
        return jdbc.sql("SELECT count(*) FROM webhooks." + table + " WHERE id = ?")
            .param(id)
            .query(Long.class)
            .single() == 1;
    }

    private long rows(String sql, JsonNode delivery) {
        return jdbc.sql(sql).param(UUID.fromString(delivery.path("id").asString())).query(Long.class).single();
    }

}
