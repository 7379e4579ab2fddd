package webhooks.endpoint;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import webhooks.WebhooksSettings;
import webhooks.ownership.Caller;

/**
 * Registers, lists, switches and removes webhook endpoints, and rotates their secrets. An
 * endpoint belongs to the client that registered it: another client gets 404 for it and
 * never sees it listed; an admin sees and manages every client's.
 */
@RestController
@RequestMapping("/api/webhooks/endpoints")
class EndpointController {

    private final Endpoints endpoints;

    private final DestinationGuard guard;

    private final Duration rotationGrace;

    EndpointController(Endpoints endpoints, DestinationGuard guard, WebhooksSettings settings) {
        this.endpoints = endpoints;
        this.guard = guard;
        this.rotationGrace = settings.secretRotationGrace();
    }

    /**
     * A new endpoint.
     *
     * @param enabled whether it receives deliveries at once; true when absent
     * @param rateLimitPerSecond deliveries per second to this endpoint; the configured
     * default when absent
     * @param maxConcurrentAttempts attempts in flight at once to this endpoint; the
     * configured default when absent
     */
    record NewEndpoint(@NotBlank @Size(max = 2048) String url, @Size(max = 500) String description,
            @NotEmpty @Size(max = 50) List<@NotBlank String> eventTypes, Boolean enabled,
            @Min(1) @Max(1000) Integer rateLimitPerSecond, @Min(1) @Max(256) Integer maxConcurrentAttempts) {
    }

    /**
     * A change of the enabled flag, the rate limit, the concurrency bound, or several;
     * absent fields stay as they are.
     */
    record EndpointChange(Boolean enabled, @Min(1) @Max(1000) Integer rateLimitPerSecond,
            @Min(1) @Max(256) Integer maxConcurrentAttempts) {
    }

    @PostMapping
    ResponseEntity<Endpoint> create(@Valid @RequestBody NewEndpoint request, Authentication client) {
        URI url = parse(request.url());
        try {
            guard.check(url);
        }
        catch (DestinationGuard.RefusedDestination e) {
            ResponseStatusException refused = new ResponseStatusException(HttpStatus.UNPROCESSABLE_CONTENT,
                    e.getMessage());
            refused.setType(URI.create("/problems/destination-refused"));
            throw refused;
        }
        request.eventTypes().stream().filter(type -> !EventTypes.isValidFilter(type)).findFirst().ifPresent(type -> {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Not an event type filter: " + type
                    + " (use a type such as payment.succeeded, a prefix such as payment.*, or *).");
        });
        String secret = EndpointSecrets.generate();
        Endpoint created = endpoints.create(client.getName(), url.toString(), request.description(),
                List.copyOf(request.eventTypes()), request.enabled() == null || request.enabled(),
                request.rateLimitPerSecond(), request.maxConcurrentAttempts(), secret);
        return ResponseEntity.created(URI.create("/api/webhooks/endpoints/" + created.id()))
            .body(created.withSecret(secret));
    }

    @GetMapping
    List<Endpoint> list(Authentication client) {
        return endpoints.all(Caller.of(client));
    }

    @GetMapping("/{id}")
    Endpoint get(@PathVariable UUID id, Authentication client) {
        return endpoints.find(id, Caller.of(client)).orElseThrow(() -> notFound(id));
    }

    @PatchMapping("/{id}")
    Endpoint change(@PathVariable UUID id, @Valid @RequestBody EndpointChange change, Authentication client) {
        Caller caller = Caller.of(client);
        if (change.enabled() == null && change.rateLimitPerSecond() == null && change.maxConcurrentAttempts() == null) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "Nothing to change: send enabled, rateLimitPerSecond, maxConcurrentAttempts or several.");
        }
        if (change.rateLimitPerSecond() != null) {
            endpoints.setRateLimit(id, change.rateLimitPerSecond(), caller).orElseThrow(() -> notFound(id));
        }
        if (change.maxConcurrentAttempts() != null) {
            endpoints.setMaxConcurrentAttempts(id, change.maxConcurrentAttempts(), caller)
                .orElseThrow(() -> notFound(id));
        }
        if (change.enabled() != null) {
            endpoints.setEnabled(id, change.enabled(), caller).orElseThrow(() -> notFound(id));
        }
        return endpoints.find(id, caller).orElseThrow(() -> notFound(id));
    }

    /**
     * Gives the endpoint a new secret, shown this once. The replaced secret stays valid
     * for the configured grace period, and every request meanwhile carries a signature
     * with each.
     */
    @PostMapping("/{id}/secret/rotate")
    Endpoints.Rotation rotateSecret(@PathVariable UUID id, Authentication client) {
        return endpoints.rotateSecret(id, EndpointSecrets.generate(), rotationGrace, Caller.of(client))
            .orElseThrow(() -> notFound(id));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable UUID id, Authentication client) {
        if (!endpoints.delete(id, Caller.of(client))) {
            throw notFound(id);
        }
        return ResponseEntity.noContent().build();
    }

    private static URI parse(String url) {
        try {
            URI uri = new URI(url);
            if (!uri.isAbsolute()) {
                throw new URISyntaxException(url, "not absolute");
            }
            // java.net.URI reads any digits as a port; a TCP port is 1 to 65535.
            if (uri.getPort() == 0 || uri.getPort() > 65_535) {
                throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                        "The URL's port must be between 1 and 65535: " + url);
            }
            return uri;
        }
        catch (URISyntaxException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Not an absolute URL: " + url);
        }
    }

    private static ResponseStatusException notFound(UUID id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No webhook endpoint " + id + ".");
    }

}
