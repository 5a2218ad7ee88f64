package io.otaedge.control.cache;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.otaedge.common.redis.RedisConnector;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every control instance that catalog records changed (a task stopped, edited, aborted or advanced, a firmware
 * or product written), so each drops its local copies ({@link ReadCache}) at once instead of within
 * {@code OTA_CATALOG_CACHE_TTL}: an operator's stop or edit, or an abort, holds on the next check everywhere.
 *
 * <p>Redis pub/sub on {@value #CHANNEL}: each write that drops copies here publishes this instance's id; every other
 * instance, on that message, drops all its copies (changes are rare, a reload is one read per product, so the
 * message names no record). Nothing is published per device check. A message lost (a reconnect, a Redis restart)
 * costs only the old bound: the TTL still ends every copy.
 */
public final class CatalogChanges implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CatalogChanges.class);
    public static final String CHANNEL = "ota:catalog:changed";

    private final String self = UUID.randomUUID().toString();
    private final Set<ReadCache<?, ?>> caches = ConcurrentHashMap.newKeySet();
    private final StatefulRedisPubSubConnection<String, String> subscription;
    private final StatefulRedisPubSubConnection<String, String> publisher;

    private CatalogChanges(StatefulRedisPubSubConnection<String, String> subscription,
                           StatefulRedisPubSubConnection<String, String> publisher) {
        this.subscription = subscription;
        this.publisher = publisher;
    }

    /** Subscribed to {@value #CHANNEL} on {@code redis}'s node or cluster. */
    public static CatalogChanges subscribe(RedisConnector redis) {
        StatefulRedisPubSubConnection<String, String> sub = redis.connectPubSub();
        CatalogChanges changes = new CatalogChanges(sub, redis.connectPubSub());
        sub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String from) {
                changes.received(from);
            }
        });
        sub.sync().subscribe(CHANNEL); // at start, before any port opens: not on an event loop
        return changes;
    }

    void register(ReadCache<?, ?> cache) {
        caches.add(cache);
    }

    /** A write through this instance changed catalog records: the other instances drop their copies. */
    void announce() {
        try {
            publisher.async().publish(CHANNEL, self).exceptionally(e -> {
                log.debug("catalog change not announced; other controls see it within the cache TTL", e);
                return 0L;
            });
        } catch (RuntimeException e) {
            log.debug("catalog change not announced; other controls see it within the cache TTL", e);
        }
    }

    private void received(String from) {
        if (!self.equals(from)) {
            caches.forEach(ReadCache::invalidateAll);
        }
    }

    @Override
    public void close() {
        subscription.close();
        publisher.close();
    }
}
