package io.otaedge.loadtest;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/** An endless supply of distinct device identities, in every form the dialects use. */
public final class Devices {

    private static final AtomicLong NEXT = new AtomicLong(1);

    private Devices() {
    }

    /**
     * Per device: {@code devId} (OneNET), {@code mac} (xiaozhi, FOG; lowercase colon form),
     * {@code imei} (LuatOS, 15 digits), {@code deviceName} (Aliyun) and {@code clientId} (a UUID).
     */
    public static Iterator<Map<String, Object>> feeder() {
        return Stream.generate(() -> {
            long n = NEXT.getAndIncrement();
            String mac = String.format(Locale.ROOT, "02:%02x:%02x:%02x:%02x:%02x",
                    (n >> 32) & 0xff, (n >> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
            return Map.<String, Object>of(
                    "devId", n,
                    "mac", mac,
                    "imei", String.format(Locale.ROOT, "86%013d", n),
                    "deviceName", "lt-device-" + n,
                    "clientId", UUID.randomUUID().toString());
        }).iterator();
    }
}
