package io.otaedge.edge.cell;

import io.otaedge.common.config.ConfigException;
import java.util.HashMap;
import java.util.Map;

/**
 * Which {@link SignalBand} a device's reported signal falls in ({@code OTA_EDGE_CELL_BANDS}, {@code good:<min>,medium:<min>}):
 * at least {@code goodMin} is good, at least {@code mediumMin} medium, anything lower poor.
 *
 * <p>The scale is the one OneNET's devices report {@code signals} in: the modem's {@code AT+CSQ} RSSI index, 0–31
 * (3GPP TS 27.007: 0 is -113 dBm or less, each step 2 dB, 31 is -51 dBm or more, 99 "not known"). OneNET's check
 * documents {@code signals} as "signal strength" with the example value 10 from an M5310 NB-IoT module, and the
 * task's {@code signal} threshold it answers with the example 12 (the seed and OneNET's
 * {@code ota/book/develop/south-API/1task} page; /work/shared/seeds/onenet-south-check.txt), which only reads as a
 * CSQ index. The defaults, 15 (-83 dBm) and 10 (-93 dBm), follow the usual CSQ reading (15 and up good, 10–14 fair,
 * below 10 marginal). A signal the device did not report, and CSQ's 99, count as poor: a cap that errs on the
 * cautious side never lets an unknown device take a good-signal slot.
 *
 * @param goodMin   the lowest signal counted as good
 * @param mediumMin the lowest signal counted as medium; below {@code goodMin}
 */
public record SignalBands(int goodMin, int mediumMin) {

    static final String KEY = "OTA_EDGE_CELL_BANDS";
    public static final SignalBands DEFAULT = new SignalBands(15, 10);
    /** CSQ's "not known or not detectable". */
    static final int UNKNOWN = 99;

    public SignalBands {
        if (mediumMin >= goodMin) {
            throw new ConfigException(KEY, "good:" + goodMin + ",medium:" + mediumMin,
                    "good:<min>,medium:<min> with medium's minimum below good's");
        }
    }

    /** The band of a device that reported {@code signal} at its check; null (not reported) is poor. */
    public SignalBand of(Integer signal) {
        if (signal == null || signal == UNKNOWN) {
            return SignalBand.POOR;
        }
        int s = signal;
        return s >= goodMin ? SignalBand.GOOD : s >= mediumMin ? SignalBand.MEDIUM : SignalBand.POOR;
    }

    /** Parses {@code good:<min>,medium:<min>} (either order, both named, whole numbers). */
    static SignalBands parse(String value) {
        Map<SignalBand, Integer> m = BandList.parse(KEY, value, "good:<min>,medium:<min> (whole numbers, e.g. good:15,medium:10)");
        if (m.size() != 2 || !m.containsKey(SignalBand.GOOD) || !m.containsKey(SignalBand.MEDIUM)) {
            throw new ConfigException(KEY, value, "good:<min>,medium:<min> (both, nothing else)");
        }
        return new SignalBands(m.get(SignalBand.GOOD), m.get(SignalBand.MEDIUM));
    }

    /** {@code band:number} lists, as both cell settings write them. */
    static final class BandList {

        private BandList() {
        }

        static Map<SignalBand, Integer> parse(String key, String value, String expected) {
            Map<SignalBand, Integer> out = new HashMap<>();
            for (String part : value.split(",", -1)) {
                int colon = part.indexOf(':');
                if (colon < 0) {
                    throw new ConfigException(key, value, expected);
                }
                SignalBand band = band(part.substring(0, colon).trim(), key, value, expected);
                int n;
                try {
                    n = Integer.parseInt(part.substring(colon + 1).trim());
                } catch (NumberFormatException e) {
                    throw new ConfigException(key, value, expected);
                }
                if (out.put(band, n) != null) {
                    throw new ConfigException(key, value, expected + ", each band once");
                }
            }
            return out;
        }

        private static SignalBand band(String name, String key, String value, String expected) {
            for (SignalBand b : SignalBand.values()) {
                if (b.label().equals(name)) {
                    return b;
                }
            }
            throw new ConfigException(key, value, expected);
        }
    }
}
