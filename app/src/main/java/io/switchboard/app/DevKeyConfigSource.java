package io.switchboard.app;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Makes SmallRye JWT trust {@link DevKeys} in the dev and test profiles (the keys it serves carry
 * the profile prefix, so the prod profile never sees them). Lowest priority: configuration can
 * always name another key.
 */
public final class DevKeyConfigSource implements ConfigSource {
    private static final Set<String> NAMES = Set.of("%dev.mp.jwt.verify.publickey", "%test.mp.jwt.verify.publickey");

    @Override
    public Set<String> getPropertyNames() {
        return NAMES;
    }

    @Override
    public Map<String, String> getProperties() {
        String key = DevKeys.publicKeyPem();
        return Map.of("%dev.mp.jwt.verify.publickey", key, "%test.mp.jwt.verify.publickey", key);
    }

    @Override
    public String getValue(String propertyName) {
        return NAMES.contains(propertyName) ? DevKeys.publicKeyPem() : null;
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
