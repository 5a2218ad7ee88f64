package io.otaedge.edge.cell;

import io.otaedge.common.config.ConfigException;
import io.otaedge.common.config.Settings;
import java.time.Duration;

/**
 * The NB-IoT cell cap: at most {@code perCell} downloads that name one base station ({@code s_id}) run at once
 * across all edges sharing one Redis.
 *
 * @param perCell downloads per cell, 0 = off ({@code OTA_EDGE_CELL_CAP}, 0)
 * @param lease   how long a download's slot outlives its edge: renewed every third of it while the download runs,
 *                so a dead edge's slots free themselves after this ({@code OTA_EDGE_CELL_LEASE}, PT60S)
 */
public record CellCap(int perCell, Duration lease) {

    public static final CellCap OFF = new CellCap(0, Duration.ofSeconds(60));

    public CellCap {
        if (perCell < 0) {
            throw new ConfigException("OTA_EDGE_CELL_CAP", Integer.toString(perCell), "zero (off) or more");
        }
        if (lease.toMillis() < 3) {
            throw new ConfigException("OTA_EDGE_CELL_LEASE", lease.toString(), "a positive ISO-8601 duration");
        }
    }

    public static CellCap from(Settings s) {
        return new CellCap(s.integer("OTA_EDGE_CELL_CAP", 0), s.duration("OTA_EDGE_CELL_LEASE", Duration.ofSeconds(60)));
    }

    public boolean on() {
        return perCell > 0;
    }

    /** How often running downloads' slots are renewed. */
    public Duration renewEvery() {
        return lease.dividedBy(3);
    }
}
