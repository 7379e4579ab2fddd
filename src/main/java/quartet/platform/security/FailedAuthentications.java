package quartet.platform.security;

import java.io.IOException;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import quartet.platform.web.ProblemResponses;
import ratelimit.ClientAddresses;
import ratelimit.RateLimitDecision;
import ratelimit.RateLimitPolicies;
import ratelimit.RateLimiter;

/**
 * Limits failed authentications per client address through HoldUp, so nobody can guess
 * keys at line rate. Only failures spend from the bucket: a valid key is accepted from a
 * limited address too, so a client behind the same NAT as a guesser keeps working, and a
 * guess costs the guesser whatever the outcome. Counted in {@code quartet.auth.failures}
 * by reason and outcome.
 */
final class FailedAuthentications {

    static final String POLICY = "failed-auth";

    /** Why a request did not authenticate. */
    enum Reason {

        MISSING_KEY("missing-key"), WRONG_KEY("wrong-key");

        private final String tag;

        Reason(String tag) {
            this.tag = tag;
        }

    }

    private static final String RECORDED = FailedAuthentications.class.getName() + ".recorded";

    private final RateLimiter limiter;

    private final ClientAddresses addresses;

    private final MeterRegistry meters;

    FailedAuthentications(RateLimiter limiter, RateLimitPolicies policies, ClientAddresses addresses,
            MeterRegistry meters, int limitPerMinute) {
        // In Redis: a guesser spreading requests over several instances still gets one
        // allowance.
        policies.define(POLICY, limitPerMinute, Duration.ofMinutes(1), true);
        this.limiter = limiter;
        this.addresses = addresses;
        this.meters = meters;
    }

    /**
     * Spends one failure of the request's address, once per request.
     * @return the decision, or null when this request's failure was already recorded
     */
    @Nullable RateLimitDecision record(HttpServletRequest request, Reason reason) {
        if (request.getAttribute(RECORDED) != null) {
            return null;
        }
        request.setAttribute(RECORDED, reason);
        RateLimitDecision decision = limiter.tryAcquire(POLICY, "ip:" + addresses.clientIp(request));
        meters
            .counter("quartet.auth.failures", "reason", reason.tag, "outcome",
                    decision.allowed() ? "unauthorized" : "limited")
            .increment();
        return decision;
    }

    /**
     * Spends one failure of a gRPC call's address; a call is one request, counted once.
     */
    RateLimitDecision record(String clientIp, Reason reason) {
        RateLimitDecision decision = limiter.tryAcquire(POLICY, "ip:" + clientIp);
        meters
            .counter("quartet.auth.failures", "reason", reason.tag, "outcome",
                    decision.allowed() ? "unauthorized" : "limited")
            .increment();
        return decision;
    }

    /** Answers 429 problem+json with Retry-After for an address over its allowance. */
    void reject(HttpServletRequest request, HttpServletResponse response, RateLimitDecision decision)
            throws IOException {
        long retryAfter = decision.retryAfterSeconds();
        ProblemDetail problem = ProblemResponses.problem(HttpStatus.TOO_MANY_REQUESTS,
                "Too many failed authentications from this address; retry in " + retryAfter + " s.", request);
        problem.setProperty("policy", decision.policy());
        response.setHeader("Retry-After", Long.toString(retryAfter));
        // with its documented type and code, like every problem
        ProblemResponses.write(response, problem);
    }

}
