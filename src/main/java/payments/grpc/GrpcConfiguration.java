package payments.grpc;

import io.grpc.ServerInterceptor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.grpc.server.GlobalServerInterceptor;
import ratelimit.RouteLimits;

/**
 * FlowPay's gRPC interceptors, inside the platform's API-key check (outermost): the rate
 * limit first, as the HTTP filter runs right after authentication, then the call context
 * the services read their client, idempotency-key and replay mark from.
 */
@Configuration(proxyBeanMethods = false)
class GrpcConfiguration {

    @Bean
    @GlobalServerInterceptor
    @Order(Ordered.HIGHEST_PRECEDENCE + 10)
    ServerInterceptor grpcRateLimits(RouteLimits limits) {
        return new GrpcRateLimits(limits);
    }

    @Bean
    @GlobalServerInterceptor
    @Order(Ordered.HIGHEST_PRECEDENCE + 20)
    ServerInterceptor grpcCallContext() {
        return GrpcCalls.interceptor();
    }

}
