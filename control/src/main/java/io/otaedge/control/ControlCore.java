package io.otaedge.control;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.blob.BlobStore;
import io.otaedge.common.fleet.EdgeRegistry;
import io.otaedge.common.progress.DownloadProgressStore;
import io.otaedge.common.redis.RedisConnector;
import io.otaedge.common.redis.ReplicaAck;
import io.otaedge.common.token.TokenStore;
import io.otaedge.control.admin.AdminRoutes;
import io.otaedge.control.admin.DeviceAdmin;
import io.otaedge.control.admin.EdgeAdmin;
import io.otaedge.control.admin.FirmwareAdmin;
import io.otaedge.control.admin.ProductAdmin;
import io.otaedge.control.admin.TaskProgressView;
import io.otaedge.control.admin.TaskLifecycleAdmin;
import io.otaedge.control.admin.TokenAdmin;
import io.otaedge.control.audit.AuditTrail;
import io.otaedge.control.auth.ApiKeyStore;
import io.otaedge.control.cache.CatalogChanges;
import io.otaedge.control.cache.ReadCache;
import io.otaedge.control.catalog.FirmwareRepository;
import io.otaedge.control.catalog.FirmwareUploader;
import io.otaedge.control.catalog.ProductRepository;
import io.otaedge.control.device.DeviceRepository;
import io.otaedge.control.dialect.Dialect;
import io.otaedge.control.dialect.DialectServices;
import io.otaedge.control.edge.EdgeDirectory;
import io.otaedge.control.engine.DeviceCheckService;
import io.otaedge.control.engine.UpgradeDecisionEngine;
import io.otaedge.control.internal.InternalRoutes;
import io.otaedge.control.metrics.ControlMetrics;
import io.otaedge.control.progress.DeviceProgressService;
import io.otaedge.control.task.TaskFactory;
import io.otaedge.control.task.RolloutRateGate;
import io.otaedge.control.task.WindowHolds;
import io.otaedge.control.task.TaskRepository;
import io.otaedge.control.token.TokenIssuer;
import io.otaedge.control.ratelimit.DeviceRateLimiter;
import java.time.Clock;
import java.util.List;

/**
 * What {@link ControlServer} serves, built once: the repositories, the check path, the dialects (from the one list
 * in {@link Dialects}), the internal endpoints and the admin API. The server owns the lifecycle; this owns the wiring.
 */
record ControlCore(List<Dialect> dialects, AdminRoutes admin, TaskRepository tasks, DeviceProgressService progress,
                   InternalRoutes internal) {

    /** @param changes how this instance hears of other instances' catalog writes (null: only the cache TTL) */
    static ControlCore build(ControlConfig config, RedisConnector redis, BlobStore blobs, ControlMetrics metrics,
                         DeviceRateLimiter limiter, CatalogChanges changes) {
        Clock clock = Clock.systemUTC();
        RedisClusterAsyncCommands<String, String> r = redis.async();
        TokenStore tokenStore = new TokenStore(r);
        ReadCache.Policy catalogCache = new ReadCache.Policy(config.catalogCacheTtl(), changes);
        ProductRepository products = new ProductRepository(r, catalogCache);
        FirmwareRepository firmwares = new FirmwareRepository(r, catalogCache);
        TaskRepository tasks = new TaskRepository(r, catalogCache);
        DeviceRepository devices = new DeviceRepository(r);

        DownloadProgressStore served = new DownloadProgressStore(r);
        DeviceProgressService progress = new DeviceProgressService(r, tasks, devices, firmwares, config.upgradeTimeout(), clock, served,
                new io.otaedge.control.progress.TaskOutcomes() {
                    @Override
                    public void aborted(io.otaedge.control.task.UpgradeTask task, io.otaedge.control.task.AbortCriterion.FailureType type) {
                        metrics.taskAborted(type);
                    }

                    @Override
                    public void rolledBack(io.otaedge.control.task.UpgradeTask task, io.otaedge.control.task.UpgradeTask rollback) {
                        metrics.taskRolledBack();
                    }
                });
        TokenIssuer tokenIssuer = new TokenIssuer(r, tokenStore, config.tokenTtl(), clock, metrics::tokenIssued);
        RolloutRateGate rateGate = new RolloutRateGate(r);
        WindowHolds windowHolds = new WindowHolds(r, metrics::offerHeldByWindow);
        DeviceCheckService checks = new DeviceCheckService(devices, new UpgradeDecisionEngine(tasks, firmwares, clock),
                tokenIssuer, clock, progress, rateGate, metrics::offerHeldByRate, windowHolds,
                metrics::offerHeldForRetry);
        EdgeDirectory edges = new EdgeDirectory(new EdgeRegistry(r), config.edgePublicAddress(), ControlServer.EDGE_DIRECTORY_REFRESH);
        List<Dialect> dialects = Dialects.of(config, catalogCache, new DialectServices(r, products, firmwares, tasks, devices, tokenStore, checks,
                progress, edges, limiter, metrics, clock, blobs));
        dialects.forEach(d -> limiter.register(d.name()));

        InternalRoutes internal = config.internalSecret() == null ? null : new InternalRoutes(config.internalSecret(), blobs,
                dialects.stream().flatMap(d -> d.internalEndpoints().stream()).toList());
        int maxBody = config.maxJsonBodySize();
        ProductAdmin productAdmin = new ProductAdmin(products, maxBody);
        AdminRoutes admin = new AdminRoutes(config.adminKey(),
                productAdmin,
                new FirmwareAdmin(products, firmwares, new FirmwareUploader(blobs, config.maxFirmwareSize()), clock, maxBody,
                        metrics).deleting(tasks, blobs),
                new TaskLifecycleAdmin(products, firmwares, tasks, new TaskFactory(clock), maxBody).showingCellHolds(r),
                new TaskProgressView(tasks, progress, served, rateGate).withControls(windowHolds, clock),
                new DeviceAdmin(devices, progress, products),
                new TokenAdmin(tokenIssuer))
                .withKeys(new ApiKeyStore(r, clock), clock, maxBody)
                .auditing(new AuditTrail(r, config.auditRetention(), clock, metrics::auditWriteFailed))
                .countingRedisErrors(metrics::redisError)
                .waitingForReplicas(new ReplicaAck(redis))
                .listingEdges(new EdgeAdmin(new EdgeRegistry(r)));
        dialects.forEach(d -> admin.with(d.admin()));
        productAdmin.managing(firmwares, tasks, devices, admin.dialectAdmins());
        return new ControlCore(dialects, admin, tasks, progress, internal);
    }
}
