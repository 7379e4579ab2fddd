package quartet.platform.web;

import java.util.Optional;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Which field of a JSON body could not be bound, and why, in words a client can act on:
 * the path as {@code items[0].quantity}, and for integer fields the rule they broke.
 */
final class JsonFieldErrors {

    record FieldError(String field, String message) {
    }

    private static final Set<Class<?>> INTEGRAL = Set.of(int.class, Integer.class, long.class, Long.class);

    private JsonFieldErrors() {
    }

    static Optional<FieldError> of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
                return Optional.of(new FieldError(path(jackson), message(jackson)));
            }
        }
        return Optional.empty();
    }

    private static String path(JacksonException failure) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : failure.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            }
            else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String message(JacksonException failure) {
        Class<?> target = failure instanceof MismatchedInputException mismatch ? mismatch.getTargetType()
                : failure instanceof InputCoercionException coercion ? coercion.getTargetType() : null;
        if (target == null || !INTEGRAL.contains(target)) {
            return "has the wrong type or form for this field";
        }
        if (failure instanceof InputCoercionException) {
            return "must be an integer between " + minimum(target) + " and " + maximum(target);
        }
        return "must be a JSON integer (no fraction, exponent, quotes, boolean or null)";
    }

    private static String minimum(Class<?> target) {
        return target == int.class || target == Integer.class ? String.valueOf(Integer.MIN_VALUE)
                : String.valueOf(Long.MIN_VALUE);
    }

    private static String maximum(Class<?> target) {
        return target == int.class || target == Integer.class ? String.valueOf(Integer.MAX_VALUE)
                : String.valueOf(Long.MAX_VALUE);
    }

}
