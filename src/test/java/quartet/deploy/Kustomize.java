package quartet.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code kubectl kustomize DIR}: renders a kustomization as the cluster would receive it,
 * without a cluster.
 */
final class Kustomize {

    private Kustomize() {
    }

    static String build(Path kustomization) {
        ProcessBuilder command = new ProcessBuilder("kubectl", "kustomize", kustomization.toString());
        Process kubectl;
        try {
            kubectl = command.start();
        }
        catch (IOException e) {
            throw new IllegalStateException(
                    "kubectl is needed to build the Kubernetes manifests (Debian: apt-get install kubectl)", e);
        }
        try {
            CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> read(kubectl.getErrorStream()));
            String output = read(kubectl.getInputStream());
            if (!kubectl.waitFor(2, TimeUnit.MINUTES)) {
                kubectl.destroyForcibly();
                throw new IllegalStateException("kubectl kustomize " + kustomization + " did not finish in 2 minutes");
            }
            if (kubectl.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + kustomization + " failed: " + errors.join());
            }
            return output;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kubectl.destroyForcibly();
            throw new IllegalStateException(e);
        }
    }

    private static String read(java.io.InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
