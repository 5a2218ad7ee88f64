package io.otaedge.loadtest.dialect;

import io.otaedge.loadtest.LoadSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The dialects a fleet speaks, chosen with {@code -Dota.dialects} (comma-separated); by default
 * all five: {@code onenet,fog,xiaozhi,luatos,aliyun}.
 */
public final class Dialects {

    private static final Map<String, Supplier<Dialect>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("onenet", OneNet::new);
        ALL.put("fog", Fog::new);
        ALL.put("xiaozhi", Xiaozhi::new);
        ALL.put("luatos", LuatOs::new);
        ALL.put("aliyun", Aliyun::new);
    }

    public static final String DEFAULT = String.join(",", ALL.keySet());

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

    /** Devices report progress and their new version unless {@code -Dota.progress=false}. */
    static boolean reportProgress() {
        return LoadSettings.flag("ota.progress", true);
    }
}
