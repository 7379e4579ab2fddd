package quartet.dashboard;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The dashboard's two server routes: its configuration (the API key only in demo mode;
 * FlowPay's gRPC port whenever its server runs) and the live stream of server-sent
 * events. The page itself is static (static/index.html).
 */
@RestController
class DashboardController {

    private final DashboardStream stream;

    private final DemoSettings demo;

    private final ObjectProvider<GrpcServerLifecycle> grpcServer;

    DashboardController(DashboardStream stream, DemoSettings demo, ObjectProvider<GrpcServerLifecycle> grpcServer) {
        this.stream = stream;
        this.demo = demo;
        this.grpcServer = grpcServer;
    }

    @GetMapping("/dashboard/config")
    ResponseEntity<Map<String, Object>> config() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("demo", demo.enabled());
        if (demo.enabled()) {
            config.put("apiKey", demo.apiKey());
            config.put("receiverPath", "/demo/webhooks");
            config.put("limitedPath", "/demo/limited");
        }
        GrpcServerLifecycle grpc = grpcServer.getIfAvailable();
        if (grpc != null && grpc.getPort() > 0) {
            config.put("grpcPort", grpc.getPort());
        }
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(config);
    }

    @GetMapping(path = "/dashboard/stream", produces = "text/event-stream")
    SseEmitter stream() {
        return stream.subscribe();
    }

}
