package io.otaedge.control.dialect;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.otaedge.common.blob.BlobStore;
import io.otaedge.common.token.TokenStore;
import io.otaedge.control.catalog.FirmwareRepository;
import io.otaedge.control.catalog.ProductRepository;
import io.otaedge.control.device.DeviceRepository;
import io.otaedge.control.edge.EdgeDirectory;
import io.otaedge.control.engine.DeviceCheckService;
import io.otaedge.control.metrics.ControlMetrics;
import io.otaedge.control.progress.DeviceProgressService;
import io.otaedge.control.ratelimit.DeviceRateLimiter;
import io.otaedge.control.task.TaskRepository;
import java.time.Clock;

/**
 * The dialect-free core every dialect translates over: the one engine ({@link DeviceCheckService}), the one
 * state machine ({@link DeviceProgressService}), the catalog and device store, the edge directory, the device
 * rate limiter and the product meters. Settings are not here: each dialect takes its own small record.
 *
 * @param redis for a dialect's own keys (FOG's file index, xiaozhi's activations)
 * @param blobs the packages' bytes on this service's disk (hawkBit computes a missing SHA-1 from them)
 */
public record DialectServices(RedisClusterAsyncCommands<String, String> redis, ProductRepository products,
                              FirmwareRepository firmwares, TaskRepository tasks, DeviceRepository devices, TokenStore tokens,
                              DeviceCheckService checks, DeviceProgressService progress, EdgeDirectory edges,
                              DeviceRateLimiter limiter, ControlMetrics metrics, Clock clock,
                              BlobStore blobs) {
}
