package payments.internal;

/**
 * Test-only: an internal type of the payments module that another module must not use.
 */
public class PlantedPaymentsInternal {

}
