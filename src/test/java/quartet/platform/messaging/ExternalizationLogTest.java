package quartet.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import payments.PaymentSucceeded;
import payments.RefundSucceeded;
import quartet.platform.messaging.ExternalizationProbes.KafkaProbe;

class ExternalizationLogTest {

    @Test
    void namesEveryUuidComponentOfAnEventAsItsSubjects() {
        UUID payment = UUID.randomUUID();
        UUID order = UUID.randomUUID();
        UUID refund = UUID.randomUUID();

        assertThat(ExternalizationLog.subjectIds(new PaymentSucceeded(payment, order, 100, "EUR", "demo")))
            .containsExactly(payment, order);
        assertThat(ExternalizationLog.subjectIds(new RefundSucceeded(refund, payment, order, 100, "EUR", true, "demo")))
            .containsExactly(refund, payment, order);
    }

    @Test
    void findsNoSubjectsInEventsWithoutUuids() {
        assertThat(ExternalizationLog.subjectIds(new KafkaProbe(UUID.randomUUID().toString()))).isEmpty();
        assertThat(ExternalizationLog.subjectIds("not a record")).isEmpty();
    }

}
