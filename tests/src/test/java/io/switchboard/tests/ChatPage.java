package io.switchboard.tests;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** The chat page at {@code /}, as the browser tests see it. */
final class ChatPage {
    private static final String RUNS = "return Array.from(document.querySelectorAll('.run')).map(r => ({"
            + "run_id: r.dataset.runId, thread_id: r.dataset.threadId, status: r.dataset.status,"
            + "types: Array.from(r.querySelectorAll('.step')).map(s => s.dataset.type),"
            + "text: r.innerText}))";
    private static final String EVENT_IDS =
            "return Array.from(document.querySelectorAll('[data-event-id]'))" + ".map(e => Number(e.dataset.eventId))";

    final Browser browser;

    ChatPage(Browser browser) {
        this.browser = browser;
    }

    /** Opens the page, signs in with a dev token for the user and waits until connected. */
    ChatPage signIn(URI base, String user) throws InterruptedException, IOException {
        browser.get(base);
        browser.type("#user-name", user);
        browser.click("#sign-in-form button[type=submit]");
        awaitConnected(1);
        return this;
    }

    void awaitConnected(int connections) throws InterruptedException, IOException {
        browser.await(
                "a connection (#" + connections + ")",
                () -> "open".equals(browser.attribute("#connection", "data-state"))
                        && Integer.parseInt(browser.attribute("#connection", "data-connections")) >= connections);
    }

    int connections() {
        return Integer.parseInt(browser.attribute("#connection", "data-connections"));
    }

    void send(String message) {
        browser.type("#message", message);
        browser.click("#send");
    }

    List<Map<String, Object>> runs() {
        return browser.script(RUNS);
    }

    Map<String, Object> awaitRun(int index, String status) throws InterruptedException, IOException {
        browser.await(
                "run " + index + " " + status,
                () -> runs().size() > index && status.equals(runs().get(index).get("status")));
        return runs().get(index);
    }

    /** Sends a message and waits until its run shows a step of the type: the run is under way. */
    void sendAndAwaitStep(String message, String type) throws InterruptedException, IOException {
        send(message);
        awaitStep(type);
    }

    void awaitStep(String type) throws InterruptedException, IOException {
        browser.await(
                "a step " + type,
                () -> browser.<Long>script(
                                "return document.querySelectorAll('.step[data-type=\"" + type + "\"]').length")
                        > 0);
    }

    List<String> notificationTitles() {
        return browser.script("return Array.from(document.querySelectorAll('#notification-list .notification .title'))"
                + ".map(e => e.textContent)");
    }

    /** Every event id the page shows (run steps and notifications), in the order of the page. */
    List<Long> eventIds() {
        return browser.script(EVENT_IDS);
    }
}
