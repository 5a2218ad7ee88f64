package io.otaedge.loadtest.dialect;

import io.otaedge.loadtest.LoadSettings;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The dialects a fleet speaks, chosen with {@code -Dota.dialects} (comma-separated). Only OneNET's
 * device endpoints exist in the control service today, so the default is {@code onenet}; the
 * others follow the seeds and PROTOCOLS.md and are switched on once their endpoints land:
 * {@code -Dota.dialects=onenet,fog,xiaozhi,luatos,aliyun}.
 */
public final class Dialects {

    public static final String DEFAULT = "onenet";

    private static final Map<String, Supplier<Dialect>> ALL = Map.of(
            "onenet", OneNet::new,
            "fog", Fog::new,
            "xiaozhi", Xiaozhi::new,
            "luatos", LuatOs::new,
            "aliyun", Aliyun::new);

    private Dialects() {
    }

    public static List<Dialect> enabled() {
        return LoadSettings.list("ota.dialects", DEFAULT).stream().map(name -> {
            Supplier<Dialect> d = ALL.get(name);
            if (d == null) {
                throw new IllegalArgumentException("-Dota.dialects: unknown dialect " + name + ", known: " + ALL.keySet());
            }
            return d.get();
        }).toList();
    }

    /** {@code -Dota.progress=true}: devices also report progress and their new version. */
    static boolean reportProgress() {
        return LoadSettings.flag("ota.progress");
    }
}
