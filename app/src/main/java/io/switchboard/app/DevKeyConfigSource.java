package io.switchboard.app;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Makes SmallRye JWT trust {@link DevKeys}: serves {@code mp.jwt.verify.publickey}. Only
 * {@link DevKeyConfigSourceFactory} makes one, and only in the dev and test profiles. Lowest
 * priority: configuration can always name another key.
 */
final class DevKeyConfigSource implements ConfigSource {
    static final String PUBLIC_KEY = "mp.jwt.verify.publickey";

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(PUBLIC_KEY);
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(PUBLIC_KEY, DevKeys.publicKeyPem());
    }

    @Override
    public String getValue(String propertyName) {
        return PUBLIC_KEY.equals(propertyName) ? DevKeys.publicKeyPem() : null;
    }

    @Override
    public String getName() {
        return "switchboard-dev-keys";
    }

    @Override
    public int getOrdinal() {
        return 50;
    }
}
