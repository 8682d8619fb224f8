package io.switchboard.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.smallrye.config.WithDefault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests that {@code quarkus-kubernetes} writes when the {@code app} module is
 * packaged: what a cluster of Switchboard nodes needs from them.
 */
class KubernetesManifestTest {
    private static JsonNode deployment;
    private static List<String> kinds;

    @BeforeAll
    static void read() throws Exception {
        Path manifests =
                Path.of(System.getProperty("switchboard.app.kubernetes", "../app/target/kubernetes/kubernetes.yml"));
        assertTrue(Files.isRegularFile(manifests), "the app module was not packaged: no " + manifests);
        kinds = new ArrayList<>();
        try (MappingIterator<JsonNode> documents =
                new YAMLMapper().readerFor(JsonNode.class).readValues(manifests.toFile())) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                kinds.add(document.path("kind").asText());
                if ("Deployment".equals(document.path("kind").asText())) {
                    deployment = document;
                }
            }
        }
        assertTrue(deployment != null, "a Deployment among " + kinds);
    }

    private static JsonNode container() {
        JsonNode containers = deployment.at("/spec/template/spec/containers");
        assertEquals(1, containers.size(), "one container");
        return containers.get(0);
    }

    @Test
    void severalReplicasOfOneImage() {
        assertEquals("switchboard", deployment.at("/metadata/name").asText());
        assertTrue(deployment.at("/spec/replicas").asInt() >= 2, "replicas: " + deployment.at("/spec/replicas"));
        assertTrue(
                container().path("image").asText().contains("switchboard/switchboard:"),
                container().path("image").asText());
        assertEquals(List.of("Service", "Deployment"), kinds, "nothing that needs a CRD (a ServiceMonitor would)");
    }

    @Test
    void probesAskTheHealthChecks() {
        assertEquals(
                "/q/health/ready",
                container().at("/readinessProbe/httpGet/path").asText());
        assertEquals(
                "/q/health/live", container().at("/livenessProbe/httpGet/path").asText());
        assertEquals(8080, container().at("/readinessProbe/httpGet/port").asInt());
        assertEquals(8080, container().at("/livenessProbe/httpGet/port").asInt());
    }

    @Test
    void settingsComeFromAConfigMapAndRedisFromASecret() {
        Set<String> sources = new TreeSet<>();
        container()
                .path("envFrom")
                .forEach(source -> source.fields()
                        .forEachRemaining(ref -> sources.add(
                                ref.getKey() + ":" + ref.getValue().path("name").asText())));
        assertEquals(Set.of("configMapRef:switchboard-config", "secretRef:switchboard-redis"), sources);
    }

    /** A pod killed before it closed its connections would leave its tabs to find out by themselves. */
    @Test
    void theGracePeriodOutlastsTheShutdown() throws Exception {
        long graceSeconds = deployment
                .at("/spec/template/spec/terminationGracePeriodSeconds")
                .asLong();
        Duration shutdownTimeout = Duration.parse("PT"
                + Class.forName("io.switchboard.websocket.core.internal.WebSocketSettings")
                        .getMethod("shutdownTimeout")
                        .getAnnotation(WithDefault.class)
                        .value());
        assertTrue(
                graceSeconds >= shutdownTimeout.toSeconds() + 10,
                "terminationGracePeriodSeconds " + graceSeconds + " leaves time beyond the shutdown timeout of "
                        + shutdownTimeout.toSeconds() + " s for the runs to end and the node to leave the cluster");
    }

    /** The image touches its whole heap, three quarters of the memory limit, when it starts. */
    @Test
    void memoryIsLimitedAndRequestedAlike() {
        String limit = container().at("/resources/limits/memory").asText();
        assertTrue(!limit.isEmpty(), "a memory limit: without one the heap would follow the host's memory");
        assertEquals(limit, container().at("/resources/requests/memory").asText(), "memory requested as limited");
    }
}
