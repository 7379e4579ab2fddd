package quartet.platform.messaging;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the archive of completed event publications, and the record of where externalized
 * events were sent, to {@code quartet.events.archive-retention}.
 */
@Component
class EventPublicationArchivePurge {

    private final JdbcClient jdbc;

    private final Duration retention;

    EventPublicationArchivePurge(JdbcClient jdbc, @Value("${quartet.events.archive-retention:7d}") Duration retention) {
        this.jdbc = jdbc;
        this.retention = retention;
    }

    @Scheduled(fixedDelayString = "1h", initialDelayString = "5m")
    void purge() {
        jdbc.sql(
                "DELETE FROM event_publication_archive WHERE completion_date < now() - make_interval(secs => :seconds)")
            .param("seconds", retention.toSeconds())
            .update();
        jdbc.sql("DELETE FROM event_externalization WHERE confirmed_at < now() - make_interval(secs => :seconds)")
            .param("seconds", retention.toSeconds())
            .update();
    }

}
