package payments.grpc;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of FlowPay's gRPC services ({@code quartet.payments.grpc.*}); the server
 * itself (port, grace period, reflection, health) is Spring gRPC's
 * {@code spring.grpc.server.*}.
 *
 * @param watchPollInterval how often a WatchPayment stream reads its payment for new
 * transitions; reading the row works whichever instance processed the payment
 * @param watchTimeout the longest a WatchPayment stream stays open; it then ends with
 * DEADLINE_EXCEEDED (a client's own deadline ends it sooner)
 */
@Validated
@ConfigurationProperties("quartet.payments.grpc")
public record GrpcSettings(@NotNull @DefaultValue("100ms") Duration watchPollInterval,
        @NotNull @DefaultValue("15m") Duration watchTimeout) {
}
