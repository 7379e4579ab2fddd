package quartet.deploy;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/**
 * The part of two operators' custom resources that this project's manifests use, typed
 * after their API references (CloudNativePG 1.27 {@code postgresql.cnpg.io/v1 Cluster};
 * RabbitMQ cluster operator 2.x {@code rabbitmq.com/v1beta1 RabbitmqCluster}), with
 * Kubernetes' own types where the operators embed them. Decoded strictly by
 * {@link ManifestSchemas}: a field that is not here is refused. This checks our use of
 * these kinds, not the whole schema: add a field here, after its reference, when a
 * manifest needs it.
 */
final class OperatorResources {

    private OperatorResources() {
    }

    record CloudNativePgCluster(String apiVersion, String kind, ObjectMeta metadata, ClusterSpec spec) {
    }

    record ClusterSpec(Integer instances, String imageName, UpdateStrategy primaryUpdateStrategy, Bootstrap bootstrap,
            PostgresConfiguration postgresql, Storage storage, ResourceRequirements resources) {
    }

    enum UpdateStrategy {

        @JsonProperty("unsupervised")
        UNSUPERVISED, @JsonProperty("supervised")
        SUPERVISED

    }

    record Bootstrap(InitDb initdb) {
    }

    record InitDb(String database, String owner) {
    }

    record PostgresConfiguration(Map<String, String> parameters) {
    }

    record Storage(Quantity size, String storageClass) {
    }

    record RabbitmqCluster(String apiVersion, String kind, ObjectMeta metadata, RabbitmqClusterSpec spec) {
    }

    record RabbitmqClusterSpec(Integer replicas, String image, Persistence persistence, ResourceRequirements resources,
            RabbitmqConfiguration rabbitmq) {
    }

    record Persistence(String storageClassName, Quantity storage) {
    }

    record RabbitmqConfiguration(List<String> additionalPlugins, String additionalConfig) {
    }

}
