/**
 * The Switchboard application: assembles the WebSocket core, tools, agents, notifications and
 * admin into one Quarkus service, and holds the configuration that differs from the modules'
 * defaults ({@code application.properties}).
 *
 * <p>In the dev and test profiles only, it makes a signing key pair at startup
 * ({@link io.switchboard.app.DevKeys}), configures SmallRye JWT to trust it, and serves
 * {@code GET /dev/token} so that the server works with no identity provider. Quarkus runs this
 * module on the class path; this descriptor is checked by javac.
 */
module io.switchboard.app {
    requires io.switchboard.websocket.core;
    requires io.switchboard.tools;
    requires io.switchboard.agent;
    requires io.switchboard.notifications;
    requires io.switchboard.admin;
    requires org.eclipse.microprofile.config;
    requires smallrye.jwt.build;
    requires quarkus.arc;
    requires jakarta.inject;
    requires jakarta.ws.rs;
    requires jakarta.annotation;
    requires org.eclipse.microprofile.openapi;

    exports io.switchboard.app;

    provides org.eclipse.microprofile.config.spi.ConfigSource with
            io.switchboard.app.DevKeyConfigSource;
}
