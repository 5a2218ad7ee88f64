package io.otaedge.edge.cell;

import io.otaedge.common.config.ConfigException;
import io.otaedge.common.config.Settings;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The NB-IoT cell cap: at most {@code perCell} downloads that name one base station ({@code s_id}) run at once
 * across all edges sharing one Redis, or, split by signal band as Huawei IoTDA does (50 / 10 / 1 for good / medium /
 * poor), at most {@code perBand.get(band)} downloads of each band, each band of a cell its own pool.
 *
 * @param perCell downloads per cell, all bands together; 0 = off or split by band ({@code OTA_EDGE_CELL_CAP=K}, 0)
 * @param perBand downloads per cell and band ({@code OTA_EDGE_CELL_CAP=good:50,medium:10,poor:1}: all three, each at
 *                least 1); empty when the cap is one number
 * @param lease   how long a download's slot outlives its edge: renewed every third of it while the download runs,
 *                so a dead edge's slots free themselves after this ({@code OTA_EDGE_CELL_LEASE}, PT60S)
 * @param tail    how long a slot stays taken after the answer that carried the file's last byte
 *                ({@code OTA_EDGE_CELL_TAIL}, PT10S, at most the lease). Written to the kernel is not received: an
 *                NB-IoT device gets those bytes seconds later (a 1 KiB range, the OneNET SDKs' segment, takes about a
 *                second at NB-IoT's downlink rates and several at the edge of coverage), and one whose bearer drops
 *                meanwhile resumes that range within its own request timeout and a reconnect. Its slot must still be
 *                there then, or the full cell turns it away on its last bytes; ten seconds covers that and delays
 *                a newcomer to a full cell by no more.
 * @param bands   the signal thresholds of the bands ({@code OTA_EDGE_CELL_BANDS}, good:15,medium:10); used for the
 *                split pools and for the refusals' {@code band} label
 */
public record CellCap(int perCell, Map<SignalBand, Integer> perBand, Duration lease, Duration tail, SignalBands bands) {

    static final String KEY = "OTA_EDGE_CELL_CAP";
    static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);
    static final Duration DEFAULT_TAIL = Duration.ofSeconds(10);
    private static final String EXPECTED = "zero (off), a number of downloads per cell, or good:<n>,medium:<n>,poor:<n> (each 1 or more)";

    public static final CellCap OFF = new CellCap(0, DEFAULT_LEASE);

    public CellCap {
        if (perCell < 0) {
            throw new ConfigException(KEY, Integer.toString(perCell), EXPECTED);
        }
        perBand = Map.copyOf(perBand);
        if (!perBand.isEmpty() && (perCell != 0 || perBand.size() != SignalBand.values().length
                || perBand.values().stream().anyMatch(n -> n < 1))) {
            throw new ConfigException(KEY, perBand.toString(), EXPECTED);
        }
        if (lease.toMillis() < 3) {
            throw new ConfigException("OTA_EDGE_CELL_LEASE", lease.toString(), "a positive ISO-8601 duration");
        }
        if (tail.toMillis() < 1 || tail.compareTo(lease) > 0) {
            throw new ConfigException("OTA_EDGE_CELL_TAIL", tail.toString(), "a positive ISO-8601 duration, at most OTA_EDGE_CELL_LEASE");
        }
    }

    /** One number for all bands, the default tail and bands. */
    public CellCap(int perCell, Duration lease) {
        this(perCell, Map.of(), lease, DEFAULT_TAIL.compareTo(lease) > 0 ? lease : DEFAULT_TAIL, SignalBands.DEFAULT);
    }

    public static CellCap from(Settings s) {
        String cap = s.string(KEY, "0").trim();
        Duration lease = s.duration("OTA_EDGE_CELL_LEASE", DEFAULT_LEASE);
        Duration tail = s.duration("OTA_EDGE_CELL_TAIL", DEFAULT_TAIL.compareTo(lease) > 0 ? lease : DEFAULT_TAIL);
        SignalBands bands = s.get(SignalBands.KEY).map(SignalBands::parse).orElse(SignalBands.DEFAULT);
        if (cap.indexOf(':') >= 0) {
            Map<SignalBand, Integer> split = new EnumMap<>(SignalBand.class);
            split.putAll(SignalBands.BandList.parse(KEY, cap, EXPECTED));
            if (split.size() != SignalBand.values().length || split.values().stream().anyMatch(n -> n < 1)) {
                throw new ConfigException(KEY, cap, EXPECTED);
            }
            return new CellCap(0, split, lease, tail, bands);
        }
        return new CellCap(s.integer(KEY, 0), Map.of(), lease, tail, bands);
    }

    public boolean on() {
        return perCell > 0 || !perBand.isEmpty();
    }

    /** Each band of a cell has a pool of its own. */
    public boolean split() {
        return !perBand.isEmpty();
    }

    /** The slots of the pool a download of {@code band} takes one of. */
    public int capOf(SignalBand band) {
        return split() ? perBand.get(band) : perCell;
    }

    /** How often running downloads' slots are renewed. */
    public Duration renewEvery() {
        return lease.dividedBy(3);
    }
}
