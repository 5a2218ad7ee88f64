package io.otaedge.edge.cell;

import java.util.Locale;

/** How well a device hears its base station, Huawei IoTDA's three bands for per-cell download caps. */
public enum SignalBand {
    GOOD, MEDIUM, POOR;

    private final String label = name().toLowerCase(Locale.ROOT);

    /** Its name in settings, metric labels and Redis keys: {@code good}, {@code medium}, {@code poor}. */
    public String label() {
        return label;
    }
}
