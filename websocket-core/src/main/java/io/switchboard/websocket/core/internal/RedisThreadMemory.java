package io.switchboard.websocket.core.internal;

import io.switchboard.websocket.core.ThreadMemory;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** The {@link ThreadMemory} of cluster mode: a list per user and thread in Redis, in the user's slot. */
@Singleton
@Typed(RedisThreadMemory.class)
final class RedisThreadMemory implements ThreadMemory {
    private final RedisLink link;
    private final ClusterKeys keys;

    @Inject
    RedisThreadMemory(RedisLink link) {
        this.link = link;
        this.keys = link.keys();
    }

    /** The memory the application uses: this one in cluster mode, the node's own heap otherwise. */
    @Produces
    @Singleton
    ThreadMemory memory() {
        return link.enabled() ? this : new LocalThreadMemory();
    }

    @Override
    public CompletionStage<List<String>> read(String userId, String threadId) {
        return link.send(Request.cmd(Command.LRANGE)
                        .arg(keys.threadMemory(userId, threadId))
                        .arg(0)
                        .arg(-1))
                .map(RedisThreadMemory::strings)
                .toCompletionStage();
    }

    private static List<String> strings(Response list) {
        List<String> values = new ArrayList<>();
        if (list != null) {
            list.forEach(value -> values.add(value.toString()));
        }
        return values;
    }

    @Override
    public CompletionStage<Void> add(String userId, String threadId, String entry, int keep, Duration ttl) {
        return link.send(link.script(ClusterScripts.REMEMBER)
                        .arg(1)
                        .arg(keys.threadMemory(userId, threadId))
                        .arg(entry)
                        .arg(keep)
                        .arg(ttl.toMillis()))
                .<Void>mapEmpty()
                .toCompletionStage();
    }
}
