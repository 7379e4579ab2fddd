package quartet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PromQlMetricNamesTest {

    static Stream<Arguments> expressions() {
        return Stream.of(Arguments.of("max(quartet_outbox_incomplete)", new String[] { "quartet_outbox_incomplete" }),
                Arguments.of("sum by (to) (rate(quartet_payments_transitions_total[$__rate_interval]))",
                        new String[] { "quartet_payments_transitions_total" }),
                Arguments.of("histogram_quantile(0.99, sum by (le, operation) (rate(a_seconds_bucket{x=\"y\"}[5m])))",
                        new String[] { "a_seconds_bucket" }),
                Arguments.of(
                        "sum(rate(hits_total{result=\"hit\"}[5m])) / clamp_min(sum(rate(lookups_total[5m])), 1e-9)",
                        new String[] { "hits_total", "lookups_total" }),
                Arguments.of("a_total / on (instance) group_left b_info > bool 0 offset 5m",
                        new String[] { "a_total", "b_info" }),
                Arguments.of("sum by (instance) (jvm_memory_used_bytes{area=\"heap\", id=~\"G1.*\"})",
                        new String[] { "jvm_memory_used_bytes" }));
    }

    @ParameterizedTest
    @MethodSource("expressions")
    void findsTheMetricsAQueryReadsAndNothingElse(String expression, String[] metrics) {
        assertThat(PromQlMetricNames.of(expression)).containsExactly(metrics);
    }

}
