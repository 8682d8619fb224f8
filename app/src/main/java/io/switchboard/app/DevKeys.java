package io.switchboard.app;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * The RSA key pair of the dev and test profiles, made once per JVM. Quarkus loads configuration
 * and the application in different class loaders (and dev mode reloads), so the pair is kept in
 * system properties rather than a static field: every loader then sees the same pair.
 *
 * <p>Never used in the prod profile, where the verification key comes from configuration.
 */
public final class DevKeys {
    private static final String PRIVATE_PROPERTY = "switchboard.dev-keys.private";
    private static final String PUBLIC_PROPERTY = "switchboard.dev-keys.public";

    private DevKeys() {}

    /** The public key, as PEM. */
    public static String publicKeyPem() {
        ensureGenerated();
        return "-----BEGIN PUBLIC KEY-----\n" + System.getProperty(PUBLIC_PROPERTY) + "\n-----END PUBLIC KEY-----\n";
    }

    /** The private key that signs dev tokens. */
    public static PrivateKey privateKey() {
        ensureGenerated();
        byte[] der = Base64.getDecoder().decode(System.getProperty(PRIVATE_PROPERTY));
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("the dev key pair cannot be read", e);
        }
    }

    private static void ensureGenerated() {
        synchronized (System.class) {
            if (System.getProperty(PRIVATE_PROPERTY) != null) {
                return;
            }
            KeyPair pair;
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                pair = generator.generateKeyPair();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("RSA is not available", e);
            }
            System.setProperty(
                    PUBLIC_PROPERTY,
                    Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
            System.setProperty(
                    PRIVATE_PROPERTY,
                    Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
        }
    }
}
