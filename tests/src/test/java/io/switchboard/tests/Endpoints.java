package io.switchboard.tests;

import java.net.URI;

/** Where the application under test listens. */
final class Endpoints {
    private Endpoints() {}

    /** The {@code ws://} form of an {@code http://} URI. */
    static URI ws(URI http) {
        return URI.create(http.toString().replaceFirst("^http", "ws"));
    }

    static URI ws(URI http, String query) {
        return URI.create(ws(http) + "?" + query);
    }
}
