package io.switchboard.websocket.core.internal;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Stops startup when tokens could not be verified: without a verification key and an issuer, every
 * connection would be refused with a 401 that explains nothing.
 */
@Singleton
final class AuthenticationConfigCheck {

    void onStart(@Observes StartupEvent event) {
        List<String> missing = missing(ConfigProvider.getConfig());
        if (!missing.isEmpty()) {
            throw new IllegalStateException(
                    "Switchboard cannot verify bearer tokens: set " + String.join(" and ", missing)
                            + " (the identity provider's RS256 public key and its issuer; see README.md, 'Configuration')");
        }
    }

    static List<String> missing(Config config) {
        List<String> missing = new ArrayList<>();
        if (config.getOptionalValue("mp.jwt.verify.publickey.location", String.class)
                        .isEmpty()
                && config.getOptionalValue("mp.jwt.verify.publickey", String.class)
                        .isEmpty()) {
            missing.add("mp.jwt.verify.publickey.location");
        }
        if (config.getOptionalValue("mp.jwt.verify.issuer", String.class).isEmpty()) {
            missing.add("mp.jwt.verify.issuer");
        }
        return missing;
    }
}
