package webhooks.endpoint;

import java.net.URI;
import java.util.UUID;

/**
 * Where and how a delivery is sent: the endpoint's URL and signing secret.
 *
 * @param enabled false once the endpoint was disabled; nothing is sent to it then
 */
public record DeliveryTarget(UUID endpointId, URI url, String secret, boolean enabled) {

    @Override
    public String toString() {
        return "DeliveryTarget[" + endpointId + ", " + url + "]"; // never the secret
    }
}
