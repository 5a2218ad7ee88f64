package io.otaedge.edge.download;

import io.otaedge.edge.cell.CellSlots;
import io.otaedge.edge.grant.GrantSource;
import io.otaedge.edge.metrics.EdgeMetrics;
import io.otaedge.edge.route.DeviceApi;

/**
 * What every connection's download handler shares; one per server, built by the server from its
 * dependencies and configuration.
 *
 * @param grants            where each download route's grants come from (tokens, LuatOS decisions), with the
 *                          blob made local
 * @param luatosPath        LuatOS' path; null when that route is off
 * @param deviceApi         OneNET's device API the edge fronts; null when it fronts none (those paths are 404)
 * @param metrics           the edge's product meters
 * @param served            told of every body written completely (progress, load)
 * @param retryAfterSeconds the {@code Retry-After} of retryable refusals
 * @param maxRanges         most ranges served as one multipart answer, after coalescing
 * @param chunkedBodies     true with TLS: bodies go out as read chunks, since sendfile cannot encrypt
 * @param cells             the NB-IoT cell cap's slots; null when the cap is off
 */
public record DownloadContext(GrantSource grants, String luatosPath, DeviceApi deviceApi, EdgeMetrics metrics,
                              ServedBytesListener served, long retryAfterSeconds, int maxRanges,
                              boolean chunkedBodies, CellSlots cells) {

    /** Without a cell cap. */
    public DownloadContext(GrantSource grants, String luatosPath, DeviceApi deviceApi, EdgeMetrics metrics,
                           ServedBytesListener served, long retryAfterSeconds, int maxRanges, boolean chunkedBodies) {
        this(grants, luatosPath, deviceApi, metrics, served, retryAfterSeconds, maxRanges, chunkedBodies, null);
    }
}
