package io.switchboard.websocket.core.internal;

import java.util.List;

/**
 * The Lua scripts that change a user's state in Redis, each in one round trip and atomically. On a
 * single Redis server a node loads them all on every new connection, before any other command, and
 * then calls them by digest ({@link RedisCommands#script}): an append does not carry the script's
 * text. On a Redis Cluster each is sent whole with EVAL, since a connection there reaches every shard.
 */
final class ClusterScripts {

    /**
     * Replaces a node's users with those it has just listed, or removes them all if the new list is
     * empty, in one step: a broadcast never reads half a list. KEYS: the new key, the key. ARGV: its TTL (ms).
     */
    static final String REPLACE_SET = """
            if redis.call('EXISTS', KEYS[1]) == 1 then
              redis.call('RENAME', KEYS[1], KEYS[2])
              redis.call('PEXPIRE', KEYS[2], ARGV[1])
            else
              redis.call('DEL', KEYS[2])
            end
            return 1
            """;

    /**
     * Claims a user's thread for a run, refused while another run holds it. KEYS: the thread's key and
     * the run's key. ARGV: the run id, this node's id, the TTL (ms). Returns 1 when the run holds the
     * thread, 0 when another run does.
     */
    static final String CLAIM_RUN = """
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[3]) then
              redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
              return 1
            end
            return 0
            """;

    /**
     * Renews a run's claim while the run holds the thread; a claim released or lost is not restated, so
     * a renewal that crosses a release on the way cannot revive it. KEYS and ARGV as for
     * {@link #CLAIM_RUN}. Returns 1 when renewed, 0 when the run no longer holds the thread.
     */
    static final String RENEW_RUN = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('PEXPIRE', KEYS[1], ARGV[3])
              redis.call('PEXPIRE', KEYS[2], ARGV[3])
              return 1
            end
            return 0
            """;

    /** Gives a run's claim back. KEYS: the thread's key and the run's key. ARGV: the run id. */
    static final String RELEASE_RUN = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('DEL', KEYS[1])
            end
            redis.call('DEL', KEYS[2])
            return 1
            """;

    /**
     * Adds an entry to a list (a thread's memory, a node's activity), keeps the newest, and renews its
     * TTL. KEYS: the list. ARGV: the entry, how many to keep, the TTL (ms).
     */
    static final String REMEMBER = """
            redis.call('RPUSH', KEYS[1], ARGV[1])
            redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return 1
            """;

    /** The shared start of the scripts on a user's log: takes the log's epoch, minting one if the log is gone. */
    private static final String EPOCH = """
            local epoch = redis.call('HGET', KEYS[2], 'epoch')
            if not epoch then
              epoch = ARGV[1]
              redis.call('DEL', KEYS[1])
              redis.call('HSET', KEYS[2], 'epoch', epoch, 'seq', 0)
            end
            """;

    /**
     * Appends an event. KEYS: the user's stream and meta hash. ARGV: a new epoch in case the log is
     * gone, the retention (entries), the idle TTL (ms), the user's channel, the event type, the event's
     * JSON before and after its id, and the idle TTL and a tenth (ms). Returns {@code {epoch, id}}, or
     * {@code {"!", error}} when a command in it failed (a key of the wrong type, memory full): an error
     * reply would make the client fail every other command written in the same batch, which Redis
     * carried out.
     *
     * <p>The log's TTL is set a tenth above the idle TTL and renewed only once it fell below it, so that
     * most appends write no expiry to the append-only file and its replicas: the log still outlives
     * its last event by the idle TTL at least.
     */
    static final String APPEND = "local ok, result = pcall(function()\n" + EPOCH + """
            local id = redis.call('HINCRBY', KEYS[2], 'seq', 1)
            local json = ARGV[6] .. id .. ARGV[7]
            redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[2], id .. '-0', 't', ARGV[5], 'j', json)
            if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) or redis.call('PTTL', KEYS[2]) < tonumber(ARGV[3]) then
              redis.call('PEXPIRE', KEYS[1], ARGV[8])
              redis.call('PEXPIRE', KEYS[2], ARGV[8])
            end
            redis.call('PUBLISH', ARGV[4], epoch .. ' ' .. id .. ' ' .. ARGV[5] .. ' ' .. json)
            return {epoch, id}
            end)
            if ok then
              return result
            end
            return {'!', type(result) == 'table' and result.err or tostring(result)}
            """;

