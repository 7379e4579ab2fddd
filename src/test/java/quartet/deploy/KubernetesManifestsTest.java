package quartet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import org.junit.jupiter.api.Test;

/**
 * The manifests under deploy/kubernetes: every kustomization (the base and each overlay)
 * builds with {@code kubectl kustomize}, every object it renders passes
 * {@link ManifestSchemas}, and the rendered Deployment keeps the promises
 * docs/operations.md makes. No cluster is involved.
 */
class KubernetesManifestsTest {

    private static final Path KUBERNETES = Path.of("deploy", "kubernetes");

    private static final Path OPERATORS_OVERLAY = KUBERNETES.resolve("overlays").resolve("operators");

    private final ManifestSchemas schemas = new ManifestSchemas();

    @Test
    void buildsEveryKustomizationIntoObjectsThatMatchTheirSchemas() throws IOException {
        List<Path> kustomizations = kustomizations();
        assertThat(kustomizations).contains(KUBERNETES.resolve("base"), OPERATORS_OVERLAY);

        for (Path kustomization : kustomizations) {
            String rendered = Kustomize.build(kustomization);

            assertThat(ManifestSchemas.objects(rendered)).as(kustomization.toString()).isNotEmpty();
            assertThat(schemas.violations(rendered)).as(kustomization.toString()).isEmpty();
        }
    }

    @Test
    void refusesEachPlantedMistakeWithTheObjectAndFieldItIsIn() {
        String rendered = Kustomize.build(Path.of("src", "test", "resources", "deploy", "broken"));

        List<String> violations = schemas.violations(rendered);

        assertThat(violations).hasSize(7);
        assertThat(violations).anySatisfy(v -> assertThat(v).startsWith(
                "apps/v1/Deployment unknown-field: spec.template.spec.containers[0].imagePullPolicyy: Unrecognized field"));
        assertThat(violations)
            .anySatisfy(v -> assertThat(v).startsWith("apps/v1/Deployment quoted-replicas: spec.replicas: "));
        assertThat(violations)
            .anySatisfy(v -> assertThat(v).startsWith("v1/ConfigMap unquoted-value: data.SPRING_GRPC_SERVER_PORT: "));
        assertThat(violations).anySatisfy(v -> assertThat(v).startsWith("v1/Service port-not-a-list: spec.ports: "));
        assertThat(violations).anySatisfy(v -> assertThat(v)
            .startsWith("kafka.strimzi.io/v1/Kafka misspelt-listeners: spec.kafka.listenerz: Unrecognized field"));
        assertThat(violations).anySatisfy(v -> assertThat(v)
            .startsWith("postgresql.cnpg.io/v1/Cluster misspelt-instances: spec.instance: Unrecognized field"));
        assertThat(violations).anySatisfy(v -> assertThat(v)
            .isEqualTo("apps/v1/DaemonSett unknown-kind: no schema for apps/v1/DaemonSett (ManifestSchemas.MODELS)"));
    }

    @Test
    void runsThreeNonRootReadOnlyInstancesWithProbesOnTheHealthGroupsAndAGracefulStop() {
        List<JsonNode> objects = ManifestSchemas.objects(Kustomize.build(OPERATORS_OVERLAY));
        JsonNode deployment = only(objects, "Deployment", "quartet");
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").path(0);

        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(container.path("startupProbe").path("httpGet").path("path").asText())
            .isEqualTo("/actuator/health/liveness");
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
            .isEqualTo("/actuator/health/liveness");
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
            .isEqualTo("/actuator/health/readiness");
        assertThat(container.path("resources").path("requests").path("memory").asText()).isNotEmpty();
        assertThat(container.path("resources").path("limits").path("memory").asText()).isNotEmpty();
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        int preStop = container.path("lifecycle").path("preStop").path("sleep").path("seconds").asInt();
        assertThat(preStop).isPositive();
        // The preStop delay and Spring's 30 s shutdown phase both fit in the grace
        // period.
        assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isGreaterThan(preStop + 30);

        assertThat(names(container.path("ports"))).containsExactly("http", "grpc");
        assertThat(names(only(objects, "Service", "quartet").path("spec").path("ports"))).containsExactly("http",
                "grpc");
        assertThat(only(objects, "PodDisruptionBudget", "quartet").path("spec").path("minAvailable").asInt())
            .isEqualTo(2);
        assertThat(only(objects, "HorizontalPodAutoscaler", "quartet").path("spec").path("minReplicas").asInt())
            .isEqualTo(3);
    }

    @Test
    void configuresEveryVariableComposeSetsWithTheEmbeddedEnginesOffAndJsonLogs() throws IOException {
        List<JsonNode> objects = ManifestSchemas.objects(Kustomize.build(OPERATORS_OVERLAY));
        JsonNode container = only(objects, "Deployment", "quartet").path("spec")
            .path("template")
            .path("spec")
            .path("containers")
            .path(0);
        String configMapName = container.path("envFrom").findValue("configMapRef").path("name").asText();
        JsonNode config = only(objects, "ConfigMap", configMapName).path("data");

        Set<String> configured = new HashSet<>();
        config.fieldNames().forEachRemaining(configured::add);
        container.path("env").forEach(variable -> configured.add(variable.path("name").asText()));
        // The API keys are the operator's own secret (quartet-secrets), as compose takes
        // them from the shell.
        assertThat(container.path("envFrom").findValue("secretRef").path("name").asText()).isEqualTo("quartet-secrets");
        configured.add("QUARTET_PLATFORM_API_KEYS");

        assertThat(configured).containsAll(composeVariables());
        assertThat(config.path("QUARTET_EMBEDDED_ENABLED").asText()).isEqualTo("false");
        assertThat(config.path("QUARTET_DEMO_ENABLED").asText()).isEqualTo("false");
        assertThat(config.path("LOGGING_STRUCTURED_FORMAT_CONSOLE").asText()).isEqualTo("ecs");
    }

    private static Set<String> composeVariables() throws IOException {
        JsonNode compose = new YAMLMapper().readTree(Path.of("compose.yaml").toFile());
        Set<String> variables = new HashSet<>();
        compose.path("services").path("quartet").path("environment").fieldNames().forEachRemaining(variables::add);
        assertThat(variables).contains("SPRING_DATASOURCE_URL", "SPRING_KAFKA_BOOTSTRAP_SERVERS");
        return variables;
    }

    private static List<Path> kustomizations() throws IOException {
        try (Stream<Path> files = Files.walk(KUBERNETES)) {
            return files.filter(file -> file.getFileName().toString().equals("kustomization.yaml"))
                .map(Path::getParent)
                .sorted()
                .toList();
        }
    }

    private static JsonNode only(List<JsonNode> objects, String kind, String name) {
        List<JsonNode> matching = objects.stream()
            .filter(object -> object.path("kind").asText().equals(kind))
            .filter(object -> object.path("metadata").path("name").asText().equals(name))
            .toList();
        assertThat(matching).as(kind + " " + name).hasSize(1);
        return matching.get(0);
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.forEach(item -> names.add(item.path("name").asText()));
        return names;
    }

}
