package payments.grpc;

import java.time.Instant;
import java.util.UUID;

import com.google.protobuf.Timestamp;
import org.jspecify.annotations.Nullable;

/** Conversions between the contract's values and FlowPay's. */
public final class GrpcValues {

    private GrpcValues() {
    }

    /** A UUID field; empty or malformed is INVALID_ARGUMENT naming the field. */
    public static UUID uuid(String field, String value) {
        UUID parsed = uuidOrNull(field, value);
        if (parsed == null) {
            throw GrpcProblems.invalidField(field, "is required (a UUID)");
        }
        return parsed;
    }

    /**
     * A UUID field that Bean Validation checks for presence: empty is null, malformed is
     * INVALID_ARGUMENT.
     */
    public static @Nullable UUID uuidOrNull(String field, @Nullable String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            UUID parsed = UUID.fromString(value);
            if (!parsed.toString().equalsIgnoreCase(value)) {
                throw new IllegalArgumentException(value);
            }
            return parsed;
        }
        catch (IllegalArgumentException e) {
            throw GrpcProblems.invalidField(field, "must be a UUID");
        }
    }

    public static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    /** Proto strings are never null: an empty one stands for an absent value. */
    public static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    public static String orNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

}