    /**
     * Reads where a user's log stands, for a connection about to attach. KEYS: the stream and meta
     * hash. ARGV: a new epoch in case the log is gone, the log's TTL (ms, the idle TTL and a tenth), and the first and last id to
     * read (from 0 reads nothing; to 0 reads up to the newest; what the stream no longer keeps is
     * left out). Returns {@code {epoch, newest id, entries}}.
     */
    static final String OPEN = EPOCH + """
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            redis.call('PEXPIRE', KEYS[2], ARGV[2])
            local seq = tonumber(redis.call('HGET', KEYS[2], 'seq'))
            local from = tonumber(ARGV[3])
            local to = tonumber(ARGV[4])
            if to == 0 or to > seq then
              to = seq
            end
            local entries = {}
            if from > 0 and from <= to then
              entries = redis.call('XRANGE', KEYS[1], ARGV[3] .. '-0', to .. '-0')
            end
            return {epoch, seq, entries}
            """;

    /** Redis' clock in milliseconds, so that nodes with skewed clocks agree on expiries. */
    private static final String NOW = """
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
            """;

    /**
     * Takes connection slots on this node if the user's total across live nodes allows it. KEYS: the
     * user's slots hash. ARGV: this node's id, the slots it wants to hold in all, the most a user may
     * hold, and the node TTL (ms). Entries of nodes that stopped refreshing are dropped. Returns
     * {@code {1 if taken else 0, slots held on the other nodes}}.
     */
    static final String RESERVE_SLOTS = NOW + """
            local fields = redis.call('HGETALL', KEYS[1])
            local others = 0
            for i = 1, #fields, 2 do
              local count, expiry = string.match(fields[i + 1], '^(%d+):(%d+)$')
              if not count or tonumber(expiry) <= now then
                redis.call('HDEL', KEYS[1], fields[i])
              elseif fields[i] ~= ARGV[1] then
                others = others + tonumber(count)
              end
            end
            local wanted = tonumber(ARGV[2])
            if others + wanted > tonumber(ARGV[3]) then
              return {0, others}
            end
            redis.call('HSET', KEYS[1], ARGV[1], wanted .. ':' .. (now + tonumber(ARGV[4])))
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            return {1, others}
            """;

    /**
     * Sets how many slots this node holds for the user (0 gives them all back), with a new expiry, and
     * keeps the user's log for the idle TTL and a tenth from now: a log outlives its user's last
     * connection, not only its last event. KEYS: the user's slots hash, stream and meta hash. ARGV: this
     * node's id, the count, the node TTL (ms) and the log's TTL (ms).
     */
    static final String HOLD_SLOTS = NOW + """
            if tonumber(ARGV[2]) <= 0 then
              redis.call('HDEL', KEYS[1], ARGV[1])
            else
              redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. (now + tonumber(ARGV[3])))
              redis.call('PEXPIRE', KEYS[1], ARGV[3])
            end
            redis.call('PEXPIRE', KEYS[2], ARGV[4])
            redis.call('PEXPIRE', KEYS[3], ARGV[4])
            return 1
            """;

    /** Every script, as loaded on a new connection. */
    static final List<String> ALL =
            List.of(REPLACE_SET, CLAIM_RUN, RENEW_RUN, RELEASE_RUN, REMEMBER, APPEND, OPEN, RESERVE_SLOTS, HOLD_SLOTS);

    private ClusterScripts() {}
}
