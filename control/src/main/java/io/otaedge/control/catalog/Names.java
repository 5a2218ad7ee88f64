package io.otaedge.control.catalog;

import java.util.regex.Pattern;

/** The shapes of identifiers operators and devices send; checked before anything is stored. */
public final class Names {

    private static final Pattern PRODUCT_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    /** OneNET's rule (errno 27), used for every version so any dialect can report any stored version. */
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9_.-]{1,20}");
    private static final Pattern MODULE = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_.+-][A-Za-z0-9 _.+()-]{0,127}");
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private Names() {
    }

    public static boolean isProductId(String s) {
        return s != null && PRODUCT_ID.matcher(s).matches();
    }

    public static boolean isVersion(String s) {
        return s != null && VERSION.matcher(s).matches();
    }

    public static boolean isModule(String s) {
        return s != null && MODULE.matcher(s).matches();
    }

    /** No path separators or control characters: the edge puts it in {@code Content-Disposition}. */
    public static boolean isFileName(String s) {
        return s != null && FILE_NAME.matcher(s).matches() && !s.equals(".") && !s.equals("..");
    }

    public static boolean isDeviceId(String s) {
        return s != null && DEVICE_ID.matcher(s).matches();
    }
}
