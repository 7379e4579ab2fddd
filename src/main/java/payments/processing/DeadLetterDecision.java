package payments.processing;

/**
 * What becomes of a payment whose processing request reached the dead-letter topic. The
 * rule: never FAIL a payment the provider may have approved, and never charge twice. Only
 * the provider knows whether it approved, so it is asked first; a payment is FAILED only
 * when every attempt ended at the provider with a transient failure and the provider
 * confirms it holds no charge.
 * <table>
 * <caption>The decision table</caption>
 * <tr>
 * <th>payment</th>
 * <th>provider's record</th>
 * <th>why the attempts ran out</th>
 * <th>action</th>
 * </tr>
 * <tr>
 * <td>unknown or settled</td>
 * <td>any</td>
 * <td>any</td>
 * <td>nothing</td>
 * </tr>
 * <tr>
 * <td>open</td>
 * <td>an outcome</td>
 * <td>any</td>
 * <td>settle with the provider's outcome</td>
 * </tr>
 * <tr>
 * <td>open</td>
 * <td>cannot be asked</td>
 * <td>any</td>
 * <td>leave it to the reconciler</td>
 * </tr>
 * <tr>
 * <td>open</td>
 * <td>no charge</td>
 * <td>provider unavailable</td>
 * <td>FAIL: retries exhausted</td>
 * </tr>
 * <tr>
 * <td>open</td>
 * <td>no charge</td>
 * <td>database unavailable</td>
 * <td>process it once more</td>
 * </tr>
 * <tr>
 * <td>open</td>
 * <td>no charge</td>
 * <td>anything else</td>
 * <td>leave it to the reconciler</td>
 * </tr>
 * </table>
 */
final class DeadLetterDecision {

    /**
     * Why the processing attempts ran out, as the dead-letter record's exception tells.
     */
    enum Cause {

        PROVIDER_UNAVAILABLE, DATABASE_UNAVAILABLE, OTHER;

        /**
         * Reads the cause from the dead-letter record's stack trace, which names every
         * exception of the chain.
         */
        static Cause fromStackTrace(String stackTrace) {
            if (stackTrace == null) {
                return OTHER;
            }
            if (stackTrace.contains(PaymentProvider.TransientProviderFailure.class.getName())) {
                return PROVIDER_UNAVAILABLE;
            }
            if (stackTrace.contains(TransientDatabaseFailure.class.getName())) {
                return DATABASE_UNAVAILABLE;
            }
            return OTHER;
        }

    }

    /** What the provider says when asked about the payment. */
    enum ProviderRecord {

        /** It approved or declined the charge. */
        OUTCOME,
        /** It holds no charge for the payment. */
        NO_CHARGE,
        /** It could not be asked. */
        UNREACHABLE

    }

    enum Action {

        NOTHING, SETTLE_WITH_PROVIDER_OUTCOME, FAIL_RETRIES_EXHAUSTED,
        /**
         * Every attempt failed at the database and the provider has not charged: one more
         * attempt, now that the database answers.
         */
        PROCESS_AGAIN,
        /**
         * Ask the provider again later (PaymentReconciler), as for a processor that
         * crashed mid-charge.
         */
        LEAVE_TO_RECONCILER

    }

    private DeadLetterDecision() {
    }

    static Action decide(boolean paymentOpen, ProviderRecord provider, Cause cause) {
        if (!paymentOpen) {
            return Action.NOTHING;
        }
        return switch (provider) {
            case OUTCOME -> Action.SETTLE_WITH_PROVIDER_OUTCOME;
            case UNREACHABLE -> Action.LEAVE_TO_RECONCILER;
            case NO_CHARGE -> switch (cause) {
                case PROVIDER_UNAVAILABLE -> Action.FAIL_RETRIES_EXHAUSTED;
                case DATABASE_UNAVAILABLE -> Action.PROCESS_AGAIN;
                case OTHER -> Action.LEAVE_TO_RECONCILER;
            };
        };
    }

}
