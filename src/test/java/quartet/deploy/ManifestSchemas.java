package quartet.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;

/**
 * Checks Kubernetes objects the way the API server would decode them: each object is read
 * into the generated model of its kind, and a field the schema does not have or a value
 * of the wrong type (a number where a string belongs, a string where a number or a list
 * belongs) is a violation. The models' catch-all "additional properties" are switched
 * off, so nothing unknown is silently kept.
 *
 * <p>
 * Where the schemas come from, all pinned in the pom:
 * <ul>
 * <li>Kubernetes' own kinds: the fabric8 kubernetes-model classes (7.4.0, generated from
 * the Kubernetes 1.33 API), which Strimzi's api jar brings.
 * <li>Strimzi's {@code Kafka} and {@code KafkaNodePool}: Strimzi's own CRD model
 * ({@code io.strimzi:api}, the classes its CRDs are generated from).
 * <li>CloudNativePG's {@code Cluster} and the RabbitMQ operator's
 * {@code RabbitmqCluster}: no registry here serves their schemas, so
 * {@link OperatorResources} models the part of their spec this project uses (from their
 * API references), strict in the same way; a field outside that part is refused until
 * someone adds it there.
 * </ul>
 * A kind with no schema here is itself a violation: nothing passes unchecked.
 */
final class ManifestSchemas {

    /** {@code apiVersion/kind} to the model that decodes it. */
    private static final Map<String, Class<?>> MODELS = Map.ofEntries(Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class), Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class), Map.entry("v1/Service", Service.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("kafka.strimzi.io/v1/Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1/KafkaNodePool", KafkaNodePool.class),
            Map.entry("postgresql.cnpg.io/v1/Cluster", OperatorResources.CloudNativePgCluster.class),
            Map.entry("rabbitmq.com/v1beta1/RabbitmqCluster", OperatorResources.RabbitmqCluster.class));

    private static final YAMLMapper YAML = new YAMLMapper();

    private final ObjectMapper strict = strictMapper();

    /**
     * Every object in a multi-document YAML stream ({@code kubectl kustomize} output).
     */
    static List<JsonNode> objects(String yaml) {
        try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
            List<JsonNode> objects = new ArrayList<>();
            while (documents.hasNext()) {
                JsonNode object = documents.next();
                if (object != null && !object.isNull() && !object.isMissingNode()) {
                    objects.add(object);
                }
            }
            return objects;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One line per violation, naming the object and the path of the offending field;
     * empty when all are valid.
     */
    List<String> violations(String yaml) {
        List<String> violations = new ArrayList<>();
        for (JsonNode object : objects(yaml)) {
            String type = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
            String name = type + " " + object.path("metadata").path("name").asText("(no name)");
            Class<?> model = MODELS.get(type);
            if (model == null) {
                violations.add(name + ": no schema for " + type + " (ManifestSchemas.MODELS)");
                continue;
            }
            try {
                strict.readerFor(model).readValue(object);
            }
            catch (JsonMappingException e) {
                violations.add(name + ": " + path(e) + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
            }
            catch (IOException e) {
                violations.add(name + ": " + e.getMessage());
            }
        }
        return violations;
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
            }
            else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "(object)" : path.toString();
    }

    private static ObjectMapper strictMapper() {
        SimpleModule noCatchAll = new SimpleModule("no-additional-properties");
        noCatchAll.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription description,
                    BeanDeserializerBuilder builder) {
                // The models keep unknown fields in a map; the API server refuses them
                // (strict decoding).
                builder.setAnySetter(null);
                builder.setIgnoreUnknownProperties(false);
                return builder;
            }
        });
        JsonMapper mapper = JsonMapper.builder()
            .addModule(noCatchAll)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .build();
        // Go's JSON decoding in the API server converts nothing: "3" is no integer, 3 is
        // no string.
        for (LogicalType numberOrFlag : new LogicalType[] { LogicalType.Integer, LogicalType.Float,
                LogicalType.Boolean }) {
            mapper.coercionConfigFor(numberOrFlag).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        for (CoercionInputShape scalar : new CoercionInputShape[] { CoercionInputShape.Integer,
                CoercionInputShape.Float, CoercionInputShape.Boolean }) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(scalar, CoercionAction.Fail);
        }
        return mapper;
    }

}
