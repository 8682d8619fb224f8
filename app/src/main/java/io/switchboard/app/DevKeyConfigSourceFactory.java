package io.switchboard.app;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import java.util.List;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Adds {@link DevKeyConfigSource} in the dev and test profiles, and nothing in any other: in prod no
 * dev key pair is made, and none is trusted.
 */
public final class DevKeyConfigSourceFactory implements ConfigSourceFactory {
    private static final List<String> DEV_PROFILES = List.of("dev", "test");

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        boolean dev = context.getProfiles().stream().anyMatch(DEV_PROFILES::contains);
        return dev ? List.of(new DevKeyConfigSource()) : List.of();
    }
}
