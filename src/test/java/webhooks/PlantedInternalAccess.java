package webhooks;

import payments.internal.PlantedPaymentsInternal;

/** Test-only: a planted violation, webhooks reaching into payments' internals. */
class PlantedInternalAccess {

    PlantedPaymentsInternal internal;

}
