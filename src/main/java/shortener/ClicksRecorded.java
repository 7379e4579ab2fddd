package shortener;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.modulith.events.Externalized;

/**
 * A batch of redirects was counted into the link statistics. One event per flushed batch,
 * never one per click, externalized to the Kafka topic link.clicks keyed by the batch.
 *
 * @param batch identifies the batch; a batch is counted once even if flushed twice
 * @param clicks the redirects in the batch
 */
@Externalized("link.clicks::#{#this.batch().toString()}")
public record ClicksRecorded(UUID batch, List<Click> clicks) {

    public ClicksRecorded {
        clicks = List.copyOf(clicks);
    }

    /**
     * One redirect served.
     *
     * @param code the link followed
     * @param at when the redirect was served
     * @param referrerHost the host of the referring page, or null when none was sent
     * @param bot whether the user agent looked like a crawler or a tool rather than a
     * person
     */
    public record Click(ShortCode code, Instant at, String referrerHost, boolean bot) {
    }
}
