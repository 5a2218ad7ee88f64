package io.otaedge.edge;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.blob.BlobStore;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.common.token.TokenStore;
import io.otaedge.edge.luatos.LuatosDecisions;
import io.otaedge.edge.metrics.EdgeMetrics;
import io.otaedge.edge.route.DeviceApi;
import io.otaedge.edge.token.TokenResolver;
import java.util.Objects;

/**
 * What an {@link EdgeServer} is built from besides its configuration: where tokens and blobs are, where its
 * meters go, and the optional services behind it. Built by {@link #builder} (or {@link #redis}); what is not
 * set is off.
 *
 * @param tokens     the token store's lookups (the server puts its meters and local cache in front)
 * @param blobs      the local blob store
 * @param metrics    where the {@code ota_edge_*} meters go
 * @param fleetRedis where download progress is counted and the edge registers itself; null = neither
 * @param luatos     decides LuatOS' one-call upgrades at {@code luatosPath}; null = that route is off
 * @param luatosPath LuatOS' path, set with {@code luatos}
 * @param deviceApi  OneNET's device API the edge fronts on its port; null = those paths are 404. The edge
 *                   closes it when it stops
 */
public record EdgeDependencies(TokenResolver tokens, BlobStore blobs, EdgeMetrics metrics,
                               RedisClusterAsyncCommands<String, String> fleetRedis, LuatosDecisions luatos,
                               String luatosPath, DeviceApi deviceApi) {

    public EdgeDependencies {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(blobs, "blobs");
        Objects.requireNonNull(metrics, "metrics");
        if (luatos != null) {
            Objects.requireNonNull(luatosPath, "the LuatOS path, with LuatOS' decisions");
        }
    }

    /** An edge that only serves tokens: no progress counting, no registration, no LuatOS, no device API. */
    public static Builder builder(TokenResolver tokens, BlobStore blobs) {
        return new Builder(tokens, blobs);
    }

    /** A full edge: tokens, download progress and the edge registry all in {@code redis}. */
    public static Builder redis(RedisConnector redis, BlobStore blobs) {
        TokenStore store = new TokenStore(redis.async());
        return builder(store::find, blobs).fleet(redis.async());
    }

    /** Collects the optional dependencies; each setter replaces what an earlier call set. */
    public static final class Builder {
        private final TokenResolver tokens;
        private final BlobStore blobs;
        private EdgeMetrics metrics = EdgeMetrics.unregistered();
        private RedisClusterAsyncCommands<String, String> fleetRedis;
        private LuatosDecisions luatos;
        private String luatosPath;
        private DeviceApi deviceApi;

        private Builder(TokenResolver tokens, BlobStore blobs) {
            this.tokens = tokens;
            this.blobs = blobs;
        }

        /** The {@code ota_edge_*} meters go to {@code metrics} (default: registered nowhere). */
        public Builder metrics(EdgeMetrics metrics) {
            this.metrics = metrics;
            return this;
        }

        /** Download progress is counted and the edge registers itself in {@code redis} (null: neither). */
        public Builder fleet(RedisClusterAsyncCommands<String, String> redis) {
            this.fleetRedis = redis;
            return this;
        }

        /** LuatOS' route at {@code path}, decided by {@code decisions} (null: off). */
        public Builder luatos(LuatosDecisions decisions, String path) {
            this.luatos = decisions;
            this.luatosPath = path;
            return this;
        }

        /** OneNET devices' API calls on the edge's port are answered by {@code api} (null: off, those paths 404). */
        public Builder deviceApi(DeviceApi api) {
            this.deviceApi = api;
            return this;
        }

        public EdgeDependencies build() {
            return new EdgeDependencies(tokens, blobs, metrics, fleetRedis, luatos, luatos == null ? null : luatosPath,
                    deviceApi);
        }
    }
}
