/**
 * FlowPay over gRPC: what the gRPC services of orders and payments share. The services
 * themselves sit next to the HTTP controllers (payments.order, payments.payment) and call
 * the same use cases; this package holds the call's context (API client, idempotency-key,
 * the replay mark), the mapping of HTTP problems to google.rpc.Status, the rate limit and
 * the settings. The generated contract lives in payments.grpc.v1 (from src/main/proto).
 */
@NullMarked
package payments.grpc;

import org.jspecify.annotations.NullMarked;
